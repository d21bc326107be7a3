"""The asyncpg pool: created in the lifespan, one connection per request through DI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency

from server.auth.principal import Principal
from server.settings import Settings


async def init_connection(conn: asyncpg.Connection) -> None:
    """Per-connection set-up: JSON comes back as text and is decoded by msgspec."""
    await conn.execute("SET TIME ZONE 'UTC'")


@asynccontextmanager
async def db_pool(app: Litestar) -> AsyncIterator[None]:
    """Open the pool for the lifetime of the app."""
    settings: Settings = app.state.settings
    app.state.pool = await asyncpg.create_pool(
        settings.database_url,
        min_size=settings.pool_min,
        max_size=settings.pool_max,
        init=init_connection,
        server_settings={"statement_timeout": str(settings.statement_timeout_ms)},
    )
    try:
        yield
    finally:
        await app.state.pool.close()


async def provide_anonymous_conn(state: State) -> AsyncIterator[asyncpg.Connection]:
    """Lend one pooled connection to a request; it goes back even if the handler raises."""
    async with state.pool.acquire() as conn:
        yield conn


async def provide_conn(
    state: State, me: NamedDependency[Principal]
) -> AsyncIterator[asyncpg.Connection]:
    """The connection of an authenticated request, acquired only once ``me`` is resolved.

    Litestar resolves sibling dependencies concurrently and does not clean up a generator
    dependency when a sibling fails; depending on ``me`` orders the two, so a request
    refused by authentication never holds a connection.
    """
    async with state.pool.acquire() as conn:
        yield conn


__all__ = ["db_pool", "init_connection", "provide_anonymous_conn", "provide_conn"]
