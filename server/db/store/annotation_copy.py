"""Binary COPY of annotations and their term links: the bulk write path of every importer.

Rows are encoded into PostgreSQL's binary COPY format here (geometry as WKB, which the
geometry type's binary input reads), so no per-connection codec is needed and a COPY can be
fed batch by batch while later batches are still being parsed. Columns are always listed:
columns added later with defaults (``kind``, ``parent_id``...) keep their defaults. A COPY
checks no reference (no foreign key is declared, migration 0020): each batch carries the
distinct ids its rows name, checked (and locked) right after each COPY statement.
"""

from __future__ import annotations

import asyncio
import struct
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Mapping, Sequence
from itertools import chain
from typing import Any, TypeVar

import asyncpg
import msgspec
import numpy as np

from server.db import queries as q
from server.db.store import terms_listed

ANNOTATION_COLUMNS = (
    "id",
    "image_id",
    "slice_id",
    "project_id",
    "user_id",
    "location",
    "area",
    "area_unit",
    "perimeter",
    "perimeter_unit",
    "geometry_compression",
    "terms_listed",
)
TERM_COLUMNS = ("id", "annotation_id", "term_id", "user_id", "image_id", "project_id")
OVERVIEW_COLUMNS = ("image_id", "cx", "cy", "term_id", "user_id", "count", "sum_x", "sum_y")

# Rows of both bulk routes checked and encoded at a time (an array's chunk, an import's
# decoded batch). Small enough that PostgreSQL starts loading soon after a body arrives and
# loads one batch while the next is checked.
BATCH_ROWS = 1000
# Annotation tuples per COPY statement: each statement (then its term links' and overview
# changes' statements, and the check of their references) is fed batch after batch up to this
# size. The statement's term links and overview changes wait in memory until it ends; fewer,
# larger statements cost fewer round trips and checks.
STATEMENT_BYTES = 3 << 20

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)

# Field count, then (length, value) for id, image, slice, project, user, then the WKB length.
_HEAD = struct.Struct(">hiqiqiqiqiqi")
# area, area unit length (unit bytes follow), then perimeter, its unit, then compression.
_FLOAT = struct.Struct(">id")
_LEN = struct.Struct(">i")
_TERM = struct.Struct(">hiqiqiqiqiqiq")
_OVERVIEW = struct.Struct(">hiqiiiiiqiqiiidid")
# The finest overview level: cells of 2^10 px (migration 0013).
_FINEST_LEVEL = 10


def _unit(text: str) -> bytes:
    """A text field: its length then its UTF-8 bytes."""
    return _text(text.encode())


def _text(raw: bytes) -> bytes:
    """A text field of UTF-8 bytes: its length then the bytes."""
    return _LEN.pack(len(raw)) + raw


def encode_annotations(
    ids: Sequence[int],
    user_ids: Sequence[int],
    rows: Sequence[Any],
    compression: float,
    link_ids: Sequence[int],
) -> bytes:
    """The binary COPY tuples (no header) of prepared rows (``annotation_rows.Row``), each with
    its term group (``terms_listed``) as its links will make it: ``link_ids`` are the ids of
    their links, in the order ``encode_terms`` writes them (row by row, each row's terms)."""
    units: dict[str, bytes] = {}
    parts: list[bytes] = []
    append = parts.append
    tail_compression = _FLOAT.pack(8, compression)
    unlinked = _text(terms_listed.group([], 0))
    group = terms_listed.group
    k = 0
    for annotation_id, user_id, r in zip(ids, user_ids, rows, strict=True):
        area_unit = units.get(r.area_unit) or units.setdefault(r.area_unit, _unit(r.area_unit))
        per_unit = units.get(r.perimeter_unit) or units.setdefault(
            r.perimeter_unit, _unit(r.perimeter_unit)
        )
        append(
            _HEAD.pack(
                12,
                8,
                annotation_id,
                8,
                r.image_id,
                8,
                r.slice_id,
                8,
                r.project_id,
                8,
                user_id,
                len(r.wkb),
            )  # fmt: skip
        )
        append(r.wkb)
        append(_FLOAT.pack(8, r.area))
        append(area_unit)
        append(_FLOAT.pack(8, r.perimeter))
        append(per_unit)
        append(tail_compression)
        n = len(r.terms)
        if n == 1:
            append(_text(group(((r.terms[0], link_ids[k]),), user_id)))
        elif n:
            append(_text(group(sorted(zip(r.terms, link_ids[k : k + n], strict=True)), user_id)))
        else:
            append(unlinked)
        k += n
    if k != len(link_ids):
        raise ValueError(f"{len(link_ids)} link ids for {k} links")
    return b"".join(parts)


