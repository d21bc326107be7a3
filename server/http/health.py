"""Health routes: answered at once, without credentials."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State

from server.public_url import base_url
from server.version import VERSION


class Ping(msgspec.Struct, kw_only=True):
    """Answer of ``/server/ping`` and ``/status.json``."""

    alive: bool
    authenticated: bool
    version: str
    server_url: str = msgspec.field(name="serverURL")
    server_id: str = msgspec.field(name="serverID")


def _ping(request: Request[object, object, State]) -> Ping:
    return Ping(
        alive=True,
        authenticated="authorization" in request.headers,
        version=VERSION,
        server_url=base_url(request),
        server_id=request.app.state.server_id,
    )


class HealthController(Controller):
    """``/server/ping`` (GET and POST, with or without ``.json``) and ``/status.json``."""

    tags = ["Server (health)"]

    @get(["/server/ping", "/status"], sync_to_thread=False)
    def ping(self, request: Request[object, object, State]) -> Ping:
        return _ping(request)

    @post("/server/ping", status_code=200, sync_to_thread=False)
    def ping_post(self, request: Request[object, object, State]) -> Ping:
        return _ping(request)


ROUTES = [HealthController]
