"""Annotations of an image as Mapbox Vector Tiles, on the grid of its normalized tiles.

One statement per tile: PostGIS clips and encodes the geometries (``ST_AsMVTGeom`` maps the
tile's bottom-left envelope onto the y-down tile frame), or, when the tile would hold more
than ``CLUSTER_LIMIT`` annotations, answers one point per cell of a 16 x 16 grid (coarser below
tier 6) from the aggregates.
"""

from __future__ import annotations

import asyncpg
import msgspec

import spatial
import tiling.etag
from server.db import queries as q
from server.db.store.annotation_overview import OverviewImage
from spatial import grid

MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
# More annotations than this in one tile and it holds cluster points instead of geometries.
CLUSTER_LIMIT = 2_000
# Tiles smaller than a stored cell read no cell (and always hold geometries).
NO_CELLS = (grid.FINE_LEVEL, 0, 0, -1, 0, -1)


class TileQuery(msgspec.Struct, frozen=True, kw_only=True):
    """One tile of an image and its filters."""

    z: int
    tx: int
    ty: int
    users: list[int] | None = None
    terms: list[int] | None = None


def etag(image: OverviewImage, tile: TileQuery) -> str:
    """A strong ETag from the image's annotation version and the tile's parameters."""
    params = (tile.z, tile.tx, tile.ty, tile.users, tile.terms, CLUSTER_LIMIT, image.viewer)
    return tiling.etag.etag(image.id, image.version, "mvt", *params)


async def tile(conn: asyncpg.Connection, image: OverviewImage, query: TileQuery) -> bytes:
    """The encoded tile (empty bytes when nothing meets it); TileOutOfRange outside the image."""
    size = {"width": image.width, "height": image.height}
    envelope = spatial.tile_envelope(query.z, query.tx, query.ty, **size)
    cells = grid.tile_window(query.z, query.tx, query.ty, image.width, image.height)
    window, limit = (cells[:6], CLUSTER_LIMIT) if cells else (NO_CELLS, None)
    row = await conn.fetchrow(
        q.ANNOTATION_MVT, image.id, *envelope, query.users, query.terms, *window, limit,
        image.viewer, image.project_id,
    )  # fmt: skip
    assert row is not None  # scalar subqueries always answer one row
    return bytes(row["tile"])


__all__ = ["CLUSTER_LIMIT", "MEDIA_TYPE", "TileQuery", "etag", "tile"]
