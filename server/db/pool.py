"""The asyncpg pool: created in the lifespan, one connection per request through DI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

import asyncpg
from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from server.db import queries
from server.principal import Principal
from server.settings import Settings

if TYPE_CHECKING:
    from server.db.replicas import ReadRouter

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that read only: they may read from a replica and record no write."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached now (answered 503 with Retry-After)."""


# Failures that mean "the database is not there now", not "this request is wrong": connection
# lost or refused, server shutting down or restarting, statement_timeout, no connection free.
UNAVAILABLE: tuple[type[Exception], ...] = (
    DatabaseUnavailable,
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.exceptions.ConnectionFailureError,
    # What asyncpg raises on a pooled connection the server terminated while it was idle
    # ("cannot switch to state ..."); the pool then drops that connection.
    asyncpg.InternalClientError,
)


async def _connect(*args: Any, **kwargs: Any) -> asyncpg.Connection:
    """``asyncpg.connect`` whose network failures (refused, missing socket, timeout) say so."""
    try:
        return await asyncpg.connect(*args, **kwargs)
    except (TimeoutError, OSError) as exc:
        raise DatabaseUnavailable(f"cannot connect to the database: {exc}") from exc


@asynccontextmanager
async def connection(pool: asyncpg.Pool, wait: float) -> AsyncIterator[asyncpg.Connection]:
    """One pooled connection, waiting at most ``wait`` seconds for a free one."""
    try:
        acquiring = pool.acquire(timeout=wait)
        conn = await acquiring.__aenter__()
    except TimeoutError as exc:
        raise DatabaseUnavailable("no database connection became free in time") from exc
    try:
        yield cast("asyncpg.Connection", conn)
    finally:
        await acquiring.__aexit__(None, None, None)


# Settings of every pooled session. JIT compilation pays off for long analytical queries only:
# the annotation listing's estimate passes jit_above_cost even for 100 rows, and compiling its
# expressions cost more than running them.
SESSION_SETTINGS = {"jit": "off"}
# asyncpg keeps a prepared statement (and PostgreSQL its plan) only for texts up to this size;
# a longer one is parsed and planned on every call. The composed listing statements are ~14 kB.
STATEMENT_CACHE_BYTES = 64 * 1024


async def init_connection(conn: asyncpg.Connection) -> None:
    """Per-connection set-up: JSON comes back as text and is decoded by msgspec."""
    await conn.execute("SET TIME ZONE 'UTC'")


@asynccontextmanager
async def db_pool(app: Litestar) -> AsyncIterator[None]:
    """Open the pool for the lifetime of the app, with this backend's statements in place."""
    settings: Settings = app.state.settings
    if replaced := queries.use_overrides(settings.sql_overrides):
        log.info("SQL statements replaced from %s: %s", settings.sql_overrides, ", ".join(replaced))
    app.state.pool = await asyncpg.create_pool(
        settings.database_url,
        min_size=settings.pool_min,
        max_size=settings.pool_max,
        init=init_connection,
        connect=_connect,
        timeout=settings.database_wait_seconds,
        max_cacheable_statement_size=STATEMENT_CACHE_BYTES,
        server_settings={
            "statement_timeout": str(settings.statement_timeout_ms),
            **SESSION_SETTINGS,
        },
    )
    try:
        yield
    finally:
        await app.state.pool.close()


async def provide_anonymous_conn(state: State) -> AsyncIterator[asyncpg.Connection]:
    """Lend one pooled connection to a request; it goes back even if the handler raises."""
    async with connection(state.pool, state.settings.database_wait_seconds) as conn:
        yield conn


async def provide_conn(
    request: Request[Any, Any, Any], state: State, me: NamedDependency[Principal]
) -> AsyncIterator[asyncpg.Connection]:
    """The connection of an authenticated request, acquired only once ``me`` is resolved.

    Litestar resolves sibling dependencies concurrently and does not clean up a generator
    dependency when a sibling fails; depending on ``me`` orders the two, so a request
    refused by authentication never holds a connection. Routes marked ``opt=REPLICA`` only
    read (``POST /annotation/search`` included) and go through the read router (a replica
    when one fits); the others use the primary, where a write records the position the
    caller's next reads must see.
    """
    reads: ReadRouter = state.reads
    if request.route_handler.opt.get("replica"):
        async with reads.read(me.id) as conn:
            yield conn
        return
    async with (
        connection(state.pool, state.settings.database_wait_seconds) as conn,
        reads.tracking(request.method, me.id, conn),
    ):
        yield conn


__all__ = [
    "SAFE_METHODS",
    "SESSION_SETTINGS",
    "STATEMENT_CACHE_BYTES",
    "UNAVAILABLE",
    "DatabaseUnavailable",
    "connection",
    "db_pool",
    "init_connection",
    "provide_anonymous_conn",
    "provide_conn",
]
