"""Image filter service: the filter catalogue and the filters each project enables."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import image_filters as store
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


class ImageFilterController(Controller):
    """``/api/imagefilter…`` and ``/api/imagefilterproject…``."""

    path = "/api"
    tags = ["Image filter"]

    @get("/imagefilter")
    async def list_filters(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.ImageFilter]:
        """Every image filter."""
        return await store.list_filters(conn, list_params)

    @post("/imagefilter", status_code=200)
    async def create_filter(
        self, conn: Conn, me: Me, data: JSONBody[c.ImageFilterInput]
    ) -> c.ImageFilterEnvelope:
        """Register a filter: body {name, method, available} (admins)."""
        obj, command = await store.create_filter(conn, me, data)
        return envelope(c.ImageFilterEnvelope, obj, action="ADD", command=command)

    @get("/imagefilterproject")
    async def list_enabled(
        self, conn: Conn, me: Me, list_params: Lists
    ) -> Page[c.ImageFilterProject]:
        """Filters enabled in the projects the caller reads."""
        return await store.list_enabled(conn, me, list_params)

    @post("/imagefilterproject", status_code=200)
    async def enable(
        self, conn: Conn, me: Me, data: JSONBody[c.ImageFilterProjectInput]
    ) -> c.ImageFilterProjectEnvelope:
        """Enable a filter in a project: body {imageFilter, project} (its managers)."""
        obj, command = await store.enable(conn, me, data)
        return envelope(c.ImageFilterProjectEnvelope, obj, action="ADD", command=command)

    @delete("/imagefilterproject/{link_id:int}", status_code=200)
    async def disable(
        self, conn: Conn, me: Me, link_id: FromPath[int]
    ) -> c.ImageFilterProjectEnvelope:
        """Disable a filter in a project (its managers)."""
        obj, command = await store.disable(conn, me, link_id)
        return envelope(c.ImageFilterProjectEnvelope, obj, action="DELETE", command=command)

    @get("/project/{project_id:int}/imagefilterproject")
    async def of_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.ImageFilterProject]:
        """Filters enabled in one project (its members)."""
        return await store.list_enabled(conn, me, list_params, project_id)


ROUTES = [ImageFilterController]
