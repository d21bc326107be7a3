"""User annotations beyond CRUD: the admin light listing, counts and repeating onto slices."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl
from server.db.store import annotation_kinds as kinds
from server.db.store.annotation_rows import AnnotationBody, prepare
from server.db.store.commands import record
from server.db.store.user_annotations import fetch, get
from server.principal import Principal


async def list_light(
    conn: asyncpg.Connection, me: Principal, max_: int, offset: int
) -> Page[dict[str, Any]]:
    """Every user annotation without geometry, newest first (admins only, as Cytomine)."""
    if not me.is_admin:
        raise Forbidden("Only administrators list every user annotation")
    row = await conn.fetchrow(q.USER_ANNOTATION_LIST_LIGHT, max_ or None, offset)
    assert row is not None
    items: list[dict[str, Any]] = msgspec.json.decode(row["items"] or "[]")
    return page(items, size=int(row["size"]), offset=offset, max_=max_)


async def count_by_user(
    conn: asyncpg.Connection, me: Principal, user_id: int, project_id: int | None
) -> int:
    """User annotations drawn by a user, in one readable project or in all the caller reads."""
    if not await conn.fetchval(q.ANNOTATION_TERM_USER_EXISTS, user_id):
        raise NotFound("User", user_id)
    if project_id is not None:
        await acl.readable(conn, me, project_id)
    return int(
        await conn.fetchval(q.ANNOTATION_COUNT_BY_USER, user_id, project_id, me.id, me.is_admin)
    )


async def repeat(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, times: int, start: int | None
) -> list[c.UserAnnotation]:
    """Copy an annotation (shape and terms) onto the next ``times`` slices from ``start``."""
    if times < 1:
        raise Invalid(f"repeat must be a positive number, not {times}")
    old = await get(conn, me, annotation_id)
    first = start if start is not None else old.slice
    slices = [
        int(r["slice_id"])
        for r in await conn.fetch(q.ANNOTATION_REPEAT_SLICES, old.image, first, old.slice, times)
    ]
    if not slices and first != old.slice:
        raise NotFound("SliceInstance", first)
    bodies = [
        AnnotationBody(location=old.location, image=old.image, slice=s, term=old.term)
        for s in slices
    ]
    prepared, errors = await prepare(conn, me, bodies)
    if errors:
        raise next(iter(errors.values()))
    ready = [r for r in prepared if r is not None]
    out: list[c.UserAnnotation] = []
    async with conn.transaction():
        ids = await kinds.insert(
            conn, ready, kind="user", user_ids=[me.id] * len(ready), term_user_id=me.id
        )
        for new_id in ids:
            obj = await fetch(conn, new_id)
            await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
            out.append(obj)
    return out


__all__ = ["count_by_user", "list_light", "repeat"]
