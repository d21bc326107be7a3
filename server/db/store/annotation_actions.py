"""Annotation actions: what users do with annotations (select, edit...), listed and counted."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.activity import readable_image, readable_slice, refuse
from server.principal import Principal


class ActionFilter(msgspec.Struct, frozen=True, kw_only=True):
    """List filters: user and a creation time range."""

    user: int | None = None
    after: datetime | None = None
    before: datetime | None = None


async def add(
    conn: asyncpg.Connection, me: Principal, body: c.AnnotationActionInput
) -> c.AnnotationAction:
    """Record what the caller did with an annotation of a project they read."""
    given = (("annotationIdent", body.annotation_ident is not None), ("action", bool(body.action)))
    missing = [name for name, present in given if not present]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.annotation_ident is not None
    row = await conn.fetchrow(
        q.ANNOTATION_ACTION_ADD, body.annotation_ident, me.id, me.is_admin, body.action
    )
    if row is None:
        raise NotFound("Annotation", body.annotation_ident)
    if not row["readable"]:
        raise refuse(row["project_id"])
    return rows.one(row["obj"], c.AnnotationAction)


async def by_image(
    conn: asyncpg.Connection,
    me: Principal,
    image_id: int,
    found: ActionFilter,
    params: ListParams,
) -> Page[c.AnnotationAction]:
    """Actions on the annotations of one image, newest first."""
    await readable_image(conn, me, image_id)
    args = (image_id, None, found.user, found.after, found.before)
    return await fetch_page(conn, q.ANNOTATION_ACTION_LIST, params, c.AnnotationAction, *args)


async def by_slice(
    conn: asyncpg.Connection,
    me: Principal,
    slice_id: int,
    found: ActionFilter,
    params: ListParams,
) -> Page[c.AnnotationAction]:
    """Actions on the annotations of one slice, newest first."""
    await readable_slice(conn, me, slice_id)
    args = (None, slice_id, found.user, found.after, found.before)
    return await fetch_page(conn, q.ANNOTATION_ACTION_LIST, params, c.AnnotationAction, *args)


async def count(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    found: ActionFilter,
    action: str | None,
) -> int:
    """Number of annotation actions in a project (between two instants, of one action)."""
    await acl.readable(conn, me, project_id)
    args = (project_id, found.after, found.before, action)
    return int(await conn.fetchval(q.ANNOTATION_ACTION_COUNT, *args))


__all__ = ["ActionFilter", "add", "by_image", "by_slice", "count"]
