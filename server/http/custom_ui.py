"""Custom UI service: what the Web UI shows to the caller, globally and in a project."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery

from server.db.store import custom_ui as store
from server.http.deps import Conn, Me
from server.params import json_body

_ANY: msgspec.json.Decoder[object] = msgspec.json.Decoder()


class CustomUIController(Controller):
    """``/api/custom-ui/…``: flat visibility map and per-project settings."""

    path = "/api/custom-ui"
    tags = ["Custom UI"]

    @get("/config")
    async def config(
        self, conn: Conn, me: Me, project: FromQuery[int | None] = None
    ) -> msgspec.Raw:
        """Key -> shown for the caller (project keys too with ``project=<id>``)."""
        return await store.config(conn, me, project)

    @get("/project/{project_id:int}")
    async def show(self, conn: Conn, me: Me, project_id: FromPath[int]) -> msgspec.Raw:
        """Key -> {ADMIN_PROJECT, CONTRIBUTOR_PROJECT} in force in a project."""
        return await store.project_config(conn, me, project_id)

    @post("/project/{project_id:int}", status_code=200)
    async def save(
        self, conn: Conn, me: Me, project_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> msgspec.Raw:
        """Replace a project's settings (its managers and admins)."""
        body = json_body(await request.body() or b"null", _ANY)
        return await store.save_project_config(conn, me, project_id, body)


class RootCustomUIController(CustomUIController):
    """The same routes without ``/api``, where the JS client (``host/custom-ui/…``) asks."""

    path = "/custom-ui"
    include_in_schema = False


ROUTES = [CustomUIController, RootCustomUIController]
