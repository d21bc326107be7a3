"""User annotations: fetch, create (one or a bulk array), change and delete.

Bulk arrays are all-or-nothing: when any item is rejected nothing is written and the answer
lists each rejection by index (Cytomine's ``{"data", "status": 400}`` shape). An array is
written in one transaction by binary COPY (ids allocated in one block, geometry as WKB, terms
copied against those ids, one command row): chunks are checked in a checker process (in a
worker thread without a check pool) while PostgreSQL loads the previous chunk, and a rejected
chunk aborts the COPY.
"""

from __future__ import annotations

from asyncio import Future, ensure_future
from collections.abc import AsyncIterator, Iterator

import anyio
import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import BulkResult
from contracts.errors import NotFound
from server.check_pool import CheckPool
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl, terms_listed
from server.db.store.annotation_attach import attach, attach_many, check_many
from server.db.store.annotation_copy import (
    BATCH_ROWS,
    Batch,
    Parents,
    allocate_ids,
    copy_batches,
    count_added,
    encode_annotations,
    encode_overview,
    encode_terms,
    link_count,
    one_behind,
    parents,
    tally,
)
from server.db.store.annotation_kinds import link_terms
from server.db.store.annotation_rows import (
    THREAD_THRESHOLD,
    AnnotationBody,
    Errors,
    ImageContext,
    Row,
    check_geometries,
    image_context,
    prepare,
    resolve,
)
from server.db.store.commands import delete_row, record
from server.db.store.table_statistics import analyze_if_missing
from server.db.store.undo_annotations import snapshot
from server.principal import Principal
from spatial.errors import InvalidGeometry


async def _row(conn: asyncpg.Connection, annotation_id: int) -> asyncpg.Record:
    """The annotation JSON with its project and owner; NotFound when absent."""
    row = await conn.fetchrow(q.ANNOTATION_GET, annotation_id)
    if row is None:
        raise NotFound("Annotation", annotation_id)
    return row


async def fetch(conn: asyncpg.Connection, annotation_id: int) -> c.UserAnnotation:
    """One annotation, without an access check."""
    return decode.one((await _row(conn, annotation_id))["obj"], c.UserAnnotation)


