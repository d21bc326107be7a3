"""Comments on annotations (Cytomine's SharedAnnotation): a message shared with receivers.

Cytomine's rules: the annotation must be readable to list or read its comments; a list shows
only the comments the caller sent or received (every comment to an admin); posting needs the
right to edit the annotation (``checkFullOrRestrictedForOwner``). The core also e-mails the
receivers (``subject``, ``from``, ``annotationURL``, ``shareAnnotationURL`` and ``emails``
shape that mail): no mail is sent here, the comment is stored and answered as when mail works.
``emails`` naming registered users add them to the receivers; other addresses are ignored.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.annotation_kinds import locate
from server.db.store.commands import record
from server.principal import Principal

ANNOTATION_CLASSES = {
    "user": "be.cytomine.domain.ontology.UserAnnotation",
    "algo": "be.cytomine.domain.ontology.AlgoAnnotation",
}


class CommentedAnnotation(msgspec.Struct, frozen=True, kw_only=True):
    """The annotation a comment route names, and the caller's rights in its project."""

    id: int
    class_name: str
    owner_id: int
    access: acl.ProjectAccess


async def _annotation(
    conn: asyncpg.Connection, me: Principal, kind: str, annotation_id: int
) -> CommentedAnnotation:
    """An annotation of ``kind`` the caller may read (NotFound under another kind's route)."""
    found = await locate(conn, annotation_id)
    if found.kind != kind:
        raise NotFound("Annotation", annotation_id)
    access = await acl.readable(conn, me, found.project_id)
    return CommentedAnnotation(
        id=annotation_id, class_name=ANNOTATION_CLASSES[kind], owner_id=found.user_id, access=access
    )


async def list_for(
    conn: asyncpg.Connection, me: Principal, kind: str, annotation_id: int, params: ListParams
) -> Page[c.SharedAnnotation]:
    """Comments of an annotation that the caller sent or received, newest first."""
    await _annotation(conn, me, kind, annotation_id)
    extra = (annotation_id, me.id, me.is_admin)
    return await fetch_page(conn, q.SHARED_ANNOTATION_LIST, params, c.SharedAnnotation, *extra)


async def _fetch(
    conn: asyncpg.Connection, annotation_id: int, comment_id: int
) -> c.SharedAnnotation:
    text = await conn.fetchval(q.SHARED_ANNOTATION_BY_ID, comment_id, annotation_id)
    if text is None:
        raise NotFound("SharedAnnotation", comment_id)
    return rows.one(text, c.SharedAnnotation)


async def get(
    conn: asyncpg.Connection, me: Principal, kind: str, annotation_id: int, comment_id: int
) -> c.SharedAnnotation:
    """One comment of an annotation the caller may read."""
    await _annotation(conn, me, kind, annotation_id)
    return await _fetch(conn, annotation_id, comment_id)


async def _receivers(conn: asyncpg.Connection, ids: list[int], emails: list[str]) -> list[int]:
    """Receiver ids, then the users named by ``emails`` (unknown users are dropped)."""
    if emails:
        ids = ids + [r["id"] for r in await conn.fetch(q.USER_IDS_BY_EMAIL, emails)]
    return ids


async def create(
    conn: asyncpg.Connection,
    me: Principal,
    kind: str,
    annotation_id: int,
    comment: str | None,
    *,
    receivers: list[int],
    emails: list[str],
) -> tuple[c.SharedAnnotation, int]:
    """Comment an annotation the caller may edit and share it with the receivers (ids) and
    the registered users of ``emails``."""
    target = await _annotation(conn, me, kind, annotation_id)
    target.access.require_edit(target.owner_id)
    receivers = await _receivers(conn, receivers, emails)
    async with conn.transaction():
        comment_id = await conn.fetchval(
            q.SHARED_ANNOTATION_INSERT, target.id, target.class_name, me.id, comment, receivers
        )
        obj = await _fetch(conn, annotation_id, comment_id)
        command = await record(
            conn, user_id=me.id, action="ADD", obj=obj, project_id=target.access.project_id
        )
    return obj, command


__all__ = ["ANNOTATION_CLASSES", "create", "get", "list_for"]
