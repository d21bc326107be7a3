"""Read GeoJSON geometries in bulk, the common shapes without GEOS's JSON reader.

Imports are mostly plain polygons: ``{"type": "Polygon", "coordinates": [[[x, y], ...]]}``.
GEOS's reader builds each one through a generic JSON document, which made it half the cost
of checking an imported batch. Three readers are tried in turn, each on what the previous
one left:

1. ``spatial.rings`` reads single-ring polygons written compactly (as shapely and QuPath
   write them) from the batch's text, without an object per position;
2. the rest of the polygons (holes, whitespace) are decoded in one msgspec call into
   coordinate lists, and built with ``shapely.from_ragged_array``; only geometries of
   exactly that shape, with 2-D finite positions and closed rings of four or more
   positions, take this path;
3. any other (other types, extra members, Z values, open or short rings, syntax errors) is
   read by GEOS, so what is accepted and what is refused does not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import msgspec
import numpy as np
import shapely  # type: ignore[import-untyped]

from spatial import rings

Position = tuple[float, float]


class _Polygon(msgspec.Struct, tag_field="type", tag="Polygon", forbid_unknown_fields=True):
    """A GeoJSON Polygon of 2-D positions and nothing else."""

    coordinates: list[list[Position]]


_MANY = msgspec.json.Decoder(list[_Polygon])
_ONE = msgspec.json.Decoder(_Polygon)


def read_geojson(texts: Sequence[bytes]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Geometries of GeoJSON geometry texts, None where GEOS cannot read one."""
    out = rings.read(texts, rings.GEOJSON)
    rest = np.flatnonzero(shapely.is_missing(out))
    if len(rest):
        decoded = _decode([texts[k] for k in rest.tolist()])
        fast = [(k, r) for k, r in enumerate(decoded) if r is not None]
        if fast:
            out[rest[[k for k, _ in fast]]] = _build([r for _, r in fast])
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
    """Polygons from their rings; None for one GEOS must judge."""
    ring_counts = np.fromiter(map(len, polygons), np.int64, len(polygons))
    rings_ = list(chain.from_iterable(polygons))
    sizes = np.fromiter(map(len, rings_), np.int64, len(rings_))
    flat = chain.from_iterable(chain.from_iterable(rings_))
    xy = np.fromiter(flat, np.float64, 2 * int(sizes.sum())).reshape(-1, 2)
    return rings.polygons(xy, sizes, ring_counts)


__all__ = ["read_geojson"]
