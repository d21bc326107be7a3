"""Reviewed annotations: a reviewer's validated copies, in the shared annotation table.

A reviewed annotation keeps its parent's owner (``user``), points back to it (``parentIdent``,
one copy per parent) and records its reviewer; its terms are the reviewer's. Only its
reviewer (or an admin) changes or deletes it, as Cytomine's creator check.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl
from server.db.store import annotation_kinds as kinds
from server.db.store.annotation_rows import AnnotationBody
from server.principal import Principal


class ReviewedBody(AnnotationBody, kw_only=True):
    """A reviewed annotation as clients send it (unknown keys are ignored)."""

    parent_ident: int | None = msgspec.field(default=None, name="parentIdent")
    status: int | None = None


REVIEWED = kinds.KindStore(
    "reviewed",
    c.ReviewedAnnotation,
    lambda: q.REVIEWED_ANNOTATION_GET,
    lambda: q.REVIEWED_ANNOTATION_LIST,
)
fetch = REVIEWED.fetch
get = REVIEWED.get
list_visible = REVIEWED.list_visible


async def create(
    conn: asyncpg.Connection, me: Principal, body: ReviewedBody
) -> tuple[c.ReviewedAnnotation, int]:
    """Store a reviewed copy described in full by the body (the caller is its reviewer)."""
    if body.parent_ident is None:
        raise Invalid("Missing required field(s): parentIdent", {"missing": ["parentIdent"]})
    parent = await kinds.locate(conn, body.parent_ident)
    if parent.kind == "reviewed":
        raise Invalid(f"Annotation {parent.id} is a reviewed annotation")
    if await conn.fetchval(q.REVIEWED_ANNOTATION_BY_PARENT, parent.id) is not None:
        raise Conflict(f"Annotation {parent.id} has already been reviewed")
    row = await kinds.prepared_one(conn, me, body)
    async with conn.transaction():
        (annotation_id,) = await kinds.insert(
            conn,
            [row],
            kind="reviewed",
            user_ids=[parent.user_id],
            term_user_id=me.id,
            parent_ids=[parent.id],
            reviewer_id=me.id,
            status=body.status if body.status is not None else 1,
            compression=body.geometry_compression,
        )
        return await REVIEWED.recorded(conn, me, annotation_id, "ADD")


async def _editable(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> asyncpg.Record:
    """The reviewed annotation, once the caller may write and is its reviewer or an admin."""
    current = await REVIEWED.row(conn, annotation_id)
    await acl.writable(conn, me, current["project_id"])
    if not me.is_admin and current["reviewer_id"] != me.id:
        raise Forbidden(f"Only the reviewer may change reviewed annotation {annotation_id}")
    return current


async def update(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, body: AnnotationBody
) -> tuple[c.ReviewedAnnotation, int]:
    """Change location, slice or terms of a reviewed annotation."""
    return await REVIEWED.change(conn, me, await _editable(conn, me, annotation_id), body)


async def delete(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> tuple[c.ReviewedAnnotation, int]:
    """Delete a reviewed annotation (the parent stays); answer it as it was."""
    return await REVIEWED.remove(conn, me, await _editable(conn, me, annotation_id))


async def count_mine(conn: asyncpg.Connection, me: Principal) -> int:
    """Annotations the caller validated (Cytomine ignores the user id of the path)."""
    return int(await conn.fetchval(q.ANNOTATION_COUNT_BY_REVIEWER, me.id))


async def stats(
    conn: asyncpg.Connection, me: Principal, image_id: int, max_: int, offset: int
) -> Page[dict[str, Any]]:
    """Per annotation owner on a readable image: annotations and how many are reviewed."""
    state = await conn.fetchrow(q.IMAGE_REVIEW_STATE, image_id)
    if state is None:
        raise NotFound("ImageInstance", image_id)
    await acl.readable(conn, me, state["project_id"])
    items: list[dict[str, Any]] = msgspec.json.decode(
        await conn.fetchval(q.REVIEWED_ANNOTATION_STATS, image_id, me.id, me.is_admin) or "[]"
    )
    chosen = items[offset : offset + max_] if max_ else items[offset:]
    return page(chosen, size=len(items), offset=offset, max_=max_)


__all__ = [
    "REVIEWED",
    "ReviewedBody",
    "count_mine",
    "create",
    "delete",
    "fetch",
    "get",
    "list_visible",
    "stats",
    "update",
]
