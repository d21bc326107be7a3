"""The asyncpg pool: opened by the runtime's lifespan, one connection per request through DI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg

from server.db import queries
from server.settings import Settings

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
# What a background pass (overview refresh, term group relist) waits out and tries again: the
# above, and a connection lost inside a transaction, which asyncpg reports as the transaction's
# exit failing ("the underlying connection is closed"). A request answers that one with a 500.
UNAVAILABLE_IN_BACKGROUND: tuple[type[Exception], ...] = (*UNAVAILABLE, asyncpg.InterfaceError)


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


# PostGIS is loaded into each session when it opens, and that statement is never cancelled.
# Loading PostGIS installs a SIGINT handler whose first run in a process allocates the library's
# thread-local storage with malloc. A cancel (asyncpg sends one when a task waiting on a statement
# is cancelled) that reaches the backend after the load and before that storage exists, while the
# backend is inside malloc, re-enters malloc: glibc aborts the backend, and the postmaster then
# restarts every session of the server. The storage is made at the start of the next statement
# that runs after the load (PostGIS's executor hook), so the window is the statement that loads
# it. The function below is immutable: it is evaluated, and the library loaded, while this
# statement is planned, and its execution runs the hook. A request cancelled while its
# connection is being set up (a timeout, the server stopping) drops that connection instead of
# cancelling the statement.
INIT_SESSION = "SET TIME ZONE 'UTC'; SELECT postgis_lib_version()"


async def init_connection(conn: asyncpg.Connection) -> None:
    """Per-connection set-up: times in UTC, PostGIS loaded (``INIT_SESSION``), uncancelled."""
    setting_up = asyncio.ensure_future(conn.execute(INIT_SESSION))
    try:
        await asyncio.shield(setting_up)
    except asyncio.CancelledError:
        # The pool would close this connection gracefully, which cancels a running statement:
        # drop it instead. The backend ends the statement, then finds its client gone.
        setting_up.add_done_callback(_outcome_read)
        conn.terminate()
        raise


def _outcome_read(task: asyncio.Future[Any]) -> None:
    """Read a finished task's outcome so that asyncio does not log it as never retrieved."""
    if not task.cancelled():
        task.exception()


async def reset_connection(conn: asyncpg.Connection) -> None:
    """What a connection given back to the pool needs beyond asyncpg's own clean-up: nothing.

    asyncpg rolls back a transaction left open and drops the connection's listeners before
    this runs. Its default reset would then send ``pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL``: one more round trip at the end of every request, before the
    answer leaves (a dependency is cleaned up before the response is sent). Pooled sessions
    keep no such state: settings change with ``SET LOCAL``/``set_config(..., true)`` inside a
    transaction, locks are transaction-scoped, cursors live in transactions and LISTEN runs
    on connections of its own (``server.db.listener``). (``RESET ALL`` also undid the
    connection's ``SET TIME ZONE`` after its first request.)
    """


async def create_pool(
    url: str | None, settings: Settings, *, min_size: int, read_only: bool = False
) -> asyncpg.Pool:
    """A pool of sessions set up as every pooled session of this server is (primary or replica);
    ``read_only``: no write can land there, even if the URL names a primary by mistake."""
    server_settings = {"statement_timeout": str(settings.statement_timeout_ms), **SESSION_SETTINGS}
    if read_only:
        server_settings["default_transaction_read_only"] = "on"
    return await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=settings.pool_max,
        init=init_connection,
        reset=reset_connection,
        connect=_connect,
        timeout=settings.database_wait_seconds,
        max_cacheable_statement_size=STATEMENT_CACHE_BYTES,
        server_settings=server_settings,
    )


@asynccontextmanager
async def open_pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    """Open the pool for the lifetime of the app, with this backend's statements in place."""
    if replaced := queries.use_overrides(settings.sql_overrides):
        log.info("SQL statements replaced from %s: %s", settings.sql_overrides, ", ".join(replaced))
    pool = await create_pool(settings.database_url, settings, min_size=settings.pool_min)
    try:
        yield pool
    finally:
        await pool.close()


__all__ = [
    "SAFE_METHODS",
    "SESSION_SETTINGS",
    "STATEMENT_CACHE_BYTES",
    "UNAVAILABLE",
    "UNAVAILABLE_IN_BACKGROUND",
    "DatabaseUnavailable",
    "connection",
    "create_pool",
    "init_connection",
    "open_pool",
    "reset_connection",
]
