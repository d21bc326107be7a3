"""Algo annotations: shapes produced by analysis jobs, in the shared annotation table.

The caller owns what it creates: a job's user job signing with its own keys makes its run's
annotations (also through the generic annotation route). Project writers may post them too,
as their own, for imports of results computed elsewhere.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import BulkResult
from server.auth.principal import Principal
from server.db import queries as q
from server.db.store import acl
from server.db.store import annotation_kinds as kinds
from server.db.store.annotation_rows import AnnotationBody, prepare

ALGO = kinds.KindStore("algo", c.AlgoAnnotation, q.ALGO_ANNOTATION_GET, q.ALGO_ANNOTATION_LIST)
fetch = ALGO.fetch
get = ALGO.get
list_visible = ALGO.list_visible


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
        return await ALGO.recorded(conn, me, annotation_id, "ADD")


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


async def _editable(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> asyncpg.Record:
    """The algo annotation, once the caller may edit it (its owner, or a project manager)."""
    current = await ALGO.row(conn, annotation_id)
    access = await acl.project_access(conn, me, current["project_id"])
    access.require_edit(current["user_id"])
    return current


async def update(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, body: AnnotationBody
) -> tuple[c.AlgoAnnotation, int]:
    """Change location, slice or terms of an algo annotation."""
    return await ALGO.change(conn, me, await _editable(conn, me, annotation_id), body)


async def delete(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> tuple[c.AlgoAnnotation, int]:
    """Delete an algo annotation; answer it as it was."""
    return await ALGO.remove(conn, me, await _editable(conn, me, annotation_id))


__all__ = [
    "ALGO",
    "create",
    "create_many",
    "delete",
    "fetch",
    "get",
    "list_visible",
    "update",
]
