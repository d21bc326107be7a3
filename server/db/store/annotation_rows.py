"""Turn annotation bodies into rows ready to insert: image, slice, terms, checked geometry.

The same path serves one object and a bulk array: bodies are resolved against their image
(cached per image and project), geometries are checked per image in one vectorised call
(clipped to the image, repaired or rejected by the ``spatial`` policy) and measured with the
image's resolution. Every problem is collected with the index of its body.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import anyio
import asyncpg
import msgspec
import numpy as np
import shapely  # type: ignore[import-untyped]

import spatial
import spatial.frames
from contracts.errors import DomainError, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl
from server.principal import Principal

# Above this many shapes, geometry checks leave the event loop for a worker thread.
THREAD_THRESHOLD = 64


class AnnotationBody(msgspec.Struct, kw_only=True, gc=False):
    """What clients send to create or change an annotation (unknown keys are ignored)."""

    location: str | None = None
    image: int | None = None
    slice: int | None = None
    term: list[int] | None = None
    terms: list[int] | None = None
    geometry_compression: float | None = msgspec.field(default=None, name="geometryCompression")
    track: list[int] | None = None
    tracks: list[int] | None = None
    group: int | None = None
    """Tracks and annotation group a new annotation joins (read on create only)."""

    def term_ids(self) -> list[int] | None:
        """The terms asked for (``term`` or ``terms``); None when neither is given."""
        chosen = self.term if self.term is not None else self.terms
        return None if chosen is None else sorted(set(chosen))

    def track_ids(self) -> list[int]:
        """The tracks asked for (``track`` and ``tracks`` together), each once, in order."""
        return list(dict.fromkeys([*(self.track or []), *(self.tracks or [])]))


class ImageContext(msgspec.Struct, frozen=True, kw_only=True):
    """What writing on one image needs."""

    image_id: int
    project_id: int
    width: int
    height: int
    resolution: float | None
    reference_slice_id: int | None


class Row(msgspec.Struct, kw_only=True, gc=False):
    """One annotation ready to insert."""

    image_id: int
    slice_id: int
    project_id: int
    wkb: bytes = b""
    area: float = 0.0
    area_unit: str = ""
    perimeter: float = 0.0
    perimeter_unit: str = ""
    terms: list[int] = []
    centre_x: float = 0.0
    centre_y: float = 0.0
    """The centre of the location's bounding box: where the overview counts it."""


Errors = dict[int, DomainError]


async def image_context(conn: asyncpg.Connection, image_id: int) -> ImageContext:
    """Project, size, resolution and reference slice of an image instance."""
    row = await conn.fetchrow(q.ANNOTATION_IMAGE_CONTEXT, image_id)
    if row is None:
        raise NotFound("ImageInstance", image_id)
    return ImageContext(image_id=image_id, **dict(row))


async def slice_image(conn: asyncpg.Connection, slice_id: int) -> int:
    """The image instance of a slice instance."""
    image_id = await conn.fetchval(q.ANNOTATION_SLICE_IMAGE, slice_id)
    if image_id is None:
        raise NotFound("SliceInstance", slice_id)
    return int(image_id)


class _Resolver:
    """Caches image contexts, slice owners and write rights across the bodies of one request."""

    def __init__(self, conn: asyncpg.Connection, me: Principal) -> None:
        self.conn, self.me = conn, me
        self.images: dict[int, ImageContext] = {}
        self.slices: dict[int, int] = {}
        self.writable: dict[int, acl.ProjectAccess] = {}

    async def row(self, body: AnnotationBody) -> Row:
        """Image, project and slice of one body, once the caller may write there."""
        image_id = body.image
        if body.slice is not None:
            owner = self.slices.get(body.slice) or await slice_image(self.conn, body.slice)
            self.slices[body.slice] = owner
            if image_id is not None and owner != image_id:
                raise Invalid(f"Slice {body.slice} is not a slice of image {image_id}")
            image_id = owner
        if image_id is None:
            raise Invalid("Missing required field(s): image", {"missing": ["image"]})
        if body.location is None:
            raise Invalid("Missing required field(s): location", {"missing": ["location"]})
        ctx = self.images.get(image_id) or await image_context(self.conn, image_id)
        self.images[image_id] = ctx
        await self.access(ctx.project_id)
        slice_id = body.slice if body.slice is not None else ctx.reference_slice_id
        if slice_id is None:
            raise Invalid(f"Image {image_id} has no slice to annotate")
        return Row(image_id=image_id, slice_id=slice_id, project_id=ctx.project_id)

    async def access(self, project_id: int) -> acl.ProjectAccess:
        """Write rights in a project, checked once."""
        if project_id not in self.writable:
            found = await acl.project_access(self.conn, self.me, project_id)
            self.writable[project_id] = found.require_write()
        return self.writable[project_id]


