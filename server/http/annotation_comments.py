"""Annotation comments: ``/api/{userannotation,algoannotation}/{id}/comment[/{id}]``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import annotation_comments as comments
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


class CommentBody(msgspec.Struct, kw_only=True):
    """What the clients post: the comment, its receivers and the fields of the e-mail."""

    comment: str | None = None
    receivers: list[int] | None = None
    emails: str | list[str] | None = None
    subject: str | None = None
    sender_address: str | None = msgspec.field(default=None, name="from")
    annotation_url: str | None = msgspec.field(default=None, name="annotationURL")
    share_annotation_url: str | None = msgspec.field(default=None, name="shareAnnotationURL")


def _addresses(emails: str | list[str] | None) -> list[str]:
    """E-mail addresses from a comma-separated string or a list."""
    items = emails.split(",") if isinstance(emails, str) else (emails or [])
    return [e.strip() for e in items if e and e.strip()]


_PREFIXES = {"userannotation": "user", "algoannotation": "algo"}
_BASES = tuple(f"/{p}/{{annotation:int}}/comment" for p in _PREFIXES)


def _kind(request: Request[Any, Any, Any]) -> str:
    """The annotation kind the path's first segment names."""
    return _PREFIXES[request.url.path.split("/")[2]]


class AnnotationCommentController(Controller):
    """Comments shared on user and algo annotations."""

    path = "/api"
    tags = ["Annotation comment"]

    @get(list(_BASES))
    async def list_comments(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        annotation: FromPath[int],
        list_params: Lists,
    ) -> Page[c.SharedAnnotation]:
        """Comments of an annotation the caller sent or received (all for admins)."""
        return await comments.list_for(conn, me, _kind(request), annotation, list_params)

    @get([f"{b}/{{comment_id:int}}" for b in _BASES])
    async def show(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        annotation: FromPath[int],
        comment_id: FromPath[int],
    ) -> c.SharedAnnotation:
        """One comment of an annotation."""
        return await comments.get(conn, me, _kind(request), annotation, comment_id)

    @post(list(_BASES), status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        annotation: FromPath[int],
        data: JSONBody[CommentBody],
    ) -> c.SharedAnnotationEnvelope:
        """Comment an annotation and share it with receivers (no e-mail is sent)."""
        obj, command = await comments.create(
            conn,
            me,
            _kind(request),
            annotation,
            data.comment,
            receivers=list(data.receivers or []),
            emails=_addresses(data.emails),
        )
        callback = {"annotationIdent": str(annotation)}
        return envelope(
            c.SharedAnnotationEnvelope, obj, action="ADD", command=command, callback=callback
        )


ROUTES = [AnnotationCommentController]
