"""Revoke cached credentials on every worker at once: one NOTIFY per change, one LISTEN each.

Each worker caches account rows (``Runtime.accounts``) and granted image accesses
(``Runtime.image_decisions``) for a few seconds. A transaction that changes keys, roles, lock
state or deletes an account calls ``announce``; at its commit every worker, the one that made
the change included, hears it on its listening connection and forgets both caches. When that
connection drops the worker forgets them too (announcements may be missed meanwhile), and again
once it is back: the caches only save queries, so on doubt they are emptied.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg

from server.db import queries as q
from server.db.listener import Listener

CHANNEL = "lamina_auth"


async def announce(conn: asyncpg.Connection) -> None:
    """Tell every worker to forget cached credentials when the current transaction commits."""
    await conn.execute(q.CREDENTIALS_CHANGED_ANNOUNCE)


@asynccontextmanager
async def listening(url: str, forget: Callable[[], None]) -> AsyncIterator[None]:
    """Call ``forget`` at each announcement and whenever the listening connection drops."""

    def heard(_payload: str) -> None:
        forget()

    async with Listener(url, CHANNEL, heard, on_lost=forget).running():
        yield


__all__ = ["CHANNEL", "announce", "listening"]
