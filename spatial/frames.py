"""The coordinate frames of an image, each defined once, and Cytomine's measurements.

Each frame change is one ``Affine`` (``flip_y``, ``scale``); the PROJ pipeline that moves
geometries here and the ``ST_Affine`` arguments SQL may bind are both derived from it.

Frames (all 2-D, x to the right):
- bottom-left pixels: Cytomine annotations, origin at the image's bottom-left corner, y up;
- top-left pixels: windows, tiles and crops, origin at the top-left corner, y down;
- micrometres: bottom-left pixels scaled by the physical resolution (micrometres per pixel).
Going from bottom-left to top-left for an image of height H is ``y' = H - y`` (its own inverse).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import pyproj
import shapely  # type: ignore[import-untyped]

from spatial.errors import InvalidResolution

Geometry = Any  # shapely ships no type information

PIXELS = "pixels"
PIXELS2 = "pixels²"
MM = "mm"
MICRON2 = "micron²"


class Affine(NamedTuple):
    """A 2-D affine map ``x' = a*x + b*y + xoff``, ``y' = d*x + e*y + yoff``.

    The field order is shapely's ``affine_transform`` and PostGIS's 2-D ``ST_Affine`` order, so
    SQL can bind the same numbers that define the PROJ pipeline.
    """

    a: float
    b: float
    d: float
    e: float
    xoff: float
    yoff: float


def flip_y(height: float) -> Affine:
    """Bottom-left to top-left pixels (its own inverse) for an image of this height."""
    return Affine(1.0, 0.0, 0.0, -1.0, 0.0, float(height))


def scale(resolution: float) -> Affine:
    """Pixels to micrometres at this resolution (micrometres per pixel)."""
    r = _check_resolution(resolution)
    return Affine(r, 0.0, 0.0, r, 0.0, 0.0)


def pipeline(affine: Affine) -> str:
    """The PROJ pipeline text of an affine map."""
    a, b, d, e, xoff, yoff = (float(v) for v in affine)
    return (
        f"+proj=pipeline +step +proj=affine +xoff={xoff!r} +yoff={yoff!r} "
        f"+s11={a!r} +s12={b!r} +s21={d!r} +s22={e!r}"
    )


def flip_y_pipeline(height: float) -> str:
    """PROJ pipeline from bottom-left to top-left pixels (and back) for an image of this height."""
    return pipeline(flip_y(height))


def scale_pipeline(resolution: float) -> str:
    """PROJ pipeline from pixels to micrometres at this resolution (micrometres per pixel)."""
    return pipeline(scale(resolution))


@lru_cache(maxsize=256)
def _transformer(pipeline: str) -> pyproj.Transformer:
    """A cached transformer for one pipeline text."""
    return pyproj.Transformer.from_pipeline(pipeline)


def _apply(geometry: Geometry, pipeline: str, *, inverse: bool = False) -> Geometry:
    """Run a pipeline over every coordinate of a geometry (or an array of geometries)."""
    transformer = _transformer(pipeline)
    direction = pyproj.enums.TransformDirection.INVERSE if inverse else "FORWARD"

    def move(coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1], direction=direction)
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def to_top_left(geometry: Geometry, height: float) -> Geometry:
    """Bottom-left pixel geometry -> top-left pixel geometry for an image of this height."""
    return _apply(geometry, flip_y_pipeline(height))


def to_bottom_left(geometry: Geometry, height: float) -> Geometry:
    """Top-left pixel geometry -> bottom-left pixel geometry for an image of this height."""
    return _apply(geometry, flip_y_pipeline(height), inverse=True)


def to_micrometres(geometry: Geometry, resolution: float) -> Geometry:
    """Pixel geometry -> micrometre geometry at this resolution (micrometres per pixel)."""
    return _apply(geometry, scale_pipeline(resolution))


def to_pixels(geometry: Geometry, resolution: float) -> Geometry:
    """Micrometre geometry -> pixel geometry at this resolution (micrometres per pixel)."""
    return _apply(geometry, scale_pipeline(resolution), inverse=True)


def point_to_top_left(x: float, y: float, height: float) -> tuple[float, float]:
    """One bottom-left pixel point -> top-left pixel point."""
    tx, ty = _transformer(flip_y_pipeline(height)).transform(x, y)
    return float(tx), float(ty)


def point_to_bottom_left(x: float, y: float, height: float) -> tuple[float, float]:
    """One top-left pixel point -> bottom-left pixel point."""
    inverse = pyproj.enums.TransformDirection.INVERSE
    tx, ty = _transformer(flip_y_pipeline(height)).transform(x, y, direction=inverse)
    return float(tx), float(ty)


@dataclass(frozen=True, slots=True)
class Measurement:
    """Area and perimeter with Cytomine's units (``areaUnit`` / ``perimeterUnit`` values)."""

    area: float
    area_unit: str
    perimeter: float
    perimeter_unit: str


def measure(geometry: Geometry, resolution: float | None = None) -> Measurement:
    """Area and perimeter as Cytomine reports them.

    Without a resolution: rounded pixels² and pixels. With one: the area in micron² and the
    perimeter in millimetres (Cytomine's units), measured on the micrometre frame.
    """
    if resolution is None:
        return Measurement(
            float(round(shapely.area(geometry))),
            PIXELS2,
            float(round(shapely.length(geometry))),
            PIXELS,
        )
    physical = to_micrometres(geometry, resolution)
    return Measurement(
        float(shapely.area(physical)), MICRON2, float(shapely.length(physical)) / 1000.0, MM
    )


def _check_resolution(resolution: float) -> float:
    """A finite positive resolution, or InvalidResolution."""
    r = float(resolution)
    if not math.isfinite(r) or r <= 0:
        raise InvalidResolution(f"Physical resolution must be a positive number, got {resolution}")
    return r


__all__ = [
    "MICRON2",
    "Affine",
    "MM",
    "PIXELS",
    "PIXELS2",
    "Measurement",
    "flip_y",
    "flip_y_pipeline",
    "measure",
    "pipeline",
    "point_to_bottom_left",
    "point_to_top_left",
    "scale",
    "scale_pipeline",
    "to_bottom_left",
    "to_micrometres",
    "to_pixels",
    "to_top_left",
]