def encode_terms(
    ids: Sequence[int], user_ids: Sequence[int], rows: Sequence[Any], link_ids: Sequence[int]
) -> tuple[bytes, int]:
    """Binary COPY tuples of the term links of prepared rows (ids ``link_ids``, in order), and
    how many there are."""
    pairs = [
        (annotation_id, term, user_id, r)
        for annotation_id, user_id, r in zip(ids, user_ids, rows, strict=True)
        for term in r.terms
    ]
    parts = [
        _TERM.pack(
            6, 8, link, 8, annotation_id, 8, term, 8, user_id, 8, r.image_id, 8, r.project_id
        )
        for link, (annotation_id, term, user_id, r) in zip(link_ids, pairs, strict=True)
    ]
    return b"".join(parts), len(parts)


def link_count(rows: Sequence[Any]) -> int:
    """How many term links prepared rows ask for: the link ids their encoding needs."""
    return sum(len(r.terms) for r in rows if r is not None)


def encode_overview(
    user_ids: Sequence[int], rows: Sequence[Any], sizes: Mapping[int, tuple[int, int]]
) -> bytes:
    """Binary COPY tuples of what new user annotations add to the overview aggregates.

    The same grouping as ``annotation_overview_apply`` (the repeatable layer) does for the
    other writing statements: per image, finest cell (of the bounding-box centre,
    clamped into the image), term (0: every annotation; rows hold each term once) and author,
    the count and the sums of the centres. ``sizes``: (width, height) by image id.
    """
    n = len(rows)
    if not n:
        return b""
    per_row = np.fromiter((len(r.terms) for r in rows), np.int64, n)
    pick = np.concatenate((np.arange(n), np.repeat(np.arange(n), per_row)))
    terms = np.fromiter(chain.from_iterable(r.terms for r in rows), np.int64, int(per_row.sum()))
    image = np.fromiter((r.image_id for r in rows), np.int64, n)
    x = np.fromiter((r.centre_x for r in rows), np.float64, n)
    y = np.fromiter((r.centre_y for r in rows), np.float64, n)
    images, which = np.unique(image, return_inverse=True)
    width = np.asarray([sizes[i][0] for i in images.tolist()], np.int64)[which]
    height = np.asarray([sizes[i][1] for i in images.tolist()], np.int64)[which]
    side = 1 << _FINEST_LEVEL
    cx = np.clip(np.floor(x / side), 0, (width - 1) >> _FINEST_LEVEL).astype(np.int64)
    cy = np.clip(np.floor((height - y) / side), 0, (height - 1) >> _FINEST_LEVEL).astype(np.int64)
    users = np.asarray(user_ids, dtype=np.int64)
    keys = (image[pick], cx[pick], cy[pick], np.concatenate((np.zeros(n, np.int64), terms)),
            users[pick])  # fmt: skip
    # Group equal keys: a stable sort (np.lexsort takes its primary key last), then the
    # first row of each run; each group's sums add its rows in their original order.
    order = np.lexsort(keys[::-1])
    ordered = np.stack([k[order] for k in keys], axis=1)
    first = np.ones(len(order), dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    count = np.bincount(group).tolist()
    sum_x = np.bincount(group, weights=x[pick][order]).tolist()
    sum_y = np.bincount(group, weights=y[pick][order]).tolist()
    return b"".join(
        _OVERVIEW.pack(8, 8, i, 4, a, 4, b, 8, t, 8, u, 4, k, 8, sx, 8, sy)
        for (i, a, b, t, u), k, sx, sy in zip(
            ordered[starts].tolist(), count, sum_x, sum_y, strict=True
        )
    )


class Parents(msgspec.Struct, array_like=True, gc=False):
    """The distinct ids the rows of a batch reference: what the check after its COPY locks."""

    images: list[int] = []
    slices: list[int] = []
    projects: list[int] = []
    users: list[int] = []
    terms: list[int] = []


def parents(user_ids: Sequence[int], rows: Sequence[Any]) -> Parents:
    """What prepared rows (``annotation_rows.Row``) of these authors and their links name."""
    return Parents(
        images=list({r.image_id for r in rows}),
        slices=list({r.slice_id for r in rows}),
        projects=list({r.project_id for r in rows}),
        users=list(set(user_ids)),
        terms=list({t for r in rows for t in r.terms}),
    )


async def check_parents(conn: asyncpg.Connection, named: Sequence[Parents]) -> None:
    """Check and lock the references of copied rows (``named``: those of their batches); a
    missing one raises ``ForeignKeyViolationError``, as the SQL writers' checks do."""
    if not named:
        return
    columns = zip(*(msgspec.structs.astuple(p) for p in named), strict=True)
    await conn.execute(
        q.ANNOTATION_COPY_PARENTS, *(list(set(chain.from_iterable(ids))) for ids in columns)
    )


Tally = list[tuple[int, int, int]]
"""New annotations by project and image: (project id, image id, rows); pairs may repeat."""


def tally(rows: Sequence[Any]) -> Tally:
    """How many of prepared rows go into each (project, image): what they add to the counters."""
    counts = Counter((r.project_id, r.image_id) for r in rows)
    return [(project, image, n) for (project, image), n in counts.items()]


async def count_added(conn: asyncpg.Connection, counts: Tally) -> None:
    """Count new user annotations into their projects and images: the last statement of
    their transaction (its counter rows stay locked until the commit)."""
    if counts:
        projects, images, ns = zip(*counts, strict=True)
        await conn.execute(q.ANNOTATION_COUNT_ADDED, projects, images, ns)


async def allocate_ids(conn: asyncpg.Connection, count: int) -> list[int]:
    """A block of ``count`` ids from the shared sequence."""
    if count <= 0:
        return []
    return list(await conn.fetchval(q.ANNOTATION_IDS_ALLOCATE, count))


async def _framed(source: AsyncIterable[bytes]) -> AsyncIterable[bytes]:
    """The header, every chunk of tuples, then the trailer."""
    yield HEADER
    async for chunk in source:
        if chunk:
            yield chunk
    yield TRAILER


async def _copy(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], source: AsyncIterable[bytes]
) -> int:
    """COPY encoded tuples (chunks as they come) into ``table``; returns the rows written."""
    status = await conn.copy_to_table(
        table, source=_framed(source), columns=columns, format="binary"
    )
    return int(status.split()[-1])


