"""Streamed annotation exports: PostgreSQL builds every feature or CSV line, a cursor pages them.

Memory stays constant whatever the size: rows are fetched ``PAGE`` at a time through a
server-side cursor in a read-only transaction on a connection held for the whole stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

import asyncpg
import msgspec

from contracts.errors import Invalid
from server.db import queries as q
from server.principal import Principal

PAGE = 2000
Shape = Literal["geojson", "ndjson", "qupath"]
SHAPES: tuple[Shape, ...] = ("geojson", "ndjson", "qupath")
OBJECT_TYPES = ("annotation", "detection")
REPORTS = ("csv",)
MEDIA = {
    "geojson": "application/geo+json",
    "ndjson": "application/x-ndjson",
    "qupath": "application/geo+json",
    "csv": "text/csv",
}
CSV_HEADER = (
    "ID;Area (microns²);Perimeter (mm);Center X;Center Y;Image ID;Image filename;User;Term;"
    "Annotation thumb;Annotation in Cytomine\n"
)


class ReportFilter(msgspec.Struct, kw_only=True):
    """What a Cytomine annotation report selects (None: no restriction)."""

    project: int
    images: list[int] | None = None
    users: list[int] | None = None
    terms: list[int] | None = None
    after: int | None = None
    before: int | None = None
    geometry: str | None = None
    kind: str = "user"
    """Annotation kind reported: user, algo or reviewed."""


def shape_of(value: str | None) -> Shape:
    """The export shape asked for (GeoJSON by default)."""
    for shape in SHAPES:
        if value == shape:
            return shape
    if value is None:
        return "geojson"
    raise Invalid(
        f"Unsupported export format {value!r}: supported formats are geojson, ndjson, qupath"
    )


def object_type_of(value: str | None) -> str:
    """QuPath's ``objectType`` of exported features (``annotation`` by default)."""
    if value is None:
        return "annotation"
    if value not in OBJECT_TYPES:
        raise Invalid(f"objectType must be annotation or detection, not {value!r}")
    return value


def report_format(value: str | None) -> str:
    """The report format asked for; only CSV is produced (xls and pdf are refused)."""
    chosen = (value or "csv").lower()
    if chosen not in REPORTS:
        raise Invalid(f"Unsupported report format {chosen!r}: supported formats are csv")
    return chosen


async def _pages(
    pool: asyncpg.Pool, query: str, args: tuple[object, ...]
) -> AsyncIterator[list[str]]:
    """Column 0 of every row, a page at a time, from a server-side cursor."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(q.ANNOTATION_LOAD_NO_TIMEOUT)  # one cursor serves the whole export
        cursor = await conn.cursor(query, *args)
        while page := await cursor.fetch(PAGE):
            yield [record[0] for record in page]


def _query(image: int | None, project: int | None, shape: Shape, object_type: str) -> tuple[
    str, tuple[object, ...]
]:  # fmt: skip
    """The export statement and its target (image, else project) and QuPath arguments."""
    target = image if image is not None else project
    if shape == "qupath":
        by_image = q.ANNOTATION_EXPORT_QUPATH_BY_IMAGE
        query = by_image if image is not None else q.ANNOTATION_EXPORT_QUPATH_BY_PROJECT
        return query, (target, object_type)
    query = q.ANNOTATION_EXPORT_BY_IMAGE if image is not None else q.ANNOTATION_EXPORT_BY_PROJECT
    return query, (target,)


async def features(
    pool: asyncpg.Pool,
    me: Principal,
    *,
    image: int | None,
    project: int | None,
    shape: Shape,
    object_type: str = "annotation",
) -> AsyncIterator[bytes]:
    """The annotations of an image (or a project) as a FeatureCollection or NDJSON.

    ``qupath`` is a FeatureCollection as QuPath reads it: y down from the top-left corner,
    ``objectType``, ``classification`` and ``measurements`` in the properties.
    """
    query, (target, *extra) = _query(image, project, shape, object_type)
    first = True
    collection = shape != "ndjson"
    if collection:
        yield b'{"type":"FeatureCollection","features":['
    async for page in _pages(pool, query, (target, me.id, me.is_admin, *extra)):
        if shape == "ndjson":
            yield ("\n".join(page) + "\n").encode()
        else:
            yield (("" if first else ",") + ",".join(page)).encode()
        first = False
    if collection:
        yield b"]}"


async def report(pool: asyncpg.Pool, me: Principal, selected: ReportFilter) -> AsyncIterator[bytes]:
    """Cytomine's annotation report as CSV lines."""
    yield CSV_HEADER.encode()
    s = selected
    args = (s.project, s.images, s.users, s.terms, s.after, s.before, s.geometry)
    async for page in _pages(pool, q.ANNOTATION_REPORT_CSV, (*args, me.id, me.is_admin, s.kind)):
        yield ("\n".join(page) + "\n").encode()


__all__ = [
    "CSV_HEADER",
    "MEDIA",
    "ReportFilter",
    "Shape",
    "features",
    "object_type_of",
    "report",
    "report_format",
    "shape_of",
]
