"""Image servers (legacy list: this process is the one server)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import image_servers
from server.http.deps import Conn, Lists, Me


class ImageServerController(Controller):
    """Registered image servers."""

    path = "/api/imageserver"
    tags = ["Image server"]

    @get("/")
    async def list_servers(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.ImageServer]:
        """Every image server."""
        return await image_servers.list_servers(conn, list_params)

    @get("/{server_id:int}")
    async def show(self, conn: Conn, me: Me, server_id: FromPath[int]) -> c.ImageServer:
        """One image server."""
        return await image_servers.get(conn, server_id)


ROUTES = [ImageServerController]
