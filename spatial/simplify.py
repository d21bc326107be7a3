"""Cytomine's point-budget simplification of new annotation locations.

Cytomine simplifies every created annotation that has 100 points or more: it raises a
Douglas-Peucker tolerance by 0.25 px per step (topology-preserving for multipolygons and
invalid polygons) until the point count falls under an upper budget, and keeps the last result
even when one step overshoots the lower budget. The budgets come from the request's
``minPoint``/``maxPoint`` or from defaults scaled by a count of parts; the tolerance reached is
stored as ``geometryCompression``.
"""

from __future__ import annotations

from typing import Any

import shapely  # type: ignore[import-untyped]

Geometry = Any  # shapely ships no type information

MAX_NUMBER_OF_POINTS = 200  # Cytomine's default application.annotation.maxNumberOfPoint
FAST_PATH_POINTS = 100
_STEP = 0.25
_MAX_STEPS = 1000


def simplify_location(
    geometry: Geometry,
    *,
    min_point: int | None = None,
    max_point: int | None = None,
    max_number_of_points: int = MAX_NUMBER_OF_POINTS,
) -> tuple[Geometry, float]:
    """Simplify like Cytomine on creation; returns (geometry, geometryCompression)."""
    count = int(shapely.get_num_coordinates(geometry))
    if count < FAST_PATH_POINTS:
        return geometry, 0.0
    parts = _part_weight(geometry)
    if max_point:
        upper = float(max_point * parts)
    else:
        upper = max(count / 1.3, float(parts * max_number_of_points))
    if min_point is not None:
        lower = float(min_point * parts)
    else:
        lower = min(max(count / 1.7, 10.0), float(parts * FAST_PATH_POINTS))
    preserve = _needs_topology(geometry)
    result, rate, tolerance, steps = geometry, 0.0, 0.0, 0
    while count > upper and steps < _MAX_STEPS:
        rate = tolerance
        result = shapely.simplify(geometry, rate, preserve_topology=preserve)
        if shapely.get_num_coordinates(result) < lower:
            break
        tolerance += _STEP
        count = int(shapely.get_num_coordinates(result))
        steps += 1
    return result, rate


def _needs_topology(geometry: Geometry) -> bool:
    """Multipolygons and invalid polygons keep their topology while simplified."""
    kind = geometry.geom_type
    return kind == "MultiPolygon" or (kind == "Polygon" and not geometry.is_valid)


def _part_weight(geometry: Geometry) -> int:
    """Cytomine's budget multiplier: holes (or parts) counted, halved above 10, capped at 10.

    A polygon counts its holes (so a plain polygon counts 0, then the floor of 1 applies), a
    multipolygon the holes of its members, anything else its number of parts.
    """
    kind = geometry.geom_type
    if kind == "MultiPolygon":
        weight = sum(len(p.interiors) for p in geometry.geoms)
    elif kind == "Polygon":
        weight = len(geometry.interiors)
    else:
        weight = int(shapely.get_num_geometries(geometry))
    weight = max(1, weight)
    if weight > 10:
        weight //= 2
    return min(10, weight)


__all__ = ["MAX_NUMBER_OF_POINTS", "simplify_location"]