async def copy_annotations(conn: asyncpg.Connection, source: AsyncIterable[bytes]) -> int:
    """COPY encoded annotation tuples; returns the rows written."""
    return await _copy(conn, "annotation", ANNOTATION_COLUMNS, source)


async def copy_terms(conn: asyncpg.Connection, source: AsyncIterable[bytes]) -> int:
    """COPY encoded term-link tuples; returns the rows written."""
    return await _copy(conn, "annotation_term", TERM_COLUMNS, source)


async def copy_overview(conn: asyncpg.Connection, source: AsyncIterable[bytes]) -> int:
    """COPY encoded overview changes (``encode_overview``); returns the rows written."""
    return await _copy(conn, "annotation_overview_delta", OVERVIEW_COLUMNS, source)


Batch = tuple[bytes, bytes, bytes, Tally, Parents]
"""COPY tuples of one batch: annotations, their term links, their overview changes; what the
annotations add to the counters, and what they and their links reference."""


async def copy_batches(conn: asyncpg.Connection, batches: AsyncIterator[Batch]) -> Tally:
    """COPY the batches' annotations, then their term links and overview changes, reading ahead.

    Each annotation COPY statement is fed batch by batch (up to ``STATEMENT_BYTES``) while
    the next batches are still checked, so PostgreSQL and the checks run at the same time;
    their term links and overview changes (annotations and links, computed while encoding:
    no statement of the COPY logs them) follow in one statement each, then the check of what
    they reference (``check_parents``). Runs in the caller's transaction. Returns what the
    rows add to the counters: the caller counts them in with ``count_added`` as its last
    statement before the commit. An error of ``batches`` ends the statement being fed and is
    raised once it is done (the caller's transaction then rolls it back).
    """
    counts: Tally = []
    statement = _Statement(ahead(batches, depth=4))
    while await statement.start():
        await copy_annotations(conn, statement.shapes())
        statement.raise_failure()
        counts += statement.counts
        if statement.links:
            await copy_terms(conn, once(b"".join(statement.links)))
        if statement.changes:
            await copy_overview(conn, once(b"".join(statement.changes)))
        await check_parents(conn, statement.parents)
    return counts


