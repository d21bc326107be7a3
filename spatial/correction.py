"""Cytomine's freehand correction: merge a drawn shape into an annotation, or cut it out."""

from __future__ import annotations

from typing import Any

import shapely  # type: ignore[import-untyped]

from contracts.errors import Invalid

Geometry = Any  # shapely ships no type information


def _read(wkt: str) -> Geometry:
    """A geometry from WKT, or 400."""
    try:
        return shapely.from_wkt(wkt)
    except shapely.errors.ShapelyError as exc:
        raise Invalid(f"location is not valid WKT: {str(exc).strip()}") from exc


def drawn_shape(wkt: str) -> Geometry:
    """The drawn correction shape; Cytomine refuses self-intersecting ones."""
    shape = _read(wkt)
    if shape.is_empty or not shape.is_valid:
        raise Invalid("Your annotation cannot be self-intersected.")
    return shape


def merged(based: str, shape: Geometry, others: list[str]) -> str:
    """The based location united with the shape and the other annotations' locations."""
    return str(shapely.unary_union([_read(based), shape, *map(_read, others)]).wkt)


def cut(location: str, shape: Geometry, *, based: bool) -> str:
    """A location minus the shape; the based annotation must keep a geometry."""
    rest = _read(location).difference(shape)
    if based and shapely.get_num_coordinates(rest) < 2:
        raise Invalid("You cannot delete an annotation with substract! Use reject or delete tool.")
    return str(rest.wkt)


__all__ = ["cut", "drawn_shape", "merged"]
