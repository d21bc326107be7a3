"""Zoomed-out views of an image's annotations, read from the per-cell aggregates.

``annotation_overview`` (migration 0013) counts user annotations per cell, term and author,
so an overview of a million annotations reads a few hundred rows. Writes only log their
changes (migration 0037); ``flush`` folds an image's pending changes into its cells, and every
reader here flushes its image first, so answers are exact whenever the changes were made.
It also serves Cytomine's clustered layer (``kmeans=true`` on the listing):
Cytomine reduces a layer to k-means clusters only when the window is wide and the layer big
(``KmeansGeometryService.mustBeReduce``); here the clusters come from the cells (weighted by
their counts) instead of every geometry, and the count is the image's rather than the slice's.
Past Cytomine's rules, a clustered listing also honours the server's row budget
(``LAMINA_WINDOW_ROW_BUDGET``): a window the cells say holds more annotations than the budget
is answered with clusters too, whatever its width, so the rows of a dense window are never read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import asyncpg
import msgspec

import spatial
from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db.replicas import on_standby
from server.db.store import acl
from server.principal import Principal
from spatial import grid

if TYPE_CHECKING:
    from server.db.store.annotation_listing import AnnotationQuery

KMEANS_CLUSTERS = 5
# Cytomine's rules: window width / image width (in quarters) -> layer size from which the
# layer is clustered; narrower windows never are.
KMEANS_FROM = {4: 2_000, 3: 10_000, 2: 100_000}
# Cells the clusters are computed from, across the window.
KMEANS_CELLS_ACROSS = 32
# Cells the row estimate of a window is read from, across its longer side.
BUDGET_CELLS_ACROSS = 64
# The listing filters the aggregates hold (AnnotationQuery fields): a listing that sets any
# other one (tags, tracks, review state, dates, keyset...) is always listed exactly.
_AGGREGATED = frozenset(
    {"project", "images", "slices", "users", "terms", "bbox", "groups", "max", "offset", "kmeans"}
)


class OverviewImage(msgspec.Struct, frozen=True, kw_only=True):
    """An image the caller may read, its size and its annotation version."""

    id: int
    project_id: int
    width: int
    height: int
    version: int
    viewer: int | None = None
    """The caller when the project hides some layers from them (None: they see every layer)."""


class Overview(msgspec.Struct, kw_only=True):
    """Cells of an image at a zoom, with counts per term (a Lamina extension)."""

    image: int
    zoom: int
    level: int
    cell_size: int = msgspec.field(name="cellSize")
    count: int
    version: int
    cells: msgspec.Raw


class Clusters(msgspec.Struct, frozen=True, kw_only=True):
    """Cytomine's kmeans rows as JSON text, and how many."""

    items: bytes
    size: int


async def flush(
    conn: asyncpg.Connection, image_id: int | None, slice_id: int | None = None, *, wait: bool
) -> int:
    """Fold the pending changes of an image (or the slice's image) into its cells.

    Answers how many logged changes it applied. ``wait``: queue behind another session's
    flush of the same image (a reader, which must see every committed write); otherwise skip
    that image (a background pass: the other session does the work).
    """
    return int(await conn.fetchval(q.ANNOTATION_OVERVIEW_FLUSH, image_id, slice_id, wait))


async def flush_pending(conn: asyncpg.Connection) -> int:
    """Flush every image with pending changes, each in its own transaction; changes applied."""
    images = [r["image_id"] for r in await conn.fetch(q.ANNOTATION_OVERVIEW_PENDING)]
    return sum([await flush(conn, image, wait=False) for image in images])


async def readable_image(
    conn: asyncpg.Connection, me: Principal, image_id: int | None, slice_id: int | None = None
) -> OverviewImage:
    """The image (or the slice's image) if the caller reads its project; NotFound otherwise.

    Its pending aggregate changes are flushed first, so the cells and version read next
    account for every committed write. A read replica cannot write: there the cells are as
    the primary's refresh pass left them (stale by at most ``overview_refresh_seconds`` plus
    the replica's lag, the bound of every read served from a replica).
    """
    if not on_standby(conn):
        await flush(conn, image_id, slice_id, wait=True)
    row = await conn.fetchrow(q.ANNOTATION_OVERVIEW_IMAGE, image_id, slice_id)
    if row is None:
        if image_id is None:
            raise NotFound("SliceInstance", slice_id)
        raise NotFound("ImageInstance", image_id)
    image = OverviewImage(**dict(row))
    access = await acl.readable(conn, me, image.project_id)
    hides = access.hide_users_layers or access.hide_admins_layers
    if hides and not (me.is_admin or access.is_manager):
        image = msgspec.structs.replace(image, viewer=me.id)
    return image


