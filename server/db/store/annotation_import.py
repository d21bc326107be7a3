"""Streaming annotation import: features parsed in batches while the body arrives.

A job row is committed first, then every batch is checked in a worker thread and loaded by
binary COPY statements (its annotations, then their term links, then a check of the
references they name) while the next batch is read and checked: PostgreSQL loads one batch
while the next one is parsed. Ids come in blocks and progress is written from a second
session, so the job can be polled while the load transaction is open. Atomic jobs (the
default) load nothing when any row is rejected; partial jobs skip rejected rows. Either way
the rows commit once, at the end of the body: an interrupted upload leaves nothing, and
retrying it with the same idempotency key is safe.
"""

from __future__ import annotations

from asyncio import Future, ensure_future
from collections.abc import AsyncIterator
from typing import Any, Literal

import anyio
import asyncpg
import msgspec
import numpy as np
import shapely  # type: ignore[import-untyped]

import spatial
import spatial.frames
import spatial.geojson
from contracts.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from server.check_pool import CheckPool
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl
from server.db.store import annotation_copy as cp
from server.db.store.annotation_features import Decoded, Properties
from server.db.store.annotation_rows import (
    THREAD_THRESHOLD,
    ImageContext,
    Row,
    fill,
    image_context,
)
from server.db.store.table_statistics import analyze_if_missing
from server.principal import Principal

Format = Literal["geojson", "ndjson", "qupath"]
MAX_ERRORS = 100  # rejections kept on the job; rows_rejected has the full count
_CLASS = "be.cytomine.domain.ontology.UserAnnotation"
_NEW_TERM_COLOR = "#808080"  # a created term whose QuPath class has no colour


class AnnotationImport(msgspec.Struct, kw_only=True):
    """An import job as clients poll it."""

    class_: str = msgspec.field(name="class")
    id: int
    created: str | None = None
    updated: str | None = None
    finished: str | None = None
    user: int
    image: int
    project: int
    idempotency_key: str | None = msgspec.field(default=None, name="idempotencyKey")
    format: str
    atomic: bool
    status: str
    rows_read: int = msgspec.field(name="rowsRead")
    rows_loaded: int = msgspec.field(name="rowsLoaded")
    rows_rejected: int = msgspec.field(name="rowsRejected")
    errors: list[dict[str, Any]]
    message: str | None = None
    unmatched_classes: dict[str, int] = msgspec.field(default_factory=dict, name="unmatchedClasses")


class Target(msgspec.Struct, kw_only=True):
    """What rows of one import may reference."""

    ctx: ImageContext
    me: int
    slices: frozenset[int]
    terms: set[int]
    names: dict[str, int]  # term ids by exact (case-sensitive) name, for QuPath classes
    users: set[int]  # members a manager may import for (grows as rows name them)
    may_assign: bool
    y_down: bool = False  # QuPath's frame: top-left origin, flipped to Cytomine's on parse
    ontology: int | None = None  # where missing class names become terms (createTerms)


class Checked(msgspec.Struct, kw_only=True):
    """One batch after checking: its rejections and the COPY tuples of the rest."""

    errors: list[dict[str, Any]]
    annotations: bytes
    terms: bytes
    overview: bytes
    counts: cp.Tally
    parents: cp.Parents
    read: int  # rows of the batch, rejected or not
    loaded: int
    unmatched: dict[str, int]  # class names that matched no term: features naming each


async def get(conn: asyncpg.Connection, me: Principal, job_id: int) -> AnnotationImport:
    """One job visible to the caller (a job whose session ended while running: failed)."""
    await conn.execute(q.ANNOTATION_IMPORT_REAP, None, None, job_id)
    text = await conn.fetchval(q.ANNOTATION_IMPORT_GET, job_id, me.id, me.is_admin)
    if text is None:
        raise NotFound("AnnotationImport", job_id)
    return decode.one(text, AnnotationImport)


async def open_job(
    conn: asyncpg.Connection,
    me: Principal,
    ctx: ImageContext,
    fmt: Format,
    atomic: bool,
    key: str | None,
) -> tuple[int, bool]:
    """(job id, whether to load): a finished job with the same key is answered as it is."""
    args = (ctx.image_id, ctx.project_id, fmt, atomic)
    if key is not None:
        await conn.execute(q.ANNOTATION_IMPORT_REAP, me.id, key, None)
    job_id = await conn.fetchval(
        q.ANNOTATION_IMPORT_START, me.id, args[0], args[1], key, fmt, atomic
    )
    if job_id is not None:
        return int(job_id), True
    retried = await conn.fetchval(q.ANNOTATION_IMPORT_RETRY, me.id, key, *args)
    if retried is not None:
        return int(retried), True
    row = await conn.fetchrow(q.ANNOTATION_IMPORT_BY_KEY, me.id, key)
    if row is None or row["status"] == "running":
        raise Conflict(f"An import with idempotency key {key!r} is still running")
    return int(row["id"]), False


