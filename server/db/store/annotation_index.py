"""Annotation index of a slice: per user, annotations drawn and annotations validated."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import NotFound
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl
from server.principal import Principal


async def by_slice(
    conn: asyncpg.Connection, me: Principal, slice_id: int, max_: int, offset: int
) -> Page[c.AnnotationIndex]:
    """Counts per user on a slice of a readable project (computed, not stored)."""
    project_id = await conn.fetchval(q.ANNOTATION_INDEX_SLICE_PROJECT, slice_id)
    if project_id is None:
        raise NotFound("SliceInstance", slice_id)
    await acl.readable(conn, me, project_id)
    items = decode.many(
        await conn.fetchval(q.ANNOTATION_INDEX_BY_SLICE, slice_id, me.id, me.is_admin),
        c.AnnotationIndex,
    )
    chosen = items[offset : offset + max_] if max_ else items[offset:]
    return page(chosen, size=len(items), offset=offset, max_=max_)


__all__ = ["by_slice"]
