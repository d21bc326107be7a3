"""What one worker holds while it serves: one typed ``Runtime``, built by one lifespan.

``create_app`` puts the settings in the app's state; the lifespan (``lifespan``) builds the
runtime from them in one explicit order and keeps it under the state's ``runtime`` key, the
only other key there. Everything else reaches it typed:
- handlers declare the ``runtime`` dependency (``provide_runtime``);
- code that holds a request, an app or the raw-ASGI fast path calls ``runtime_of(app.state)``.

Set-up order (teardown runs backwards): the database pool (with this backend's statements)
and the read router over any replicas,
the signing key, the storage root, the picture limits and caches, the check processes of bulk
writes, then the workers' listeners
(credentials revocation, live positions) and background passes (overview refresh, the term
group relist of older annotations, job runner), which need the pool and the caches in place.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import anyio
import asyncpg
from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from server import signed_urls
from server.auth.credentials import AccountCache
from server.auth.tokens import SigningKey, load_signing_key
from server.check_pool import CheckPool, check_pool
from server.cors import CorsPolicy
from server.db import credentials_channel
from server.db.overview_refresh import overview_refresh
from server.db.pool import connection, open_pool
from server.db.position_channel import PositionChannel
from server.db.replicas import ReadRouter, read_router
from server.db.terms_relist import terms_relist
from server.fast_caches import ByteLru, Decisions, Served
from server.ingest import prepare_storage
from server.principal import Principal
from server.runner.service import job_runner
from server.settings import Settings
from tiling import sources
from tiling.planes import Plane

RUNTIME_KEY = "runtime"
"""The app state key of the runtime (the state also holds the ``settings`` it is built from)."""

SlicePlanes = dict[tuple[str, int], tuple[float, Plane]]
"""(kind, id) -> (valid until, on the monotonic clock; the slice's plane)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Runtime:
    """Everything a worker shares between requests; built once per lifespan, never replaced."""

    settings: Settings
    server_id: str
    """Random per process: tells the workers behind one address apart (``/server/ping``)."""
    cors_policy: CorsPolicy
    pool: asyncpg.Pool
    signing_key: SigningKey
    """Signs and checks bearer tokens; the image URL secret derives from it."""
    url_secret: bytes
    """HMAC secret of signed image URLs."""
    accounts: AccountCache
    """Account rows of recent credentials (``auth_cache_seconds``)."""
    storage_root: Path
    ingest_limiter: anyio.CapacityLimiter
    """Threads reading or converting uploaded images."""
    tile_limiter: anyio.CapacityLimiter
    """Threads decoding and encoding pictures."""
    picture_cache: ByteLru
    image_decisions: Decisions
    """Granted (caller, image) accesses, for a few seconds."""
    served_pictures: Served
    """Picture GETs answered before, for the fast path to answer again."""
    position_channel: PositionChannel
    reads: ReadRouter
    """Where a read that may lag is served: a streaming replica when one fits, else the pool."""
    checks: CheckPool | None = None
    """Processes that check the geometry of bulk writes (None: worker threads do)."""
    slice_planes: SlicePlanes = field(default_factory=dict)

    def acquire(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """``pool.acquire()``: one pooled connection for a block, waiting as long as needed."""
        return cast("AbstractAsyncContextManager[asyncpg.Connection]", self.pool.acquire())

    def forget_credentials(self) -> None:
        """Forget this worker's cached accounts and access decisions."""
        self.accounts.clear()
        self.image_decisions.clear()


def runtime_of(state: State) -> Runtime:
    """The runtime of a started app (``app.state`` or ``request.app.state``)."""
    found = state.get(RUNTIME_KEY)
    if not isinstance(found, Runtime):
        raise RuntimeError("the app has not started: its lifespan builds the runtime")
    return found


def provide_runtime(state: State) -> Runtime:
    """The ``runtime`` dependency of handlers."""
    return runtime_of(state)


async def provide_anonymous_conn(state: State) -> AsyncIterator[asyncpg.Connection]:
    """Lend one pooled connection to a request; it goes back even if the handler raises."""
    runtime = runtime_of(state)
    async with connection(runtime.pool, runtime.settings.database_wait_seconds) as conn:
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
    runtime = runtime_of(state)
    if request.route_handler.opt.get("replica"):
        async with runtime.reads.read(me.id) as conn:
            yield conn
        return
    async with (
        connection(runtime.pool, runtime.settings.database_wait_seconds) as conn,
        runtime.reads.tracking(request.method, me.id, conn),
    ):
        yield conn


def request_runtime(request: Request[Any, Any, Any]) -> Runtime:
    """The runtime of the app answering ``request``."""
    return runtime_of(request.app.state)


@contextmanager
def _picture_limits(settings: Settings) -> Iterator[None]:
    """The pixel budgets of pictures, for the lifetime of the app."""
    sources.set_limits(sources.Limits(settings.max_output_pixels, settings.max_decode_pixels))
    try:
        yield
    finally:
        sources.set_limits(sources.Limits())


@asynccontextmanager
async def running(
    settings: Settings, *, server_id: str, cors_policy: CorsPolicy
) -> AsyncIterator[Runtime]:
    """Build the runtime of ``settings``, run its listeners and passes, and tear all down."""
    url = settings.database_url
    if not url:
        raise ValueError("settings.database_url is required")
    async with AsyncExitStack() as stack:
        pool = await stack.enter_async_context(open_pool(settings))
        reads = await stack.enter_async_context(read_router(pool, settings))
        async with pool.acquire() as conn:
            signing_key = await load_signing_key(cast("asyncpg.Connection", conn))
        storage_root = await prepare_storage(settings, pool)
        stack.enter_context(_picture_limits(settings))
        checks = await stack.enter_async_context(check_pool(settings.check_processes))
        cpus = os.cpu_count() or 1
        runtime = Runtime(
            settings=settings,
            server_id=server_id,
            cors_policy=cors_policy,
            pool=pool,
            signing_key=signing_key,
            url_secret=signed_urls.derive_secret(signing_key.key.as_pem(private=True)),
            accounts=AccountCache(settings.auth_cache_seconds),
            storage_root=storage_root,
            ingest_limiter=anyio.CapacityLimiter(max(1, cpus)),
            tile_limiter=anyio.CapacityLimiter(max(2, 2 * cpus)),
            picture_cache=ByteLru(settings.tile_cache_bytes),
            image_decisions=Decisions(),
            served_pictures=Served(),
            position_channel=PositionChannel(url),
            reads=reads,
            checks=checks,
        )

        forget = runtime.forget_credentials
        await stack.enter_async_context(credentials_channel.listening(url, forget))
        await stack.enter_async_context(runtime.position_channel.listening())
        await stack.enter_async_context(overview_refresh(pool, settings))
        await stack.enter_async_context(terms_relist(pool, settings))
        await stack.enter_async_context(job_runner(settings, pool))
        yield runtime


def lifespan(
    cors_policy: CorsPolicy, server_id: str | None = None
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """The app's one lifespan: the runtime of the settings in its state, under ``runtime``."""
    ident = server_id or secrets.token_hex(8)

    @asynccontextmanager
    async def run(app: Litestar) -> AsyncIterator[None]:
        settings = app.state.settings
        if not isinstance(settings, Settings):
            raise TypeError("the app state must hold the settings to start from")
        async with running(settings, server_id=ident, cors_policy=cors_policy) as runtime:
            app.state[RUNTIME_KEY] = runtime
            yield

    return run


__all__ = [
    "RUNTIME_KEY",
    "Runtime",
    "SlicePlanes",
    "lifespan",
    "provide_anonymous_conn",
    "provide_conn",
    "provide_runtime",
    "request_runtime",
    "runtime_of",
]
