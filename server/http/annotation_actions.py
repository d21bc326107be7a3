"""Annotation action service: what users do with annotations, listed per image or slice."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import annotation_actions as store
from server.db.store.activity import instant
from server.http.deps import Conn, Lists, Me

AfterThan = Annotated[int | None, QueryParameter(name="afterThan")]
BeforeThan = Annotated[int | None, QueryParameter(name="beforeThan")]


class Total(msgspec.Struct, kw_only=True):
    """A count: {"total": N}."""

    total: int


def _filter(user: int | None, after: int | None, before: int | None) -> store.ActionFilter:
    return store.ActionFilter(
        user=user, after=instant(after, "afterThan"), before=instant(before, "beforeThan")
    )


class AnnotationActionController(Controller):
    """Actions on annotations recorded by the viewer."""

    path = "/api"
    tags = ["Annotation action"]

    @post("/annotation_action", status_code=200)
    async def add(
        self, conn: Conn, me: Me, data: JSONBody[c.AnnotationActionInput]
    ) -> c.AnnotationAction:
        """Record an action on an annotation: body {annotationIdent, action}."""
        return await store.add(conn, me, data)

    @get("/imageinstance/{image_id:int}/annotation_action")
    async def by_image(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        list_params: Lists,
        user: FromQuery[int | None] = None,
        after_than: AfterThan = None,
        before_than: BeforeThan = None,
    ) -> Page[c.AnnotationAction]:
        """Actions on the annotations of an image (user, afterThan, beforeThan filters)."""
        found = _filter(user, after_than, before_than)
        return await store.by_image(conn, me, image_id, found, list_params)

    @get("/sliceinstance/{slice_id:int}/annotation_action")
    async def by_slice(
        self,
        conn: Conn,
        me: Me,
        slice_id: FromPath[int],
        list_params: Lists,
        user: FromQuery[int | None] = None,
        after_than: AfterThan = None,
        before_than: BeforeThan = None,
    ) -> Page[c.AnnotationAction]:
        """Actions on the annotations of a slice (user, afterThan, beforeThan filters)."""
        found = _filter(user, after_than, before_than)
        return await store.by_slice(conn, me, slice_id, found, list_params)

    @get("/project/{project_id:int}/annotation_action/count")
    async def count(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        start_date: Annotated[int | None, QueryParameter(name="startDate")] = None,
        end_date: Annotated[int | None, QueryParameter(name="endDate")] = None,
        type_: Annotated[str | None, QueryParameter(name="type")] = None,
    ) -> Total:
        """Number of annotation actions in the project (startDate, endDate, type=action)."""
        found = store.ActionFilter(
            after=instant(start_date, "startDate"), before=instant(end_date, "endDate")
        )
        return Total(total=await store.count(conn, me, project_id, found, type_))


ROUTES = [AnnotationActionController]