async def target(
    conn: asyncpg.Connection,
    me: Principal,
    image_id: int,
    *,
    y_down: bool = False,
    create_terms: bool = False,
) -> Target:
    """The image an import writes into, once the caller may write there.

    ``create_terms`` (missing class names become terms) also needs the right to change the
    project's ontology.
    """
    ctx = await image_context(conn, image_id)
    access = (await acl.project_access(conn, me, ctx.project_id)).require_write()
    found = await conn.fetchrow(
        q.ANNOTATION_IMPORT_TARGET, image_id, ctx.project_id, me.id, me.is_admin, me.is_guest
    )
    assert found is not None  # the project exists: its image was found
    if create_terms and found["ontology_id"] is None:
        raise Invalid(f"createTerms: project {ctx.project_id} has no ontology to add terms to")
    if create_terms and not found["ontology_writable"]:
        raise Forbidden(
            "createTerms=true needs the right to change the project's ontology "
            f"({found['ontology_id']}): import without it to count unmatched class names"
        )
    return Target(
        ctx=ctx,
        me=me.id,
        slices=frozenset(found["slices"]),
        terms=set(found["terms"]),
        names=dict(zip(found["term_names"], found["terms"], strict=True)),
        users={me.id},
        may_assign=access.can_manage,
        y_down=y_down,
        ontology=found["ontology_id"] if create_terms else None,
    )


class Loader:
    """Runs one job: checks and encodes batches (in ``checks``' processes when given, else in
    a worker thread), writes progress."""

    def __init__(
        self,
        side: asyncpg.Connection,
        where: Target,
        job_id: int,
        atomic: bool,
        checks: CheckPool | None = None,
    ):
        self.side, self.where, self.job_id, self.atomic = side, where, job_id, atomic
        self.checks = checks
        self.read = self.loaded = self.rejected = 0
        self.errors: list[dict[str, Any]] = []
        self.unmatched: dict[str, int] = {}
        self.first_id: int | None = None

    async def checked(self, batches: AsyncIterator[Decoded]) -> AsyncIterator[cp.Batch]:
        """COPY tuples of each batch (annotations, term links, overview changes); rejected rows
        are counted. A batch is checked while the one before it is handed on and its progress
        written (``annotation_copy.one_behind``)."""
        async for done in cp.one_behind(self._started(batches)):
            self.read += done.read
            self.rejected += len(done.errors)
            self.errors.extend(done.errors[: MAX_ERRORS - len(self.errors)])
            for name, n in done.unmatched.items():
                self.unmatched[name] = self.unmatched.get(name, 0) + n
            if self.rejected and self.atomic:
                self.loaded = 0
            else:
                self.loaded += done.loaded
                yield done.annotations, done.terms, done.overview, done.counts, done.parents
            await self.side.execute(
                q.ANNOTATION_IMPORT_PROGRESS, self.job_id, self.read, self.loaded,
                self.rejected, _json(self.errors), _json(self.unmatched),
            )  # fmt: skip

    async def _started(self, batches: AsyncIterator[Decoded]) -> AsyncIterator[Future[Checked]]:
        """The check of each batch, started once its users, terms and ids are known."""
        async for batch in batches:
            await self._learn_users(batch)
            await self._add_terms(batch)
            ids = await cp.allocate_ids(self.side, len(batch) + _links_at_most(batch))
            self.first_id = self.first_id or (ids[0] if ids else None)
            yield self._check(batch, ids)

    def _check(self, batch: Decoded, ids: list[int]) -> Future[Checked]:
        """``check_batch`` started: in a checker process (sent and answered as compact bytes);
        a short batch, or every batch without a pool, in a worker thread. What the rows may
        reference is taken as it is now (later batches may add terms and users)."""
        where = msgspec.structs.replace(
            self.where, terms=set(self.where.terms), names=dict(self.where.names),
            users=set(self.where.users),
        )  # fmt: skip
        if self.checks is None or len(batch) <= THREAD_THRESHOLD:
            return ensure_future(anyio.to_thread.run_sync(check_batch, batch, where, ids))
        task = _TASK_OUT.encode(_Task(batch=batch, where=where, ids=ids))
        return ensure_future(_checked_in(self.checks, task))

    async def _learn_users(self, batch: Decoded) -> None:
        """Look up the users that rows name for the first time (managers only, members only)."""
        if not self.where.may_assign:
            return
        named = {f.properties.user for _, f in batch if not isinstance(f, str) and f.properties}
        new = [u for u in named if u is not None and u not in self.where.users]
        if new:
            found = await self.side.fetchval(
                q.ANNOTATION_USERS_KNOWN, new, self.where.ctx.project_id
            )
            self.where.users.update(found or [])

    async def _add_terms(self, batch: Decoded) -> None:
        """With createTerms: add the batch's new class names to the ontology (one statement)."""
        where = self.where
        if where.ontology is None:
            return
        new: dict[str, str] = {}
        for _, f in batch:
            if isinstance(f, str) or f.properties is None:
                continue
            for name in f.properties.class_names():
                if name not in where.names and name not in new:
                    new[name] = f.properties.class_color() or _NEW_TERM_COLOR
        if new:
            added = await self.side.fetch(
                q.ANNOTATION_IMPORT_ADD_TERMS, where.ontology, list(new), list(new.values()),
                where.me, where.ctx.project_id,
            )  # fmt: skip
            for row in added:
                where.names[row["name"]] = row["id"]
                where.terms.add(row["id"])

    async def close(self, status: str, message: str | None) -> None:
        """Store the job's final state."""
        loaded = self.loaded if status == "done" else 0
        await self.side.execute(
            q.ANNOTATION_IMPORT_FINISH, self.job_id, status, self.read, loaded, self.rejected,
            _json(self.errors), message, _json(self.unmatched),
        )  # fmt: skip


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _reject(out: list[dict[str, Any]], row: int, reason: str, message: str) -> None:
    out.append({"row": row, "reason": reason, "message": message})


