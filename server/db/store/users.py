"""Accounts as the API shows them."""

from __future__ import annotations

import asyncpg

from contracts.envelopes import CurrentUser
from contracts.errors import NotFound
from server.auth.principal import Principal
from server.db import queries as q
from server.db import rows


async def current(conn: asyncpg.Connection, me: Principal) -> CurrentUser:
    """The caller's own account, with keys and role flags."""
    text = await conn.fetchval(q.USER_CURRENT, me.id)
    if text is None:
        raise NotFound("User", me.id)
    return rows.one(text, CurrentUser)


__all__ = ["current"]