async def resolve(
    conn: asyncpg.Connection, me: Principal, bodies: list[AnnotationBody]
) -> tuple[list[Row | None], Errors, dict[int, ImageContext]]:
    """Image, slice, rights and terms of every body (no geometry yet), rejections by index."""
    resolver = _Resolver(conn, me)
    rows: list[Row | None] = []
    errors: Errors = {}
    for i, body in enumerate(bodies):
        try:
            rows.append(await resolver.row(body))
        except DomainError as exc:
            rows.append(None)
            errors[i] = exc
    await _check_terms(conn, bodies, rows, errors)
    return rows, errors, resolver.images


async def prepare(
    conn: asyncpg.Connection, me: Principal, bodies: list[AnnotationBody]
) -> tuple[list[Row | None], Errors]:
    """Rows aligned with ``bodies`` (None where rejected) and the rejections by index."""
    rows, errors, images = await resolve(conn, me, bodies)
    texts = [body.location for body in bodies]
    if len(texts) > THREAD_THRESHOLD:
        found = await anyio.to_thread.run_sync(check_geometries, texts, rows, images)
    else:
        found = check_geometries(texts, rows, images)
    errors.update(found)
    return rows, errors


async def _check_terms(
    conn: asyncpg.Connection, bodies: list[AnnotationBody], rows: list[Row | None], errors: Errors
) -> None:
    """Terms must belong to the ontology of the annotation's project (one query per project)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for body, row in zip(bodies, rows, strict=True):
        if row is not None:
            row.terms = body.term_ids() or []
            wanted[row.project_id].update(row.terms)
    known: dict[int, set[int]] = {}
    for project_id, terms in wanted.items():
        found = (
            await conn.fetchval(q.ANNOTATION_TERMS_KNOWN, list(terms), project_id) if terms else []
        )
        known[project_id] = set(found or [])
    for i, row in enumerate(rows):
        if row is not None and (unknown := set(row.terms) - known[row.project_id]):
            errors[i] = Invalid(
                f"Term(s) {sorted(unknown)} are not in the ontology of project {row.project_id}",
                {"term": sorted(unknown)},
            )
            rows[i] = None


def check_geometries(
    texts: Sequence[str | None], rows: list[Row | None], images: dict[int, ImageContext]
) -> Errors:
    """Check, clip and measure the locations of the rows still accepted (aligned lists).

    One vectorised batch per image; rejected rows become None and their errors are returned
    by position. Synchronous: callers run big batches in a worker thread.
    """
    by_image: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row is not None:
            by_image[row.image_id].append(i)
    errors: Errors = {}
    for image_id, indices in by_image.items():
        ctx = images[image_id]
        texts_here = [texts[i] for i in indices]
        batch = spatial.check_locations(texts_here, image_width=ctx.width, image_height=ctx.height)
        fill(batch, [rows[i] for i in indices], ctx.resolution)
        for k, exc in batch.errors:
            errors[indices[k]], rows[indices[k]] = exc, None
    return errors


def fill(batch: spatial.ParsedBatch, rows: list[Any], resolution: float | None) -> None:
    """Store WKB and measures of a checked batch on its rows (aligned); errors stay in batch."""
    ok = np.flatnonzero(~shapely.is_missing(batch.geometries))
    if not len(ok):
        return
    geoms = batch.geometries[ok]
    wkbs = shapely.to_wkb(geoms, output_dimension=2).tolist()
    if resolution is None:
        area, length = np.round(shapely.area(geoms)), np.round(shapely.length(geoms))
        units = (spatial.frames.PIXELS2, spatial.frames.PIXELS)
    else:
        physical = spatial.to_micrometres(geoms, resolution)
        area, length = shapely.area(physical), shapely.length(physical) / 1000.0
        units = (spatial.frames.MICRON2, spatial.frames.MM)
    bounds = shapely.bounds(geoms)
    xs = ((bounds[:, 0] + bounds[:, 2]) / 2).tolist()
    ys = ((bounds[:, 1] + bounds[:, 3]) / 2).tolist()
    measured = zip(ok.tolist(), wkbs, area.tolist(), length.tolist(), xs, ys, strict=True)
    for k, wkb, a, p, x, y in measured:
        row = rows[k]
        row.wkb, row.area, row.perimeter = wkb, a, p
        row.area_unit, row.perimeter_unit = units
        row.centre_x, row.centre_y = x, y


__all__ = [
    "AnnotationBody",
    "ImageContext",
    "Row",
    "check_geometries",
    "fill",
    "image_context",
    "prepare",
    "resolve",
    "slice_image",
]
