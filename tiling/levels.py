"""The one place that converts Cytomine zooms to large-image levels, tile indexes and y origins.

The pyramid itself (tiers, zoom counts, tiles across) is defined once in ``contracts.pyramid``
and re-exported here. Cytomine numbers zooms from the coarsest tier, which is also how
large-image numbers its levels when its tiles are 256 px wide, so a zoom is a large-image level
of such a source. Windows are given from the top-left corner (like images) while annotations
use a bottom-left origin (like maps).
"""

from __future__ import annotations

from typing import NamedTuple

from contracts.pyramid import (
    TILE,
    TileOutOfRange,
    check_tile,
    tier_of_zoom,
    tier_size,
    tile_span,
    tiles_across,
    zoom_count,
)


class Box(NamedTuple):
    """A rectangle in full-resolution pixels with a top-left origin."""

    left: int
    top: int
    width: int
    height: int


def zoom_of_tier(tier: int, zooms: int) -> int:
    """Cytomine zoom of a tier (0 = full resolution, as image-server "levels" count)."""
    if not 0 <= tier < zooms:
        raise TileOutOfRange("Level", tier)
    return zooms - 1 - tier


def level_of_zoom(zoom: int, zooms: int) -> int:
    """large-image level of a Cytomine zoom (both count from the coarsest)."""
    tier_of_zoom(zoom, zooms)
    return zoom


def zoom_of_level(level: int, levels: int) -> int:
    """Cytomine zoom of a large-image level of a 256-px pyramid."""
    if not 0 <= level < levels:
        raise TileOutOfRange("Level", level)
    return level


def tile_index(tx: int, ty: int, across: int) -> int:
    """Cytomine tile index ``ti = ty * tilesAcross + tx``."""
    return ty * across + tx


def tile_position(ti: int, across: int) -> tuple[int, int]:
    """Inverse of tile_index: (tx, ty) of a tile index."""
    return ti % across, ti // across


def tile_box(width: int, height: int, zoom: int, zooms: int, tx: int, ty: int) -> Box:
    """Full-resolution box covered by a normalized tile, clipped to the image."""
    check_tile(width, height, zoom, zooms, tx, ty)
    span = tile_span(zoom, zooms)
    left, top = tx * span, ty * span
    return Box(left, top, min(span, width - left), min(span, height - top))


def flip_y(y: float, image_height: int) -> float:
    """Convert a y between top-left and bottom-left origins (the map is its own inverse)."""
    return image_height - y


def window_of_bbox(
    minx: float, miny: float, maxx: float, maxy: float, image_height: int
) -> tuple[float, float, float, float]:
    """Top-left window (left, top, width, height) of a bottom-left bbox (annotation space)."""
    return minx, image_height - maxy, maxx - minx, maxy - miny


def bbox_of_window(
    left: float, top: float, width: float, height: float, image_height: int
) -> tuple[float, float, float, float]:
    """Bottom-left bbox (minx, miny, maxx, maxy) of a top-left window."""
    return left, image_height - top - height, left + width, image_height - top


def tile_of_box(
    width: int, height: int, box: Box, out_width: int, out_height: int
) -> tuple[int, int, int] | None:
    """(zoom, tx, ty) of the interior normalized tile equal to box -> out size, else None.

    Lets IIIF and DeepZoom requests that match a stored tile exactly reuse the tile path
    (and its copy-through) instead of a region read.
    """
    if (out_width, out_height) != (TILE, TILE) or box.width != box.height:
        return None
    scale = box.width // TILE
    if scale * TILE != box.width or scale & (scale - 1):
        return None
    if box.left % box.width or box.top % box.height:
        return None
    if box.left + box.width > width or box.top + box.height > height:
        return None
    zooms = zoom_count(width, height)
    tier = scale.bit_length() - 1
    if tier >= zooms:
        return None
    return zooms - 1 - tier, box.left // box.width, box.top // box.height


__all__ = [
    "TILE",
    "Box",
    "bbox_of_window",
    "check_tile",
    "flip_y",
    "level_of_zoom",
    "tier_of_zoom",
    "tier_size",
    "tile_box",
    "tile_index",
    "tile_of_box",
    "tile_position",
    "tiles_across",
    "window_of_bbox",
    "zoom_count",
    "zoom_of_level",
    "zoom_of_tier",
]
