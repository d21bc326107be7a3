"""User annotation service: ``/api/annotation…`` and ``/api/userannotation…``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page, page
from contracts.errors import Invalid, NotFound
from server.db.replicas import REPLICA
from server.db.store import user_annotation_extras as extras
from server.db.store import user_annotations as store
from server.db.store.annotation_listing import ListingPage, list_annotations
from server.db.store.annotation_rows import AnnotationBody
from server.db.store.commands import Action
from server.http import annotation_kinds as kinds
from server.http.annotation_query import parse_query
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import OBJECT, json_body, parse_id
from server.runtime import request_runtime

_BODY = msgspec.json.Decoder(AnnotationBody | list[AnnotationBody])


class AnnotationEnvelope(msgspec.Struct, kw_only=True):
    """The command envelope under both keys the official clients read."""

    annotation: c.UserAnnotation
    userannotation: c.UserAnnotation
    message: str
    callback: dict[str, Any]
    print_message: bool = msgspec.field(name="printMessage")
    command: int | None = None


def _envelope(obj: c.UserAnnotation, action: Action, command: int) -> AnnotationEnvelope:
    base = envelope(c.UserAnnotationEnvelope, obj, action=action, command=command)
    return AnnotationEnvelope(
        annotation=obj,
        userannotation=obj,
        message=base.message,
        callback={**base.callback, "annotationID": str(obj.id), "imageinstanceID": str(obj.image)},
        print_message=True,
        command=command,
    )


def _row_budget(request: Request[Any, Any, Any]) -> int:
    """The server's row budget of a listing window (``LAMINA_WINDOW_ROW_BUDGET``)."""
    return request_runtime(request).settings.window_row_budget


def _single(raw: bytes) -> AnnotationBody:
    """A body that must hold one annotation object."""
    body = json_body(raw, _BODY)
    if isinstance(body, list):
        raise Invalid("Expected one annotation object, not an array")
    return body


async def _generic_kind(conn: Conn, request: Request[Any, Any, Any], annotation_id: int) -> str:
    """The annotation's kind on ``/api/annotation/{id}``; "user" on the user routes."""
    if "/userannotation/" in request.url.path:
        return "user"
    try:
        return await kinds.kind_of(conn, annotation_id)
    except NotFound:
        return "user"


class AnnotationController(Controller):
    """Annotations drawn by users (the generic annotation routes serve them too)."""

    path = "/api"
    tags = ["UserAnnotation"]

    @post(["/annotation", "/userannotation"], status_code=200)
    async def create(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope | kinds.AlgoEnvelope | BulkResult:
        """Create one annotation, or every annotation of a JSON array (all or nothing).

        A job's user job creates algo annotations here, as Cytomine does for algo accounts.
        """
        body = json_body(await request.body(), _BODY)
        if me.algo and "/userannotation" not in request.url.path:
            return await kinds.create_algo(conn, me, body)
        if isinstance(body, list):
            return await store.create_many(conn, me, body, request_runtime(request).checks)
        obj, command = await store.create(conn, me, body)
        return _envelope(obj, "ADD", command)

    @get("/userannotation")
    async def list_light(self, conn: Conn, me: Me, list_params: Lists) -> Page[dict[str, Any]]:
        """Every user annotation without geometry, newest first (admins only)."""
        return await extras.list_light(conn, me, list_params.max, list_params.offset)

    @get(["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"], opt=REPLICA)
    async def show(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> c.UserAnnotation | c.AlgoAnnotation | c.ReviewedAnnotation:
        """One annotation (the generic route answers algo and reviewed ones too)."""
        kind = await _generic_kind(conn, request, annotation_id)
        if kind != "user":
            return await kinds.show_other(conn, me, annotation_id, kind)
        return await store.get(conn, me, annotation_id)

    @put(["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"])
    async def update(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope | kinds.AlgoEnvelope | c.ReviewedAnnotationEnvelope:
        """Change the location, slice or terms of an annotation."""
        kind = await _generic_kind(conn, request, annotation_id)
        if kind != "user":
            return await kinds.update_other(conn, me, annotation_id, kind, await request.body())
        body = _single(await request.body())
        obj, command = await store.update(conn, me, annotation_id, body)
        return _envelope(obj, "EDIT", command)

    @delete(
        ["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"], status_code=200
    )
    async def remove(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope | kinds.AlgoEnvelope | c.ReviewedAnnotationEnvelope:
        """Delete an annotation; answer it as it was."""
        kind = await _generic_kind(conn, request, annotation_id)
        if kind != "user":
            return await kinds.delete_other(conn, me, annotation_id, kind)
        obj, command = await store.delete(conn, me, annotation_id)
        return _envelope(obj, "DELETE", command)

    @get(["/annotation", "/annotation/search"], opt=REPLICA)
    async def list_annotations(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> ListingPage:
        """Annotations matching the query's filters, newest first."""
        query = parse_query(dict(request.query_params))
        return await list_annotations(conn, me, query, budget=_row_budget(request))

    @post("/annotation/search", status_code=200, opt=REPLICA)
    async def search(self, conn: Conn, me: Me, request: Request[Any, Any, Any]) -> ListingPage:
        """The listing with a JSON body merged over the query string."""
        raw = await request.body()
        params: dict[str, Any] = dict(request.query_params)
        if raw.strip():
            search = json_body(raw, OBJECT)
            params.update(search)
        return await list_annotations(conn, me, parse_query(params), budget=_row_budget(request))


class RepeatBody(msgspec.Struct, kw_only=True):
    """``{repeat: N, slice: start slice id}`` (unknown keys are ignored)."""

    repeat: int = 1
    slice: int | None = None


class UserAnnotationExtrasController(Controller):
    """The admin light listing, counts and repeating an annotation onto other slices."""

    path = "/api"
    tags = ["UserAnnotation"]

    @post("/userannotation/{annotation_id:int}/repeat", status_code=200)
    async def repeat(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> Page[c.UserAnnotation]:
        """Copy an annotation onto the next ``repeat`` slices from ``slice``."""
        raw = await request.body()
        body = json_body(raw, _REPEAT) if raw.strip() else RepeatBody()
        made = await extras.repeat(conn, me, annotation_id, body.repeat, body.slice)
        return page(made, size=len(made), offset=0, max_=0)

    @get("/project/{project_id:int}/userannotation/count")
    async def count_in_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> dict[str, int]:
        """User annotations of a project, between optional startDate/endDate (epoch ms)."""
        return await kinds.count_response(conn, me, project_id, request, "user")

    @get("/user/{user_id:int}/userannotation/count")
    async def count_by_user(
        self, conn: Conn, me: Me, user_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> dict[str, int]:
        """Annotations a user drew, optionally within ``project``."""
        raw = request.query_params.get("project")
        project_id = parse_id(raw, name="project") if raw else None
        return {"total": await extras.count_by_user(conn, me, user_id, project_id)}


_REPEAT = msgspec.json.Decoder(RepeatBody)

ROUTES = [AnnotationController, UserAnnotationExtrasController]
