"""Health routes: answered at once, without credentials.

``alive`` reflects the database: when it cannot be reached within the settings' wait the
answer is 503 with ``alive: false`` and ``Retry-After``, so a client or load balancer knows.
"""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State

from server.db.pool import UNAVAILABLE, connection
from server.db.store import health
from server.errors import RETRY_AFTER_SECONDS
from server.public_url import base_url
from server.runtime import Runtime, request_runtime
from server.version import VERSION


class Ping(msgspec.Struct, kw_only=True):
    """Answer of ``/server/ping`` and ``/status.json``."""

    alive: bool
    authenticated: bool
    version: str
    server_url: str = msgspec.field(name="serverURL")
    server_id: str = msgspec.field(name="serverID")


async def _database_alive(runtime: Runtime) -> bool:
    wait = runtime.settings.database_wait_seconds
    try:
        async with connection(runtime.pool, wait) as conn:
            await health.ping(conn, wait)
    except UNAVAILABLE + (asyncio.TimeoutError,):
        return False
    return True


async def _ping(request: Request[object, object, State]) -> Response[Ping]:
    runtime = request_runtime(request)
    alive = await _database_alive(runtime)
    ping = Ping(
        alive=alive,
        authenticated="authorization" in request.headers,
        version=VERSION,
        server_url=base_url(request),
        server_id=runtime.server_id,
    )
    if alive:
        return Response(ping)
    return Response(ping, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class HealthController(Controller):
    """``/server/ping`` (GET and POST, with or without ``.json``) and ``/status.json``."""

    tags = ["Server (health)"]

    @get(["/server/ping", "/status"])
    async def ping(self, request: Request[object, object, State]) -> Response[Ping]:
        return await _ping(request)

    @post("/server/ping", status_code=200)
    async def ping_post(self, request: Request[object, object, State]) -> Response[Ping]:
        return await _ping(request)


ROUTES = [HealthController]