async def overview(
    conn: asyncpg.Connection,
    image: OverviewImage,
    *,
    zoom: int,
    bbox: spatial.Bbox | None,
    users: list[int] | None,
    terms: list[int] | None,
) -> Overview:
    """The overview cells of ``image`` at ``zoom`` meeting ``bbox``."""
    level = grid.overview_level(zoom, image.width, image.height)
    cells = grid.window(level, image.width, image.height, bbox.envelope if bbox else None)
    row = await conn.fetchrow(
        q.ANNOTATION_OVERVIEW_CELLS,
        image.id,
        *cells[:6],
        users,
        terms,
        image.width,
        image.height,
        image.viewer,
        image.project_id,
    )
    assert row is not None  # an aggregate query always answers one row
    return Overview(
        image=image.id,
        zoom=zoom,
        level=cells.level,
        cell_size=1 << cells.level,
        count=int(row["total"]),
        version=image.version,
        cells=msgspec.Raw((row["cells"] or "[]").encode()),
    )


def kmeans_threshold(bbox_width: float, image_width: int) -> int | None:
    """Layer size from which Cytomine clusters a window this wide; None: never."""
    quarters = min(int(bbox_width / image_width * 4), 4) if image_width > 0 else 0
    return KMEANS_FROM.get(quarters)


def _kmeans_target(query: AnnotationQuery) -> tuple[int | None, int | None]:
    """(image, slice) a clustered listing is about; 400 like Cytomine without bbox or image."""
    if query.bbox is None:
        raise Invalid("If you want to use kmeans, you must provide image bbox")
    image = query.images[0] if query.images and len(query.images) == 1 else None
    slice_ = query.slices[0] if query.slices else None
    if image is None and slice_ is None:
        raise Invalid("If you want to use kmeans, you must provide slice Id")
    return image, slice_


def budgeted(query: AnnotationQuery, budget: int) -> bool:
    """Whether the row budget applies to ``query``: a budget is set, the page may pass it, and
    every filter is one the aggregates hold."""
    if budget <= 0 or 0 < query.max <= budget:
        return False
    defaults = type(query)()
    return all(
        getattr(query, name) == getattr(defaults, name)
        for name in query.__struct_fields__
        if name not in _AGGREGATED
    )


async def window_rows(
    conn: asyncpg.Connection, image: OverviewImage, query: AnnotationQuery
) -> float:
    """How many user annotations the cells say the window of ``query`` holds (of its authors
    and terms, in the layers the caller sees); no annotation is read."""
    assert query.bbox is not None
    box = query.bbox
    span = max(box.maxx - box.minx, box.maxy - box.miny)
    level = grid.stored_level(grid.level_for_cells(span, BUDGET_CELLS_ACROSS))
    cells = grid.window(level, image.width, image.height, box.envelope)
    args: list[Any] = [image.id, *cells[:1], *cells[2:6], query.users, query.terms]
    args += [image.width, image.height, *box.envelope, image.viewer, image.project_id]
    return float(await conn.fetchval(q.ANNOTATION_OVERVIEW_WINDOW_ROWS, *args))


async def kmeans(
    conn: asyncpg.Connection, me: Principal, query: AnnotationQuery, *, budget: int = 0
) -> Clusters | None:
    """Cytomine's kmeans rows for a listing with ``kmeans=true``; None: list every annotation.

    Clustered by Cytomine's rules (a wide window over a big layer), or when ``budget`` > 0
    and the window holds more annotations than that (see ``budgeted``).
    """
    image_id, slice_id = _kmeans_target(query)
    assert query.bbox is not None
    image = await readable_image(conn, me, image_id, slice_id)
    box = query.bbox
    threshold = kmeans_threshold(box.maxx - box.minx, image.width)
    if threshold is not None and (found := await _clusters(conn, image, query, threshold)):
        return found
    if budgeted(query, budget) and await window_rows(conn, image, query) > budget:
        return await _clusters(conn, image, query, 0)
    return None


async def _clusters(
    conn: asyncpg.Connection, image: OverviewImage, query: AnnotationQuery, threshold: int
) -> Clusters | None:
    """The clusters of the window, or None when the image's layer is under ``threshold``."""
    assert query.bbox is not None
    box = query.bbox
    level = grid.level_for_cells(box.maxx - box.minx, KMEANS_CELLS_ACROSS)
    cells = grid.window(level, image.width, image.height, box.envelope)
    args: list[Any] = [image.id, *cells[:6], query.users, query.terms]
    args += [image.width, image.height, threshold, KMEANS_CLUSTERS, image.viewer, image.project_id]
    row = await conn.fetchrow(q.ANNOTATION_OVERVIEW_KMEANS, *args)
    if row is None or row["items"] is None:
        return None
    return Clusters(items=row["items"].encode(), size=int(row["size"]))


__all__ = [
    "Clusters",
    "Overview",
    "OverviewImage",
    "budgeted",
    "flush",
    "flush_pending",
    "kmeans",
    "kmeans_threshold",
    "overview",
    "readable_image",
    "window_rows",
]
