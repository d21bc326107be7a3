"""The ``bbox`` filter of annotation listings, and the tile maths of the annotation pyramid.

``bbox`` is ``minx,miny,maxx,maxy`` or a WKT polygon, in annotation coordinates (bottom-left
pixels); Cytomine keeps annotations that intersect it. The SQL filters with ``location &&``
the envelope (index) and, when the polygon is not its own envelope, ``ST_Intersects`` with it.

Tiles are those of the image pyramid (``contracts.pyramid``): zoom 0 is the coarsest level,
where the whole image fits in one tile, and ``max_zoom`` is full resolution; one tile pixel at
zoom z covers ``2 ** (max_zoom - z)`` image pixels. Tile rows count from the top (y down).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely  # type: ignore[import-untyped]

from contracts import pyramid
from contracts.errors import Invalid
from spatial.errors import InvalidBbox

MAX_BBOX_VERTICES = 10_000
_NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"
_FOUR_NUMBERS = re.compile(rf"{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}")

Geometry = Any  # shapely ships no type information


@dataclass(frozen=True, slots=True)
class Bbox:
    """A parsed bbox: its envelope, and the polygon when it is not just that rectangle."""

    minx: float
    miny: float
    maxx: float
    maxy: float
    polygon: Geometry | None = None

    @property
    def envelope(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy), the arguments of ``ST_MakeEnvelope``."""
        return (self.minx, self.miny, self.maxx, self.maxy)

    @property
    def geometry(self) -> Geometry:
        """The exact shape to intersect with (the polygon or the rectangle)."""
        if self.polygon is not None:
            return self.polygon
        return shapely.box(self.minx, self.miny, self.maxx, self.maxy)


def parse_bbox(value: str) -> Bbox:
    """Parse ``minx,miny,maxx,maxy`` or a WKT (Multi)Polygon; InvalidBbox says what is wrong."""
    text = value.strip()
    if not text:
        raise InvalidBbox("bbox is empty: expected minx,miny,maxx,maxy or a WKT POLYGON")
    if _FOUR_NUMBERS.fullmatch(text):
        return _from_numbers([float(part) for part in text.split(",")])
    if text[0].isdigit() or text[0] in "+-.":
        raise InvalidBbox(f"bbox must be four comma-separated numbers minx,miny,maxx,maxy: {text}")
    return _from_wkt(text)


def _from_numbers(numbers: list[float]) -> Bbox:
    """A rectangle bbox from four finite, ordered numbers."""
    minx, miny, maxx, maxy = numbers
    if not all(math.isfinite(n) for n in numbers):
        raise InvalidBbox("bbox coordinates must be finite numbers")
    if minx > maxx or miny > maxy:
        raise InvalidBbox(
            f"bbox must be minx,miny,maxx,maxy with minx <= maxx and miny <= maxy, "
            f"got {minx:g},{miny:g},{maxx:g},{maxy:g}"
        )
    return Bbox(minx, miny, maxx, maxy)


def _from_wkt(text: str) -> Bbox:
    """A polygon bbox from WKT: parsable, polygonal, non-empty, finite and valid."""
    try:
        with np.errstate(all="ignore"):
            geometry = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        raise InvalidBbox(f"bbox is not valid WKT: {str(exc).strip()}") from exc
    kind = shapely.get_type_id(geometry)
    if kind not in (3, 6):  # Polygon, MultiPolygon
        raise InvalidBbox(f"bbox WKT must be a POLYGON or MULTIPOLYGON, got {geometry.geom_type}")
    if shapely.is_empty(geometry):
        raise InvalidBbox("bbox polygon is empty")
    if shapely.get_num_coordinates(geometry) > MAX_BBOX_VERTICES:
        raise InvalidBbox(f"bbox polygon has more than {MAX_BBOX_VERTICES} vertices")
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        raise InvalidBbox("bbox coordinates must be finite numbers")
    if not shapely.is_valid(geometry):
        raise InvalidBbox(f"bbox polygon is not valid ({shapely.is_valid_reason(geometry)})")
    geometry = shapely.force_2d(geometry)
    minx, miny, maxx, maxy = (float(b) for b in shapely.bounds(geometry))
    exact = shapely.equals(geometry, shapely.box(minx, miny, maxx, maxy))
    return Bbox(minx, miny, maxx, maxy, None if exact else geometry)


def max_zoom(width: int, height: int) -> int:
    """The full-resolution zoom: the number of halvings until the image fits in one tile."""
    if width <= 0 or height <= 0:
        raise Invalid(f"image size must be positive, got {width}x{height}")
    return pyramid.zoom_count(width, height) - 1


def tile_counts(z: int, width: int, height: int) -> tuple[int, int]:
    """Number of tile columns and rows at zoom z."""
    return pyramid.tiles_across(width, height, z, max_zoom(width, height) + 1)


def pixels_per_tile_pixel(z: int, width: int, height: int) -> int:
    """How many image pixels one tile pixel spans at zoom z."""
    return 1 << pyramid.tier_of_zoom(z, max_zoom(width, height) + 1)


def tile_envelope(
    z: int, x: int, y: int, *, width: int, height: int
) -> tuple[float, float, float, float]:
    """Envelope of tile z/x/y in bottom-left pixels (minx, miny, maxx, maxy), unclipped.

    Passing it to ``ST_AsMVTGeom`` as the bounds maps its top edge (maxy) to tile row 0, which
    is exactly the y-down tile frame.
    """
    zooms = max_zoom(width, height) + 1
    pyramid.check_tile(width, height, z, zooms, x, y)
    span = pyramid.tile_span(z, zooms)
    return (
        float(x * span),
        float(height - (y + 1) * span),
        float((x + 1) * span),
        float(height - y * span),
    )


__all__ = [
    "MAX_BBOX_VERTICES",
    "Bbox",
    "max_zoom",
    "parse_bbox",
    "pixels_per_tile_pixel",
    "tile_counts",
    "tile_envelope",
]
