"""Algo annotations: shapes produced by analysis jobs, in the shared annotation table.

Cytomine only lets user jobs (a job's own account) create them. There is no job service
here yet, so any user who may write in the project creates them, as its own user.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page, page
from contracts.errors import NotFound
from server.auth.principal import Principal
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl
from server.db.store import annotation_kinds as kinds
from server.db.store.annotation_rows import AnnotationBody, prepare
from server.db.store.commands import record


async def _row(conn: asyncpg.Connection, annotation_id: int) -> asyncpg.Record:
    """The algo annotation JSON with its project and owner; NotFound when absent."""
    row = await conn.fetchrow(q.ALGO_ANNOTATION_GET, annotation_id)
    if row is None:
        raise NotFound("AlgoAnnotation", annotation_id)
    return row


async def fetch(conn: asyncpg.Connection, annotation_id: int) -> c.AlgoAnnotation:
    """One algo annotation, without an access check."""
    return decode.one((await _row(conn, annotation_id))["obj"], c.AlgoAnnotation)


async def get(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> c.AlgoAnnotation:
    """One algo annotation whose project the caller reads."""
    row = await _row(conn, annotation_id)
    await acl.readable(conn, me, row["project_id"])
    return decode.one(row["obj"], c.AlgoAnnotation)


async def list_visible(
    conn: asyncpg.Connection, me: Principal, max_: int, offset: int
) -> Page[c.AlgoAnnotation]:
    """Algo annotations of every project the caller reads, newest first."""
    row = await conn.fetchrow(q.ALGO_ANNOTATION_LIST, me.id, me.is_admin, max_ or None, offset)
    assert row is not None
    items = decode.many(row["items"], c.AlgoAnnotation)
    return page(items, size=int(row["size"]), offset=offset, max_=max_)


async def create(
    conn: asyncpg.Connection, me: Principal, body: AnnotationBody
) -> tuple[c.AlgoAnnotation, int]:
    """Create one algo annotation as the caller; the first problem found is raised."""
    row = await kinds.prepared_one(conn, me, body)
    async with conn.transaction():
        (annotation_id,) = await kinds.insert(
            conn,
            [row],
            kind="algo",
            user_ids=[me.id],
            term_user_id=me.id,
            compression=body.geometry_compression,
        )
        obj = await fetch(conn, annotation_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
    return obj, command


async def create_many(
    conn: asyncpg.Connection, me: Principal, bodies: list[AnnotationBody]
) -> BulkResult:
    """Create every algo annotation of an array, or none when any is rejected."""
    if not bodies:
        return BulkResult(data={"message": "No annotation to add"}, status=200)
    prepared, errors = await prepare(conn, me, bodies)
    if errors:
        rejected = [
            {"index": i, "message": exc.message, "errorValues": exc.values}
            for i, exc in sorted(errors.items())
        ]
        message = f"{len(errors)} of {len(bodies)} annotations rejected: none added"
        return BulkResult(
            data={"success": False, "message": message, "errors": rejected}, status=400
        )
    ready = [r for r in prepared if r is not None]
    async with conn.transaction():
        ids = await kinds.insert(
            conn, ready, kind="algo", user_ids=[me.id] * len(ready), term_user_id=me.id
        )
    return BulkResult(
        data={"success": True, "message": f"{len(ids)} annotations added", "ids": ids},
        status=200,
    )


async def update(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, body: AnnotationBody
) -> tuple[c.AlgoAnnotation, int]:
    """Change location, slice or terms of an algo annotation."""
    current = await _row(conn, annotation_id)
    access = await acl.project_access(conn, me, current["project_id"])
    access.require_edit(current["user_id"])
    old = decode.one(current["obj"], c.AlgoAnnotation)
    row = await kinds.prepared_one(conn, me, kinds.merged(body, old.image, old.location, old.slice))
    async with conn.transaction():
        await kinds.rewrite(conn, annotation_id, row, body, me.id)
        obj = await fetch(conn, annotation_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj, project_id=obj.project)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> tuple[c.AlgoAnnotation, int]:
    """Delete an algo annotation; answer it as it was."""
    current = await _row(conn, annotation_id)
    access = await acl.project_access(conn, me, current["project_id"])
    access.require_edit(current["user_id"])
    obj = decode.one(current["obj"], c.AlgoAnnotation)
    async with conn.transaction():
        await conn.execute(q.ANNOTATION_DELETE, annotation_id)
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


async def count_in_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, start: str | None, end: str | None
) -> int:
    """Algo annotations of a readable project, created between optional epoch-ms bounds."""
    after, before = kinds.epoch_ms(start, "startDate"), kinds.epoch_ms(end, "endDate")
    await acl.readable(conn, me, project_id)
    return await kinds.count_in_project(conn, project_id, "algo", after, before)


__all__ = ["count_in_project", "create", "create_many", "delete", "fetch", "get", "list_visible"]
