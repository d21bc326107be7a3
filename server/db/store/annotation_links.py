"""Annotation links: one annotation (of any kind) placed in one annotation group."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, annotation_groups
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def _annotation(
    conn: asyncpg.Connection, annotation_id: int, *, lock: bool = False
) -> asyncpg.Record:
    """The annotation's project, owner and image; ``lock``: held against a concurrent delete
    until the transaction ends (found first, then locked on its image's rows)."""
    row = await conn.fetchrow(q.ANNOTATION_TRACK_ANNOTATION, annotation_id)
    if row is not None and lock:
        row = await conn.fetchrow(q.ANNOTATION_LINK_ANNOTATION, annotation_id, row["image_id"])
    if row is None:
        raise NotFound("Annotation", annotation_id)
    return row


async def of_group(
    conn: asyncpg.Connection, me: Principal, group_id: int, params: ListParams
) -> Page[c.AnnotationLink]:
    """Links of one annotation group."""
    await annotation_groups.readable(conn, me, group_id)
    return await fetch_page(conn, q.ANNOTATION_LINK_LIST, params, c.AnnotationLink, group_id)


async def of_annotation(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, params: ListParams
) -> Page[c.AnnotationLink]:
    """Every link of the group an annotation is in (Cytomine's answer); empty if none."""
    annotation = await _annotation(conn, annotation_id)
    await acl.readable(conn, me, annotation["project_id"])
    row = await conn.fetchrow(q.ANNOTATION_LINK_BY_ANNOTATION, annotation_id)
    if row is None:
        return page([], size=0, offset=params.offset, max_=params.max)
    return await fetch_page(conn, q.ANNOTATION_LINK_LIST, params, c.AnnotationLink, row["group_id"])


async def _link(conn: asyncpg.Connection, link_id: int) -> c.AnnotationLink:
    text = await conn.fetchval(q.ANNOTATION_LINK_BY_ID, link_id)
    if text is None:
        raise NotFound("AnnotationLink", link_id)
    return rows.one(text, c.AnnotationLink)


def _check(body: c.AnnotationLinkInput) -> tuple[int, int]:
    given = (("annotationIdent", body.annotation_ident), ("group", body.group))
    missing = [wire for wire, value in given if value is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.annotation_ident is not None and body.group is not None
    return body.annotation_ident, body.group


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.AnnotationLinkInput
) -> tuple[c.AnnotationLink, int]:
    """Put an annotation the caller may edit into a group of its project."""
    annotation_id, group_id = _check(body)
    async with conn.transaction():
        annotation = await _annotation(conn, annotation_id, lock=True)
        access = await acl.project_access(conn, me, annotation["project_id"])
        access.require_edit(annotation["owner_id"])
        group = await annotation_groups.readable(conn, me, group_id)
        if group.project != annotation["project_id"]:
            raise Invalid("Group and annotation are not in the same project!", {"group": group_id})
        if body.image is not None and body.image != annotation["image_id"]:
            raise Invalid(f"Annotation {annotation_id} is not on image {body.image}")
        try:
            link_id = await conn.fetchval(
                q.ANNOTATION_LINK_INSERT, group_id, annotation_id, annotation["image_id"]
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Annotation {annotation_id} is already in an annotation group") from exc
        obj = await _link(conn, link_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=group.project)
    return obj, command


async def place_new(
    conn: asyncpg.Connection, me: Principal, annotation: c.UserAnnotation, group_id: int
) -> c.AnnotationLink:
    """Put an annotation being created into a group of its project (inside its transaction)."""
    group = await annotation_groups.readable(conn, me, group_id)
    if group.project != annotation.project:
        raise Invalid("Group and annotation are not in the same project!", {"group": group_id})
    link_id = await conn.fetchval(
        q.ANNOTATION_LINK_INSERT, group_id, annotation.id, annotation.image
    )
    return await _link(conn, link_id)


async def remove(
    conn: asyncpg.Connection, me: Principal, group_id: int, annotation_id: int
) -> tuple[c.AnnotationLink, int]:
    """Take an annotation out of a group; answer the link as it was."""
    async with conn.transaction():
        annotation = await _annotation(conn, annotation_id, lock=True)
        access = await acl.project_access(conn, me, annotation["project_id"])
        access.require_edit(annotation["owner_id"])
        row = await conn.fetchrow(q.ANNOTATION_LINK_BY_ANNOTATION, annotation_id)
        if row is None or row["group_id"] != group_id:
            raise NotFound(
                "AnnotationLink", f"annotation={annotation_id}, annotationGroup={group_id}"
            )
        obj = rows.one(row["obj"], c.AnnotationLink)
        await delete_row(conn, q.ANNOTATION_LINK_DELETE, obj.id, kind="AnnotationLink")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=annotation["project_id"]
        )
    return obj, command


__all__ = ["create", "of_annotation", "of_group", "place_new", "remove"]
