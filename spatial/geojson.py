"""Read GeoJSON geometries in bulk, the common shape without GEOS's JSON reader.

Imports are mostly plain polygons: ``{"type": "Polygon", "coordinates": [[[x, y], ...]]}``.
GEOS's reader builds each one through a generic JSON document, which made it half the cost
of checking an imported batch. Here the batch is decoded in one msgspec call into
coordinate lists and built with ``shapely.from_ragged_array``. Only geometries of exactly
that shape, with 2-D finite positions and closed rings of four or more positions, take
this path; any other (other types, extra members, Z values, open or short rings, syntax
errors) is read by GEOS as before, so what is accepted and what is refused does not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import msgspec
import numpy as np
import shapely  # type: ignore[import-untyped]

Position = tuple[float, float]


class _Polygon(msgspec.Struct, tag_field="type", tag="Polygon", forbid_unknown_fields=True):
    """A GeoJSON Polygon of 2-D positions and nothing else."""

    coordinates: list[list[Position]]


_MANY = msgspec.json.Decoder(list[_Polygon])
_ONE = msgspec.json.Decoder(_Polygon)


def read_geojson(texts: Sequence[bytes]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Geometries of GeoJSON geometry texts, None where GEOS cannot read one."""
    out = np.full(len(texts), None, dtype=object)
    rings = _decode(texts) if len(texts) else []
    fast = np.asarray([k for k, r in enumerate(rings) if r is not None], dtype=np.intp)
    if len(fast):
        out[fast] = _build([rings[k] for k in fast.tolist()])
    slow = np.flatnonzero(shapely.is_missing(out))
    if len(slow):
        raw = np.empty(len(slow), dtype=object)
        raw[:] = [texts[k] for k in slow.tolist()]
        with np.errstate(all="ignore"):  # a number out of range trips the overflow flag
            out[slow] = shapely.from_geojson(raw, on_invalid="ignore")
    return out


def _decode(texts: Sequence[bytes]) -> list[list[list[Position]] | None]:
    """Each text's rings when it is a plain 2-D Polygon, else None."""
    try:
        return [p.coordinates for p in _MANY.decode(b"[" + b",".join(texts) + b"]")]
    except msgspec.DecodeError:
        return [_decode_one(text) for text in texts]


def _decode_one(text: bytes) -> list[list[Position]] | None:
    try:
        return _ONE.decode(text).coordinates
    except msgspec.DecodeError:
        return None


def _build(polygons: list[list[list[Position]]]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Polygons from their rings; None for one GEOS must judge (no ring, an open or short
    ring, a non-finite position)."""
    out = np.full(len(polygons), None, dtype=object)
    ring_counts = np.fromiter(map(len, polygons), np.int64, len(polygons))
    rings = list(chain.from_iterable(polygons))
    sizes = np.fromiter(map(len, rings), np.int64, len(rings))
    flat = chain.from_iterable(chain.from_iterable(rings))
    xy = np.fromiter(flat, np.float64, 2 * int(sizes.sum())).reshape(-1, 2)
    ends = np.cumsum(sizes)
    ring_ok = sizes >= 4
    long = np.flatnonzero(ring_ok)
    ring_ok[long] = (xy[ends[long] - sizes[long]] == xy[ends[long] - 1]).all(axis=1)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():
        point_ring = np.repeat(np.arange(len(rings)), sizes)
        ring_ok &= np.bincount(point_ring[~finite], minlength=len(rings)) == 0
    polygon_of_ring = np.repeat(np.arange(len(polygons)), ring_counts)
    bad_rings = np.bincount(polygon_of_ring[~ring_ok], minlength=len(polygons))
    good = np.flatnonzero((ring_counts > 0) & (bad_rings == 0))
    if not len(good):
        return out
    keep_ring = np.isin(polygon_of_ring, good)
    ring_offsets = np.concatenate(([0], np.cumsum(sizes[keep_ring])))
    polygon_offsets = np.concatenate(([0], np.cumsum(ring_counts[good])))
    out[good] = shapely.from_ragged_array(
        shapely.GeometryType.POLYGON,
        xy[np.repeat(keep_ring, sizes)],
        (ring_offsets, polygon_offsets),
    )
    return out


__all__ = ["read_geojson"]