def _terms(props: Properties, where: Target, unmatched: dict[str, int]) -> list[int]:
    """Term ids asked by id and by QuPath class name; names matching no term are counted."""
    terms = props.term_ids()
    if props.classification is None:
        return terms
    for name in props.class_names():
        if (found := where.names.get(name)) is not None:
            terms.append(found)
        else:
            unmatched[name] = unmatched.get(name, 0) + 1
    return sorted(set(terms))


def _row(
    n: int, props: Properties, where: Target, errors: list[dict[str, Any]], terms: list[int]
) -> Row | None:
    """The row a feature's properties ask for, or None with its rejection recorded."""
    ctx = where.ctx
    slice_id = props.slice if props.slice is not None else ctx.reference_slice_id
    user = props.user if props.user is not None else where.me
    if slice_id is None or slice_id not in where.slices:
        _reject(errors, n, "slice", f"Slice {slice_id} is not a slice of image {ctx.image_id}")
    elif unknown := sorted(set(terms) - where.terms):
        _reject(errors, n, "term", f"Term(s) {unknown} are not in the project's ontology")
    elif user != where.me and not (where.may_assign and user in where.users):
        _reject(errors, n, "user", f"Cannot import annotations for user {user}")
    else:
        return Row(image_id=ctx.image_id, slice_id=slice_id, project_id=ctx.project_id, terms=terms)
    return None


def _links_at_most(batch: Decoded) -> int:
    """How many term links a batch's rows can ask for at most (ids drawn for them beforehand:
    a row's term group names its links)."""
    return sum(
        len(f.properties.term_ids()) + len(f.properties.class_names())
        for _, f in batch
        if not isinstance(f, str) and f.properties is not None
    )


def check_batch(batch: Decoded, where: Target, ids: list[int]) -> Checked:
    """Check one decoded batch and encode the accepted rows (runs in a worker thread).

    ``ids``: one for each feature of the batch, then enough for their term links
    (``_links_at_most``); those left unused are skipped."""
    errors: list[dict[str, Any]] = []
    rows: list[Row] = []
    numbers: list[int] = []
    users: list[int] = []
    shapes: list[bytes] = []
    unmatched: dict[str, int] = {}
    for n, feature in batch:
        if isinstance(feature, str):
            _reject(errors, n, "syntax", feature)
            continue
        props = feature.properties or Properties()
        terms = _terms(props, where, unmatched)
        if (row := _row(n, props, where, errors, terms)) is not None:
            rows.append(row)
            numbers.append(n)
            users.append(props.user if props.user is not None else where.me)
            shapes.append(bytes(feature.geometry))
    keep = _geometries(shapes, rows, numbers, where, errors)
    rows = [rows[k] for k in keep]
    users = [users[k] for k in keep]
    errors.sort(key=lambda e: int(e["row"]))
    mine = ids[: len(rows)]
    links = ids[len(batch) : len(batch) + cp.link_count(rows)]
    ctx = where.ctx
    return Checked(
        errors=errors,
        annotations=cp.encode_annotations(mine, users, rows, 0.0, links),
        terms=cp.encode_terms(mine, users, rows, links)[0],
        overview=cp.encode_overview(users, rows, {ctx.image_id: (ctx.width, ctx.height)}),
        counts=cp.tally(rows),
        parents=cp.parents(users, rows),
        read=len(batch),
        loaded=len(rows),
        unmatched=unmatched,
    )