class _Statement:
    """Splits a stream of batches into COPY statements of about ``STATEMENT_BYTES``."""

    def __init__(self, batches: AsyncIterator[Batch]) -> None:
        self.batches = batches
        self.head: Batch | None = None  # the first batch of the next statement
        self.links: list[bytes] = []
        self.changes: list[bytes] = []
        self.counts: Tally = []
        self.parents: list[Parents] = []
        self.failure: Exception | None = None

    async def _next(self) -> Batch | None:
        """The next batch with rows, None at the end or after an error (kept for later)."""
        try:
            async for batch in self.batches:
                if batch[0]:
                    return batch
        except Exception as exc:  # raised once the statement in progress is complete
            self.failure = exc
        return None

    async def start(self) -> bool:
        """Begin a statement: whether there is a batch left for it."""
        self.links, self.changes, self.counts, self.parents = [], [], [], []
        if self.head is None and self.failure is None:
            self.head = await self._next()
        self.raise_failure()
        return self.head is not None

    async def shapes(self) -> AsyncIterator[bytes]:
        """The statement's annotation tuples, batch by batch; keeps the links and changes."""
        size = 0
        batch = self.head
        while batch is not None:
            shapes, links, changes, counts, named = batch
            self.links.append(links)
            self.changes.append(changes)
            self.counts.extend(counts)
            self.parents.append(named)
            yield shapes
            size += len(shapes)
            batch = await self._next()
            if size >= STATEMENT_BYTES:
                break
        self.head = batch

    def raise_failure(self) -> None:
        """Raise the error the batches met, once nothing is being copied."""
        if self.failure is not None:
            raise self.failure


T = TypeVar("T")


async def ahead(source: AsyncIterator[T], depth: int = 2) -> AsyncIterator[T]:
    """Run ``source`` in a task up to ``depth`` items ahead of the consumer.

    A COPY waits for PostgreSQL to drain each chunk before asking for the next; reading
    ahead lets the next chunk be parsed and checked meanwhile. The source's error (or end)
    reaches the consumer in order.
    """
    queue: asyncio.Queue[tuple[bool, Any]] = asyncio.Queue(depth)

    async def fill() -> None:
        try:
            async for item in source:
                await queue.put((True, item))
            await queue.put((False, None))
        except Exception as exc:  # handed to the consumer, which raises it
            await queue.put((False, exc))

    task = asyncio.create_task(fill())
    try:
        while True:
            more, item = await queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        task.cancel()


async def one_behind(started: AsyncIterator[asyncio.Future[T]]) -> AsyncIterator[T]:
    """The results of ``started``'s futures in order, each awaited once the next is started.

    The bulk writers start the check of their next batch (in a checker process or a thread)
    before they take the result of the one before: what they do between two batches (hand the
    tuples on to the COPY, write progress, draw ids, decode the next batch) then no longer
    leaves the checker waiting. A future still running when the consumer stops, or when an
    earlier one fails, is cancelled and its outcome taken (no error is left unreported).
    """
    previous: asyncio.Future[T] | None = None
    try:
        async for future in started:
            before, previous = previous, future
            if before is not None:
                yield await before
        if previous is not None:
            last, previous = previous, None
            yield await last
    finally:
        if previous is not None:
            previous.cancel()
            previous.add_done_callback(_discard)


def _discard(future: asyncio.Future[Any]) -> None:
    """Take the outcome of a future nobody waits for (so that its error is not reported)."""
    if not future.cancelled():
        future.exception()


async def once(data: bytes) -> AsyncIterable[bytes]:
    """An async source of one chunk."""
    yield data


__all__ = [
    "ANNOTATION_COLUMNS",
    "BATCH_ROWS",
    "STATEMENT_BYTES",
    "OVERVIEW_COLUMNS",
    "TERM_COLUMNS",
    "Batch",
    "Parents",
    "Tally",
    "ahead",
    "allocate_ids",
    "check_parents",
    "copy_annotations",
    "copy_batches",
    "copy_overview",
    "copy_terms",
    "count_added",
    "encode_annotations",
    "encode_overview",
    "encode_terms",
    "link_count",
    "once",
    "one_behind",
    "parents",
    "tally",
]