async def get(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> c.UserAnnotation:
    """One annotation whose project the caller reads."""
    row = await _row(conn, annotation_id)
    await acl.readable(conn, me, row["project_id"])
    return decode.one(row["obj"], c.UserAnnotation)


async def _insert(
    conn: asyncpg.Connection, me: Principal, rows: list[Row], compression: float | None
) -> list[int]:
    """Write prepared rows and their term links; returns the new ids in order.

    The caller counts the rows in (``count_added``) as the last statement of its transaction.
    """
    links = sum(len(r.terms) for r in rows)
    allocated = list(await conn.fetchval(q.ANNOTATION_IDS_ALLOCATE, len(rows) + links))
    ids, link_ids = allocated[: len(rows)], allocated[len(rows) :]
    pairs = [(i, t) for i, r in zip(ids, rows, strict=True) for t in r.terms]
    await conn.execute(
        q.ANNOTATION_INSERT,
        ids,
        [r.image_id for r in rows],
        [r.slice_id for r in rows],
        [r.project_id for r in rows],
        me.id,
        [r.wkb for r in rows],
        [r.area for r in rows],
        [r.area_unit for r in rows],
        [r.perimeter for r in rows],
        [r.perimeter_unit for r in rows],
        compression,
        terms_listed.new_groups(pairs, link_ids, ids, me.id),
    )
    if pairs:
        await conn.execute(
            q.ANNOTATION_TERM_INSERT,
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            me.id,
            link_ids,
            [r.image_id for r in rows for _ in r.terms],
        )
    return ids


async def create(
    conn: asyncpg.Connection, me: Principal, body: AnnotationBody
) -> tuple[c.UserAnnotation, int]:
    """Create one annotation; the first problem found is raised."""
    prepared, errors = await prepare(conn, me, [body])
    if errors:
        raise errors[0]
    row = prepared[0]
    assert row is not None
    async with conn.transaction():
        (annotation_id,) = await _insert(conn, me, [row], body.geometry_compression)
        obj = await attach(conn, me, await fetch(conn, annotation_id), body)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
        await count_added(conn, tally([row]))
    return obj, command


async def create_many(
    conn: asyncpg.Connection,
    me: Principal,
    bodies: list[AnnotationBody],
    checks: CheckPool | None = None,
) -> BulkResult:
    """Create every annotation of an array, or none when any is rejected.

    ``checks``: the processes that check the chunks' geometries (None: a worker thread does).
    """
    if not bodies:
        return BulkResult(data={"message": "No annotation to add"}, status=200)
    rows, errors, images = await resolve(conn, me, bodies)
    errors.update(await check_many(conn, bodies, rows))
    if errors:  # nothing will be written: still check every geometry to report all problems
        texts = [body.location for body in bodies]
        errors.update(await anyio.to_thread.run_sync(check_geometries, texts, rows, images))
        return _rejected(errors, len(bodies))
    if len(bodies) <= THREAD_THRESHOLD:  # a few rows: array INSERTs take fewer round trips
        return await _create_few(conn, me, bodies, rows, images)
    allocated = await allocate_ids(conn, len(bodies) + link_count(rows))
    ids, link_ids = allocated[: len(bodies)], allocated[len(bodies) :]
    try:
        async with conn.transaction():
            await conn.execute(q.ANNOTATION_LOAD_NO_TIMEOUT)
            chunks = _encoded(bodies, rows, images, (ids, link_ids), me.id, errors, checks)
            counts = await copy_batches(conn, chunks)
            await attach_many(conn, ids, bodies)
            await _record_bulk(conn, me, ids, [row for row in rows if row is not None])
            await count_added(conn, counts)
    except _Rejected:
        return _rejected(errors, len(bodies))
    await analyze_if_missing(conn)
    return BulkResult(
        data={"success": True, "message": f"{len(ids)} annotations added", "ids": ids},
        status=200,
    )


async def _create_few(
    conn: asyncpg.Connection,
    me: Principal,
    bodies: list[AnnotationBody],
    rows: list[Row | None],
    images: dict[int, ImageContext],
) -> BulkResult:
    """A short array (the official client sends 15 per request): checked inline, INSERTed."""
    errors = check_geometries([body.location for body in bodies], rows, images)
    if errors:
        return _rejected(errors, len(bodies))
    ready = [row for row in rows if row is not None]
    async with conn.transaction():
        ids = await _insert(conn, me, ready, None)
        await attach_many(conn, ids, bodies)
        await _record_bulk(conn, me, ids, ready)
        await count_added(conn, tally(ready))
    return BulkResult(
        data={"success": True, "message": f"{len(ids)} annotations added", "ids": ids},
        status=200,
    )


class _Rejected(Exception):
    """Some rows of an all-or-nothing write were rejected: abort the COPY."""


async def _encoded(
    bodies: list[AnnotationBody],
    rows: list[Row | None],
    images: dict[int, ImageContext],
    allocated: tuple[list[int], list[int]],
    user_id: int,
    errors: Errors,
    checks: CheckPool | None,
) -> AsyncIterator[Batch]:
    """COPY tuples (annotations, term links, overview changes) chunk by chunk, each checked in
    a checker process or a thread while the one before it is handed on (``one_behind``).
    ``allocated``: the rows' ids and their links' ids."""

    async def started() -> AsyncIterator[Future[tuple[int, Errors, Batch]]]:
        for start, chunk in _chunks(bodies, rows, images, allocated, user_id):
            yield ensure_future(_checked(start, chunk, checks))

    async for start, found, data in one_behind(started()):
        errors.update({start + k: exc for k, exc in found.items()})
        if not errors:
            yield data
    if errors:
        raise _Rejected


def _chunks(
    bodies: list[AnnotationBody],
    rows: list[Row | None],
    images: dict[int, ImageContext],
    allocated: tuple[list[int], list[int]],
    user_id: int,
) -> Iterator[tuple[int, _Chunk]]:
    """The array cut into chunks of ``BATCH_ROWS``, each with its first row's index."""
    ids, link_ids = allocated
    first_link = 0
    for start in range(0, len(bodies), BATCH_ROWS):
        stop = min(start + BATCH_ROWS, len(bodies))
        part = rows[start:stop]
        last_link = first_link + link_count(part)
        texts = [body.location for body in bodies[start:stop]]
        yield start, _Chunk(
            texts=texts, rows=part, images=images, ids=ids[start:stop],
            links=link_ids[first_link:last_link], user=user_id,
        )  # fmt: skip
        first_link = last_link


async def _checked(
    start: int, chunk: _Chunk, checks: CheckPool | None
) -> tuple[int, Errors, Batch]:
    """One chunk checked and encoded (its rejections by index in the chunk): in a checker
    process, in a worker thread without a pool, inline for a few rows."""
    if len(chunk.rows) > THREAD_THRESHOLD and checks is not None:
        answer = _CHECKED_IN.decode(await checks.run(check_encoded, _CHUNK_OUT.encode(chunk)))
        found: Errors = {k: InvalidGeometry(m, reason) for k, m, reason in answer.errors}
        return start, found, answer.batch
    args = (chunk.texts, chunk.rows, chunk.images, (chunk.ids, chunk.links), chunk.user)
    if len(chunk.rows) > THREAD_THRESHOLD:
        return start, *await anyio.to_thread.run_sync(_check_encode, *args)
    return start, *_check_encode(*args)


def _check_encode(
    texts: list[str | None],
    rows: list[Row | None],
    images: dict[int, ImageContext],
    allocated: tuple[list[int], list[int]],
    user_id: int,
) -> tuple[Errors, Batch]:
    """Check one chunk's geometries and, when all pass, encode it and its terms for COPY
    (``allocated``: the rows' ids and their links' ids)."""
    found = check_geometries(texts, rows, images)
    if found:
        return found, (b"", b"", b"", [], Parents())
    ids, link_ids = allocated
    users = [user_id] * len(ids)
    sizes = {i: (ctx.width, ctx.height) for i, ctx in images.items()}
    return found, (
        encode_annotations(ids, users, rows, 0.0, link_ids),
        encode_terms(ids, users, rows, link_ids)[0],
        encode_overview(users, rows, sizes),
        tally(rows),
        parents(users, rows),
    )


class _Chunk(msgspec.Struct, kw_only=True, gc=False):
    """One chunk of an array to check in a checker process."""

    texts: list[str | None]
    rows: list[Row | None]
    images: dict[int, ImageContext]
    ids: list[int]
    links: list[int]
    user: int


class _Checked(msgspec.Struct, kw_only=True, gc=False):
    """A checked chunk: its rejections (index, message, reason) and its COPY tuples."""

    errors: list[tuple[int, str, str]]
    batch: Batch


_CHUNK_OUT = msgspec.msgpack.Encoder()
_CHUNK_IN = msgspec.msgpack.Decoder(_Chunk)
_CHECKED_IN = msgspec.msgpack.Decoder(_Checked)


def check_encoded(task: bytes) -> bytes:
    """``_check_encode`` of an encoded ``_Chunk``, answered as msgpack (a checker process
    task); the geometry checks reject only with ``InvalidGeometry``."""
    chunk = _CHUNK_IN.decode(task)
    found, data = _check_encode(
        chunk.texts, chunk.rows, chunk.images, (chunk.ids, chunk.links), chunk.user
    )
    errors = []
    for k, exc in sorted(found.items()):
        assert isinstance(exc, InvalidGeometry)
        errors.append((k, exc.message, exc.reason))
    return _CHUNK_OUT.encode(_Checked(errors=errors, batch=data))


def _rejected(errors: Errors, total: int) -> BulkResult:
    """Cytomine's bulk answer when nothing was written: every rejection by index."""
    return BulkResult(
        data={
            "success": False,
            "message": f"{len(errors)} of {total} annotations rejected: none added",
            "errors": [
                {"index": i, "message": exc.message, "errorValues": exc.values}
                for i, exc in sorted(errors.items())
            ],
        },
        status=400,
    )


async def _record_bulk(
    conn: asyncpg.Connection, me: Principal, ids: list[int], rows: list[Row]
) -> int:
    """One command row for a bulk add (its count and ids), in the write's transaction."""
    projects = {row.project_id for row in rows}
    return int(
        await conn.fetchval(
            q.COMMAND_INSERT,
            me.id,
            projects.pop() if len(projects) == 1 else None,
            "ADD",
            c.UserAnnotation.CLASS,
            ids[0],
            msgspec.json.encode({"count": len(ids), "ids": ids}).decode(),
        )
    )


async def update(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, body: AnnotationBody
) -> tuple[c.UserAnnotation, int]:
    """Change location, slice or terms; absent (null) fields keep their value."""
    current = await _row(conn, annotation_id)
    access = await acl.project_access(conn, me, current["project_id"])
    access.require_edit(current["user_id"])
    old = decode.one(current["obj"], c.UserAnnotation)
    merged = AnnotationBody(
        location=body.location if body.location is not None else old.location,
        image=old.image,
        slice=body.slice if body.slice is not None else old.slice,
        term=body.term_ids(),
    )
    prepared, errors = await prepare(conn, me, [merged])
    if errors:
        raise errors[0]
    row = prepared[0]
    assert row is not None
    async with conn.transaction():
        previous = await snapshot(conn, annotation_id)
        await _write(conn, me, annotation_id, row, body)
        obj = await fetch(conn, annotation_id)
        command = await record(
            conn, user_id=me.id, action="EDIT", obj=obj, project_id=obj.project, previous=previous
        )
    return obj, command


async def _write(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, row: Row, body: AnnotationBody
) -> None:
    """Store a changed geometry and, when given, the new term list."""
    await conn.execute(
        q.ANNOTATION_UPDATE,
        annotation_id,
        row.wkb,
        row.area,
        row.area_unit,
        row.perimeter,
        row.perimeter_unit,
        row.slice_id,
        body.geometry_compression,
        row.image_id,
    )
    if body.term_ids() is not None:
        await conn.execute(q.ANNOTATION_TERM_KEEP_ONLY, annotation_id, row.terms)
        await link_terms(conn, annotation_id, row.image_id, row.terms, me.id)
        await terms_listed.relist(conn, [annotation_id])


async def delete(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> tuple[c.UserAnnotation, int]:
    """Delete an annotation; answer it as it was."""
    current = await _row(conn, annotation_id)
    access = await acl.project_access(conn, me, current["project_id"])
    access.require_edit(current["user_id"])
    obj = decode.one(current["obj"], c.UserAnnotation)
    async with conn.transaction():
        previous = await snapshot(conn, annotation_id)
        await delete_row(conn, q.ANNOTATION_DELETE, annotation_id, kind="Annotation")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project, previous=previous
        )
    return obj, command


__all__ = [
    "AnnotationBody",
    "check_encoded",
    "create",
    "create_many",
    "delete",
    "fetch",
    "get",
    "image_context",
]
