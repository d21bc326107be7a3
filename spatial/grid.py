"""Cells of the annotation overview: squares of ``2 ** level`` pixels on the image's tile grid.

Cells are counted from the image's top-left corner like the normalized tiles, so the cell of
level ``tier + 8`` at (x, y) is tile (x, y) of that tier, while annotations and every box
returned here use the bottom-left origin. The database stores a few levels (``LEVELS``, the
same list as the SQL function ``annotation_overview_levels``); a coarser level is read from
the nearest finer stored one by shifting its cell indexes (``floor(v / 2^a) >> b`` is
``floor(v / 2^(a + b))``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from contracts import pyramid
from spatial.bbox import max_zoom

LEVELS = (10, 11, 12, 13, 14, 15, 16)
FINE_LEVEL = LEVELS[0]
TILE_LEVEL = int(math.log2(pyramid.TILE))
# An overview cell spans 128 screen pixels at the requested zoom (2 x 2 per tile).
OVERVIEW_CELL_LEVEL = 7
# A clustered vector tile is a grid of up to 16 x 16 cells.
TILE_CLUSTER_LEVEL = 4


class CellWindow(NamedTuple):
    """Stored level to read, the shift to the wanted level, and the cell index ranges read."""

    read_level: int
    shift: int
    cx0: int
    cx1: int
    cy0: int
    cy1: int

    @property
    def level(self) -> int:
        """The level of the cells answered."""
        return self.read_level + self.shift


def stored_level(level: int) -> int:
    """The coarsest stored level not coarser than ``level`` (cells nest exactly in it)."""
    return max([FINE_LEVEL, *(stored for stored in LEVELS if stored <= level)])


def tier(zoom: int, width: int, height: int) -> int:
    """Tier of a Cytomine zoom (0 = full resolution); zooms beyond the pyramid are clamped."""
    zooms = max_zoom(width, height) + 1
    return pyramid.tier_of_zoom(min(max(zoom, 0), zooms - 1), zooms)


def overview_level(zoom: int, width: int, height: int) -> int:
    """Level of the overview cells at ``zoom``: 128 screen pixels, never finer than stored."""
    return max(FINE_LEVEL, tier(zoom, width, height) + OVERVIEW_CELL_LEVEL)


def level_for_cells(span: float, across: int) -> int:
    """The level that splits ``span`` pixels into about ``across`` cells (at least FINE_LEVEL)."""
    wanted = max(span / max(across, 1), 1.0)
    return max(FINE_LEVEL, math.ceil(math.log2(wanted)))


def window(
    level: int, width: int, height: int, envelope: tuple[float, float, float, float] | None
) -> CellWindow:
    """The cells of ``level`` meeting ``envelope`` (bottom-left, whole image when None)."""
    read = stored_level(level)
    last_x, last_y = (width - 1) >> read, (height - 1) >> read
    if envelope is None:
        return CellWindow(read, level - read, 0, last_x, 0, last_y)
    minx, miny, maxx, maxy = envelope

    def index(value: float, last: int) -> int:
        return min(max(math.floor(value) >> read, 0), last)

    return CellWindow(
        read,
        level - read,
        index(minx, last_x),
        index(maxx, last_x),
        index(height - maxy, last_y),
        index(height - miny, last_y),
    )


def tile_level(z: int, width: int, height: int) -> int:
    """Level of the cells that are the tiles of zoom ``z``."""
    return tier(z, width, height) + TILE_LEVEL


def tile_window(z: int, tx: int, ty: int, width: int, height: int) -> CellWindow | None:
    """The cluster cells of tile z/tx/ty (up to 16 x 16); None when a tile is smaller than a
    stored cell (such tiles always hold geometries). Raises TileOutOfRange outside the image."""
    pyramid.check_tile(width, height, z, max_zoom(width, height) + 1, tx, ty)
    level = max(FINE_LEVEL, tile_level(z, width, height) - TILE_CLUSTER_LEVEL)
    if level > tile_level(z, width, height):
        return None
    read = stored_level(level)
    per_tile = tile_level(z, width, height) - read
    return CellWindow(
        read,
        level - read,
        tx << per_tile,
        ((tx + 1) << per_tile) - 1,
        ty << per_tile,
        ((ty + 1) << per_tile) - 1,
    )


__all__ = [
    "FINE_LEVEL",
    "LEVELS",
    "CellWindow",
    "level_for_cells",
    "overview_level",
    "stored_level",
    "tier",
    "tile_level",
    "tile_window",
    "window",
]
