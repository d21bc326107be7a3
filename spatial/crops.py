"""The region of an annotation crop and the shapes to draw in it, in top-left image pixels.

Cytomine crops the bounding box of a geometry given in the bottom-left pixel frame, optionally
enlarged around its centre (``increaseArea``) or made square; the conversion to the top-left
frame of pictures goes through ``spatial.frames`` and nowhere else.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import shapely  # type: ignore[import-untyped]

from spatial import frames
from spatial.errors import InvalidGeometry

Point = tuple[float, float]
Ring = tuple[Point, ...]
MAX_INCREASE = 100.0


class Shapes(NamedTuple):
    """Drawable parts of a geometry: polygons (exterior then holes), lines and points."""

    polygons: tuple[tuple[Ring, ...], ...] = ()
    lines: tuple[Ring, ...] = ()
    points: tuple[Point, ...] = ()


class CropRegion(NamedTuple):
    """A top-left full-resolution box and the geometry's shapes in the same frame."""

    left: int
    top: int
    width: int
    height: int
    shapes: Shapes


def parse_wkt(text: str) -> Any:
    """A non-empty geometry from WKT; InvalidGeometry otherwise."""
    try:
        geometry = shapely.from_wkt(text)
    except shapely.errors.GEOSException:
        raise InvalidGeometry(f"Invalid WKT geometry: {text[:80]!r}", "syntax") from None
    if geometry is None or geometry.is_empty:
        raise InvalidGeometry("The crop geometry is empty", "empty")
    return geometry


def crop_region(
    geometry: Any, image_height: int, *, increase_area: float | None = None, square: bool = False
) -> CropRegion:
    """The crop box of a bottom-left geometry (enlarged, squared) and its top-left shapes."""
    top_left = frames.to_top_left(geometry, image_height)
    minx, miny, maxx, maxy = (float(v) for v in shapely.bounds(top_left))
    left, top = math.floor(minx), math.floor(miny)
    right, bottom = max(math.ceil(maxx), left + 1), max(math.ceil(maxy), top + 1)
    if increase_area is None and not square:
        return CropRegion(left, top, right - left, bottom - top, shapes_of(top_left))
    width, height = float(right - left), float(bottom - top)
    if increase_area is not None:
        if not (math.isfinite(increase_area) and 0 < increase_area <= MAX_INCREASE):
            raise InvalidGeometry("increaseArea must be a positive factor", "increaseArea")
        width, height = width * increase_area, height * increase_area
    if square:
        width = height = max(width, height)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    left, top = math.floor(cx - width / 2), math.floor(cy - height / 2)
    right, bottom = math.ceil(cx + width / 2), math.ceil(cy + height / 2)
    return CropRegion(left, top, right - left, bottom - top, shapes_of(top_left))


def shapes_of(geometry: Any) -> Shapes:
    """The polygons, lines and points of a (multi)geometry or collection."""
    polygons: list[tuple[Ring, ...]] = []
    lines: list[Ring] = []
    points: list[Point] = []
    for part in shapely.get_parts(geometry):
        kind = part.geom_type
        if kind == "Polygon":
            rings = [part.exterior, *part.interiors]
            polygons.append(tuple(_ring(r.coords) for r in rings))
        elif kind in ("LineString", "LinearRing"):
            lines.append(_ring(part.coords))
        elif kind == "Point":
            points.append((float(part.x), float(part.y)))
        else:
            nested = shapes_of(part)
            polygons += nested.polygons
            lines += nested.lines
            points += nested.points
    return Shapes(tuple(polygons), tuple(lines), tuple(points))


def _ring(coords: Any) -> Ring:
    """Coordinates as a tuple of (x, y) floats."""
    return tuple((float(c[0]), float(c[1])) for c in coords)


__all__ = ["CropRegion", "Shapes", "crop_region", "parse_wkt", "shapes_of"]
