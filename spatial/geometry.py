"""Parse and validate annotation locations: WKT in image pixels, Cytomine's bottom-left origin.

Policy, applied in this order to one location (``parse_location``) or to each row of a batch
(``parse_locations``, vectorised with shapely's array functions); a rejection names its step:

1. ``missing``/``syntax``: the text must be WKT that GEOS parses; the GEOS reason is quoted.
2. ``empty``: empty geometries are rejected.
3. ``type``: only Point, LineString, Polygon, MultiPoint and MultiPolygon are accepted
   (Cytomine refuses MultiLineString and GeometryCollection too).
4. ``vertices``: more than ``max_vertices`` coordinates is rejected.
5. ``non_finite``: NaN or infinite coordinates are rejected.
6. ``extent``: coordinates beyond +/- ``MAX_COORDINATE`` pixels are rejected (no slide is that
   large; such values are unit or frame mistakes).
7. Validity: a geometry that passes ``is_valid`` is never changed. One that fails is repaired
   with ``make_valid`` when it is polygonal, keeping only the polygonal part (a bow-tie becomes
   two triangles) and recording the GEOS reason; ``collapsed`` if no area remains. Invalid
   non-polygonal input (a line of one repeated point) is rejected as ``invalid``.
8. ``outside``: when the image size is known, the geometry is clipped to 0..width x 0..height
   as Cytomine does (only when it crosses the border); one that keeps nothing inside, or no area
   for polygonal input, is rejected.
Z and M values are dropped: annotations are 2-D.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely  # type: ignore[import-untyped]

from spatial import rings
from spatial.errors import InvalidGeometry

DEFAULT_MAX_VERTICES = 100_000
MAX_COORDINATE = 1e9

_POINT, _LINE, _RING, _POLYGON, _MULTIPOINT, _MULTILINE, _MULTIPOLYGON, _COLLECTION = range(8)
_ACCEPTED = (_POINT, _LINE, _POLYGON, _MULTIPOINT, _MULTIPOLYGON)
_POLYGONAL = (_POLYGON, _MULTIPOLYGON)
_TYPE_NAMES: tuple[str, ...] = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint")
_TYPE_NAMES += ("MultiLineString", "MultiPolygon", "GeometryCollection")

Geometry = Any  # shapely ships no type information


@dataclass(frozen=True, slots=True)
class ParsedLocation:
    """One accepted location, with what the policy did to it."""

    geometry: Geometry
    repaired: str | None = None  # GEOS validity reason when make_valid was applied
    clipped: bool = False


@dataclass(slots=True)
class ParsedBatch:
    """Accepted geometries aligned with the input (None where rejected) and the rejections."""

    geometries: np.ndarray[Any, np.dtype[np.object_]]
    errors: list[tuple[int, InvalidGeometry]] = field(default_factory=list)
    repaired: dict[int, str] = field(default_factory=dict)
    clipped: list[int] = field(default_factory=list)


def parse_location(
    wkt: str,
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    image_width: float | None = None,
    image_height: float | None = None,
) -> Geometry:
    """Return the accepted geometry for one WKT location or raise InvalidGeometry."""
    return check_location(
        wkt, max_vertices=max_vertices, image_width=image_width, image_height=image_height
    ).geometry


def check_location(
    wkt: str,
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    image_width: float | None = None,
    image_height: float | None = None,
) -> ParsedLocation:
    """Like parse_location, also telling whether the shape was repaired or clipped."""
    batch = check_locations(
        [wkt], max_vertices=max_vertices, image_width=image_width, image_height=image_height
    )
    if batch.errors:
        raise batch.errors[0][1]
    return ParsedLocation(batch.geometries[0], batch.repaired.get(0), bool(batch.clipped))


def parse_locations(
    wkts: Sequence[str | None],
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    image_width: float | None = None,
    image_height: float | None = None,
) -> tuple[np.ndarray[Any, np.dtype[np.object_]], list[tuple[int, str]]]:
    """Parse many locations at once: (geometries with None where rejected, [(index, reason)])."""
    batch = check_locations(
        wkts, max_vertices=max_vertices, image_width=image_width, image_height=image_height
    )
    return batch.geometries, [(i, e.message) for i, e in batch.errors]


def check_locations(
    wkts: Sequence[str | None],
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    image_width: float | None = None,
    image_height: float | None = None,
) -> ParsedBatch:
    """Apply the whole policy to a batch; rows are independent (a bad row never fails others)."""
    texts = np.empty(len(wkts), dtype=object)
    texts[:] = list(wkts)
    with np.errstate(all="ignore"):  # GEOS NaN handling trips numpy's floating-point flags
        batch = ParsedBatch(_read(texts))
        _reject_missing_and_syntax(batch, texts)
        _apply_policy(batch, max_vertices, image_width, image_height)
    return batch


def check_geometries(
    geometries: Sequence[Geometry | None] | np.ndarray[Any, Any],
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    image_width: float | None = None,
    image_height: float | None = None,
) -> ParsedBatch:
    """Apply steps 2-8 to geometries built another way (GeoJSON, coordinate arrays)."""
    batch = ParsedBatch(np.empty(len(geometries), dtype=object))
    batch.geometries[:] = list(geometries)
    with np.errstate(all="ignore"):
        for i in np.flatnonzero(shapely.is_missing(batch.geometries)).tolist():
            _reject(batch, i, "missing", "is missing (expected a geometry)")
        _apply_policy(batch, max_vertices, image_width, image_height)
    return batch


def _apply_policy(
    batch: ParsedBatch, max_vertices: int, width: float | None, height: float | None
) -> None:
    """Steps 2-8 on the rows still accepted; errors end sorted by row."""
    invalid = _check_shapes(batch, max_vertices)
    _repair(batch, invalid)
    if width is not None and height is not None:
        _clip(batch, float(width), float(height))
    batch.errors.sort(key=lambda item: item[0])


def to_wkb(geometry: Geometry) -> bytes:
    """Encode one geometry as 2-D WKB (what ``ST_GeomFromWKB`` and binary COPY accept)."""
    return bytes(shapely.to_wkb(geometry, output_dimension=2))


def to_wkb_many(geometries: Sequence[Geometry] | np.ndarray[Any, Any]) -> list[bytes | None]:
    """Encode many geometries as 2-D WKB at once; None stays None."""
    encoded = shapely.to_wkb(np.asarray(geometries, dtype=object), output_dimension=2)
    return list(encoded.tolist())


def _read(texts: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Parse every text, leaving None where it is not a string or not WKT.

    Single-ring polygons written as GEOS writes them are read from the batch's text
    (``spatial.rings``, the same geometries for a fraction of the cost); GEOS reads the rest.
    """
    strings = np.flatnonzero([isinstance(t, str) for t in texts])
    out = np.full(len(texts), None, dtype=object)
    if not len(strings):
        return out
    encoded = [t.encode(errors="replace") for t in texts[strings].tolist()]
    out[strings] = rings.read(encoded, rings.WKT)
    slow = strings[shapely.is_missing(out[strings])]
    if len(slow):
        out[slow] = shapely.from_wkt(texts[slow], on_invalid="ignore")
    return out


