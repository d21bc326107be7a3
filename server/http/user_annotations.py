"""User annotation service: ``/api/annotation…`` and ``/api/userannotation…``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import BulkResult
from contracts.errors import Invalid
from server.db.store import user_annotations as store
from server.db.store.annotation_listing import ListingPage, list_annotations, parse_query
from server.db.store.annotation_rows import AnnotationBody
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Me

_BODY = msgspec.json.Decoder(AnnotationBody | list[AnnotationBody])
_SEARCH = msgspec.json.Decoder(dict[str, Any])


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


def _decode(raw: bytes, decoder: msgspec.json.Decoder[Any]) -> Any:
    """A JSON body, or 400 saying why it cannot be read."""
    try:
        return decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise Invalid(f"Bad request body: {exc}") from exc


def _single(raw: bytes) -> AnnotationBody:
    """A body that must hold one annotation object."""
    body = _decode(raw, _BODY)
    if isinstance(body, list):
        raise Invalid("Expected one annotation object, not an array")
    return body  # type: ignore[no-any-return]


class AnnotationController(Controller):
    """Annotations drawn by users (the generic annotation routes serve them too)."""

    path = "/api"
    tags = ["UserAnnotation"]

    @post(["/annotation", "/userannotation"], status_code=200)
    async def create(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope | BulkResult:
        """Create one annotation, or every annotation of a JSON array (all or nothing)."""
        body = _decode(await request.body(), _BODY)
        if isinstance(body, list):
            return await store.create_many(conn, me, body)
        obj, command = await store.create(conn, me, body)
        return _envelope(obj, "ADD", command)

    @get(["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"])
    async def show(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> c.UserAnnotation:
        """One annotation."""
        return await store.get(conn, me, annotation_id)

    @put(["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"])
    async def update(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope:
        """Change the location, slice or terms of an annotation."""
        body = _single(await request.body())
        obj, command = await store.update(conn, me, annotation_id, body)
        return _envelope(obj, "EDIT", command)

    @delete(
        ["/annotation/{annotation_id:int}", "/userannotation/{annotation_id:int}"], status_code=200
    )
    async def remove(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> AnnotationEnvelope:
        """Delete an annotation; answer it as it was."""
        obj, command = await store.delete(conn, me, annotation_id)
        return _envelope(obj, "DELETE", command)

    @get(["/annotation", "/annotation/search"])
    async def list_annotations(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> ListingPage:
        """Annotations matching the query's filters, newest first."""
        query = parse_query(dict(request.query_params))
        return await list_annotations(conn, me, query)

    @post("/annotation/search", status_code=200)
    async def search(self, conn: Conn, me: Me, request: Request[Any, Any, Any]) -> ListingPage:
        """The listing with a JSON body merged over the query string."""
        raw = await request.body()
        params: dict[str, Any] = dict(request.query_params)
        if raw.strip():
            params.update(_decode(raw, _SEARCH))
        return await list_annotations(conn, me, parse_query(params))


ROUTES = [AnnotationController]
