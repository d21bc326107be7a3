"""Image consultation service: image openings recorded by the viewer and their summaries."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid
from server.db.store import image_consultations as store
from server.db.store.activity import instant
from server.http.deps import Conn, Lists, Me
from server.params import flag


class Opening(msgspec.Struct, kw_only=True):
    """What the viewer posts when it opens an image."""

    mode: str | None = None


class Total(msgspec.Struct, kw_only=True):
    """A count: {"total": N}."""

    total: int


class ImageConsultationController(Controller):
    """Which images users open."""

    path = "/api"
    tags = ["Image consultation"]

    @post("/imageinstance/{image_id:int}/consultation", status_code=200)
    async def add(
        self, conn: Conn, me: Me, image_id: FromPath[int], data: JSONBody[Opening]
    ) -> c.PersistentImageConsultation:
        """Record that the caller opened the image: body {mode}."""
        return await store.add(conn, me, image_id, data.mode)

    @get("/project/{project_id:int}/user/{user_id:int}/imageconsultation")
    async def by_user(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        user_id: FromPath[int],
        list_params: Lists,
        distinct_images: Annotated[str | None, QueryParameter(name="distinctImages")] = None,
    ) -> Page[c.PersistentImageConsultation] | Page[store.DistinctImage]:
        """A user's image openings in a project; distinctImages=true: once per image."""
        if flag(distinct_images, name="distinctImages"):
            return await store.distinct_by_user(conn, me, project_id, user_id, list_params)
        return await store.by_user(conn, me, project_id, user_id, list_params)

    @get("/imageconsultation/resume")
    async def resume(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        user: FromQuery[int | None] = None,
        project: FromQuery[int | None] = None,
    ) -> Page[store.Resume]:
        """Per image summary of a user's consultations in a project (user, project required)."""
        if user is None or project is None:
            missing = [n for n, v in (("user", user), ("project", project)) if v is None]
            raise Invalid(f"Missing required parameter(s): {', '.join(missing)}")
        return await store.resume(conn, me, project, user, list_params)

    @get("/project/{project_id:int}/lastImages")
    async def last_images(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[store.LastImage]:
        """The last image each member opened in the project."""
        return await store.last_images(conn, me, project_id, list_params)

    @get("/project/{project_id:int}/imageconsultation/count")
    async def count(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        start_date: Annotated[int | None, QueryParameter(name="startDate")] = None,
        end_date: Annotated[int | None, QueryParameter(name="endDate")] = None,
    ) -> Total:
        """Number of image openings in the project (startDate, endDate in epoch ms)."""
        start, end = instant(start_date, "startDate"), instant(end_date, "endDate")
        return Total(total=await store.count(conn, me, project_id, start, end))


ROUTES = [ImageConsultationController]
