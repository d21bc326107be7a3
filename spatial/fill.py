"""Filling an annotation: its polygons without their holes (Cytomine's ``fill`` action)."""

from __future__ import annotations

from typing import Any

import shapely  # type: ignore[import-untyped]

Geometry = Any  # shapely ships no type information


def fill_holes(geometry: Geometry) -> Geometry:
    """The polygon(s) of ``geometry`` with their interior rings removed; others unchanged."""
    kind = geometry.geom_type
    if kind == "Polygon":
        return shapely.Polygon(geometry.exterior)
    if kind == "MultiPolygon":
        return shapely.unary_union([shapely.Polygon(part.exterior) for part in geometry.geoms])
    return geometry


__all__ = ["fill_holes"]