class _Task(msgspec.Struct, kw_only=True, gc=False):
    """One batch to check in a checker process (JSON: geometries stay raw GeoJSON)."""

    batch: Decoded
    where: Target
    ids: list[int]


_TASK_OUT = msgspec.json.Encoder()
_TASK_IN = msgspec.json.Decoder(_Task)
_CHECKED_OUT = msgspec.msgpack.Encoder()
_CHECKED_IN = msgspec.msgpack.Decoder(Checked)


async def _checked_in(checks: CheckPool, task: bytes) -> Checked:
    """An encoded ``_Task`` checked in a checker process."""
    return _CHECKED_IN.decode(await checks.run(check_encoded, task))


def check_encoded(task: bytes) -> bytes:
    """``check_batch`` of an encoded ``_Task``, answered as msgpack (a checker process task)."""
    found = _TASK_IN.decode(task)
    return _CHECKED_OUT.encode(check_batch(found.batch, found.where, found.ids))


def _geometries(
    shapes: list[bytes],
    rows: list[Row],
    numbers: list[int],
    where: Target,
    errors: list[dict[str, Any]],
) -> list[int]:
    """Parse GeoJSON geometries (flipped to Cytomine's frame from QuPath's), apply the geometry
    policy, measure; indices kept."""
    ctx = where.ctx
    geoms = spatial.geojson.read_geojson(shapes)
    if where.y_down and len(shapes):
        geoms = spatial.frames.to_bottom_left(geoms, ctx.height)
    for k in np.flatnonzero(shapely.is_missing(geoms)).tolist():
        missing = shapes[k].strip() == b"null"
        message = "Feature has no geometry" if missing else "Geometry is not valid GeoJSON"
        _reject(errors, numbers[k], "missing" if missing else "syntax", message)
    batch = spatial.check_geometries(geoms, image_width=ctx.width, image_height=ctx.height)
    fill(batch, rows, ctx.resolution)
    failed = {k for k, _ in batch.errors}
    for k, exc in batch.errors:
        if not shapely.is_missing(geoms[k]):
            _reject(errors, numbers[k], getattr(exc, "reason", "geometry"), exc.message)
    return [k for k in range(len(rows)) if k not in failed]


async def record(conn: asyncpg.Connection, me: Principal, loader: Loader) -> None:
    """One command row for the whole import, in the load transaction."""
    await conn.execute(
        q.COMMAND_INSERT, me.id, loader.where.ctx.project_id, "ADD", _CLASS,
        loader.first_id or 0, _json({"count": loader.loaded, "import": loader.job_id}),
    )  # fmt: skip


class Rejected(DomainError):
    """An atomic import met rejected rows: nothing it loaded is kept."""

    status = 400


async def run(
    conn: asyncpg.Connection,
    side: asyncpg.Connection,
    me: Principal,
    where: Target,
    batches: AsyncIterator[Decoded],
    options: tuple[Format, bool, str | None],
    checks: CheckPool | None = None,
) -> AnnotationImport:
    """Run one import job (or answer the finished job of the same key) and return it.

    ``checks``: the processes that check the batches (None: a worker thread does).
    """
    fmt, atomic, key = options
    job_id, load = await open_job(side, me, where.ctx, fmt, atomic, key)
    if load:
        loader = Loader(side, where, job_id, atomic, checks)
        try:
            async with conn.transaction():
                await conn.execute(q.ANNOTATION_LOAD_NO_TIMEOUT)
                counts = await cp.copy_batches(conn, loader.checked(batches))
                if loader.rejected and atomic:
                    raise Rejected(f"{loader.rejected} row(s) rejected: nothing imported")
                await record(conn, me, loader)
                await cp.count_added(conn, counts)
        except DomainError as exc:
            await loader.close("failed", exc.message)
        except BaseException:
            await loader.close("failed", "The import was interrupted: nothing imported")
            raise
        else:
            await loader.close("done", None)
            await analyze_if_missing(conn)
    return await get(side, me, job_id)


__all__ = [
    "AnnotationImport",
    "Format",
    "Loader",
    "Rejected",
    "Target",
    "check_batch",
    "check_encoded",
    "get",
    "open_job",
    "record",
    "run",
    "target",
]
