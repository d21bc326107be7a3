"""Revoke cached credentials on every worker at once: one NOTIFY per change, one LISTEN each.

Each worker caches account rows (``state.accounts``) and granted image accesses
(``state.image_decisions``) for a few seconds. A transaction that changes keys, roles, lock
state or deletes an account calls ``announce``; at its commit every worker, the one that made
the change included, hears it on its listening connection and forgets both caches. When that
connection drops the worker forgets them too (announcements may be missed meanwhile), and again
once it is back: the caches only save queries, so on doubt they are emptied.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar
from litestar.datastructures import State

from server.db import queries as q
from server.db.listener import Listener

CHANNEL = "lamina_auth"


async def announce(conn: asyncpg.Connection) -> None:
    """Tell every worker to forget cached credentials when the current transaction commits."""
    await conn.execute(q.CREDENTIALS_CHANGED_ANNOUNCE)


def forget_credentials(state: State) -> None:
    """Forget this worker's cached accounts and access decisions."""
    state.accounts.clear()
    state.image_decisions.clear()


@asynccontextmanager
async def credentials_channel(app: Litestar) -> AsyncIterator[None]:
    """Lifespan: listen before serving, stop listening on shutdown."""
    state = app.state

    def forget(_payload: str = "") -> None:
        forget_credentials(state)

    listener = Listener(state.settings.database_url, CHANNEL, forget, on_lost=forget)
    async with listener.running():
        yield


__all__ = ["CHANNEL", "announce", "credentials_channel", "forget_credentials"]