def _reject(batch: ParsedBatch, index: int, reason: str, message: str) -> None:
    """Record one rejection and drop the row's geometry."""
    batch.errors.append((index, InvalidGeometry(f"Annotation location {message}", reason)))
    batch.geometries[index] = None


def _reject_missing_and_syntax(batch: ParsedBatch, texts: np.ndarray[Any, Any]) -> None:
    """Explain the rows the parser left empty (re-parsed one by one for the GEOS reason)."""
    for i in np.flatnonzero(shapely.is_missing(batch.geometries)):
        text = texts[i]
        if not isinstance(text, str) or not text.strip():
            _reject(batch, int(i), "missing", "is missing (expected WKT text)")
            continue
        try:
            shapely.from_wkt(text)
            detail = "unknown parse error"
        except shapely.errors.ShapelyError as exc:
            detail = str(exc).strip() or type(exc).__name__
        _reject(batch, int(i), "syntax", f"is not valid WKT: {detail}")


def _alive(batch: ParsedBatch) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Indices of rows still accepted."""
    return np.flatnonzero(~shapely.is_missing(batch.geometries))


def _check_shapes(batch: ParsedBatch, max_vertices: int) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Steps 2-6; returns the rows that fail the validity check (for step 7)."""
    rows = _alive(batch)
    geoms = batch.geometries[rows]
    types = shapely.get_type_id(geoms)
    counts = shapely.get_num_coordinates(geoms)
    huge = np.nan_to_num(np.abs(shapely.bounds(geoms)), nan=0.0).max(axis=1, initial=0.0)
    huge = huge > MAX_COORDINATE
    finite = np.ones(len(rows), dtype=bool)
    invalid = ~shapely.is_valid(geoms)
    suspect = np.flatnonzero(invalid | huge)
    finite[suspect] = _finite_rows(geoms[suspect])
    empty = shapely.is_empty(geoms)
    accepted = np.isin(types, _ACCEPTED)
    bad = empty | ~accepted | (counts > max_vertices) | ~finite | huge
    for k in np.flatnonzero(bad).tolist():
        facts = _Facts(int(types[k]), int(counts[k]), bool(empty[k]), bool(finite[k]), huge[k])
        _reject(batch, int(rows[k]), *_shape_problem(facts, max_vertices))
    has_z = rows[~bad & shapely.has_z(geoms)]
    if len(has_z):
        batch.geometries[has_z] = shapely.force_2d(batch.geometries[has_z])
    return np.asarray(rows[invalid & ~bad], dtype=np.intp)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What steps 2-6 look at in one geometry."""

    type_id: int
    count: int
    empty: bool
    finite: bool
    huge: bool


def _finite_rows(geoms: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each geometry has only finite coordinates."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = np.zeros(len(geoms), dtype=bool)
    bad[index[~np.isfinite(coords).all(axis=1)]] = True
    return ~bad


def _shape_problem(facts: _Facts, max_vertices: int) -> tuple[str, str]:
    """The first rule of steps 2-6 that one geometry breaks, as (reason, message)."""
    name = _TYPE_NAMES[facts.type_id] if 0 <= facts.type_id < len(_TYPE_NAMES) else "geometry"
    if facts.empty:
        return "empty", f"is an empty {name}"
    if facts.type_id not in _ACCEPTED:
        accepted = ", ".join(_TYPE_NAMES[t] for t in _ACCEPTED)
        return "type", f"is a {name}; accepted types are {accepted}"
    if facts.count > max_vertices:
        return "vertices", f"has {facts.count} vertices, more than the limit of {max_vertices}"
    if not facts.finite:
        return "non_finite", "has a non-finite coordinate (NaN or infinity)"
    return "extent", f"has coordinates beyond +/-{MAX_COORDINATE:.0e} pixels"


def _repair(batch: ParsedBatch, invalid: np.ndarray[Any, np.dtype[np.intp]]) -> None:
    """Step 7: make_valid the polygonal rows that fail the validity check, reject the others."""
    for i in invalid.tolist():
        geom = batch.geometries[i]
        reason = shapely.is_valid_reason(geom)
        if shapely.get_type_id(geom) not in _POLYGONAL:
            _reject(batch, i, "invalid", f"is not valid ({reason})")
            continue
        fixed = polygonal_part(shapely.make_valid(geom))
        if fixed is None:
            _reject(batch, i, "collapsed", f"is not a valid polygon ({reason}) and has no area")
            continue
        batch.geometries[i] = fixed
        batch.repaired[i] = reason


def _clip(batch: ParsedBatch, width: float, height: float) -> None:
    """Step 8: intersect the rows crossing the image border with the image rectangle."""
    rows = _alive(batch)
    bounds = shapely.bounds(batch.geometries[rows])
    crossing = (bounds[:, 0] < 0) | (bounds[:, 1] < 0)
    crossing |= (bounds[:, 2] > width) | (bounds[:, 3] > height)
    rows = rows[crossing]
    if not len(rows):
        return
    frame = shapely.box(0.0, 0.0, width, height)
    clipped = shapely.intersection(batch.geometries[rows], frame)
    for i, original, inside in zip(rows.tolist(), batch.geometries[rows], clipped, strict=True):
        if shapely.get_type_id(original) in _POLYGONAL:
            inside = polygonal_part(inside)
        if inside is None or shapely.is_empty(inside):
            _reject(batch, i, "outside", f"lies outside the image (0..{width:g}, 0..{height:g})")
            continue
        batch.geometries[i] = inside
        batch.clipped.append(i)


def polygonal_part(geometry: Geometry) -> Geometry | None:
    """The Polygon or MultiPolygon made of the areal parts of a geometry, or None if none."""
    polygons = [p for p in _flatten(geometry) if shapely.get_type_id(p) == _POLYGON]
    polygons = [p for p in polygons if not p.is_empty and p.area > 0]
    if not polygons:
        return None
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)


def _flatten(geometry: Geometry) -> list[Geometry]:
    """All simple parts of a geometry, recursing into collections."""
    if shapely.get_type_id(geometry) in (_MULTIPOINT, _MULTILINE, _MULTIPOLYGON, _COLLECTION):
        return [leaf for part in shapely.get_parts(geometry) for leaf in _flatten(part)]
    return [geometry]


__all__ = [
    "DEFAULT_MAX_VERTICES",
    "MAX_COORDINATE",
    "ParsedBatch",
    "ParsedLocation",
    "check_geometries",
    "check_location",
    "check_locations",
    "parse_location",
    "parse_locations",
    "polygonal_part",
    "to_wkb",
    "to_wkb_many",
]
