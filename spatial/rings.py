"""Polygons of one ring read from their text in bulk, without a per-coordinate object.

Bulk writes are mostly plain polygons written the way GEOS and shapely write them:
``POLYGON ((x y, x y, ...))`` or ``{"type":"Polygon","coordinates":[[[x,y],...]]}``. A
general reader (GEOS's WKT reader, or a JSON decode into nested lists of positions) spends
most of its time on each coordinate. Here a batch is read in a few whole-batch steps:

1. Each text must begin and end as its ``TextForm`` says (a single ring, nothing else).
2. Deleting the characters numbers are made of leaves the separators between them (its
   *skeleton*); it must be exactly the form's separators in order (``" ,  , ..."`` for WKT),
   which fixes the ring's point count and allows no other character: no letters (``nan``,
   ``Z``), brackets (holes) or stray separators.
3. No number may have moved between the separators: two of them side by side, other than
   the form's own (", " in WKT), betray an empty place (``_in_place``).
4. The separators are translated (byte for byte) into JSON's and the whole batch's numbers
   are decoded as one JSON array of floats. JSON's number grammar is a subset of what
   GEOS's reader accepts, and both round to the nearest double, so a number read here is
   what GEOS would read; a malformed one fails the decode. ``-0`` is left to the general
   reader (JSON decodes it as the integer 0, GEOS as -0.0).
5. Rings must be closed, have four or more points and only finite coordinates.

A text that fails any step is not read here: the caller gives it to its general reader, so
what is accepted, refused, and the geometry built never depend on which way a row went.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import shapely  # type: ignore[import-untyped]

# Characters that numbers are made of, deleted to leave a text's skeleton.
_NUMBER = b"0123456789.eE+-"
# Longer rings than this go to the general reader (they are rare, and it bounds the table).
MAX_FAST_POINTS = 4096
_NUMBERS = msgspec.json.Decoder(list[float])


@dataclass(frozen=True, slots=True)
class TextForm:
    """How one canonical single-ring polygon is written."""

    prefix: bytes
    suffix: bytes
    separators: bytes  # the skeleton of two points: after the first x, then up to the next x
    astray: tuple[bytes, ...]  # separators meeting there only when a number is out of place
    to_json: bytes  # a ``bytes.translate`` table making the numbers a JSON list's items

    def skeleton(self, points: int) -> bytes:
        """What is left of a ring of ``points`` points once its numbers are deleted."""
        unit = len(self.separators)
        return (self.separators * points)[: unit * (points - 1) + 1]


# "x y, x y" becomes "x,y ,x,y"; "x,y],[x,y" becomes "x,y , x,y".
WKT = TextForm(b"POLYGON ((", b"))", b" , ", (b" ,",), bytes.maketrans(b" ,", b", "))
GEOJSON = TextForm(
    b'{"type":"Polygon","coordinates":[[[',
    b"]]]}",
    b",],[",
    (b",]", b"[,"),
    bytes.maketrans(b"[]", b"  "),
)


def read(texts: Sequence[bytes], form: TextForm) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Polygons of the texts written in ``form`` (None where a text is not read here)."""
    out = np.full(len(texts), None, dtype=object)
    rows, middles, points = _shaped(texts, form)
    if not rows:
        return out
    xy, rows, points = _numbers(middles, rows, points, form)
    if rows:
        sizes = np.asarray(points, dtype=np.int64)
        out[np.asarray(rows, dtype=np.intp)] = polygons(xy, sizes, np.ones(len(rows), np.int64))
    return out


def _shaped(texts: Sequence[bytes], form: TextForm) -> tuple[list[int], list[bytes], list[int]]:
    """Rows whose text has the form's ends and skeleton: (rows, middles, points per ring)."""
    start, end = len(form.prefix), -len(form.suffix)
    framed = [
        k for k, t in enumerate(texts) if t.startswith(form.prefix) and t.endswith(form.suffix)
    ]
    middles = [texts[k][start:end] for k in framed]
    # One translation for the batch; rows are split apart again at a byte no form uses.
    skeletons = b"\n".join(middles).translate(None, _NUMBER).split(b"\n")
    if len(skeletons) != len(middles):  # a text held that byte
        skeletons = [middle.translate(None, _NUMBER) for middle in middles]
    unit = len(form.separators)
    longest = form.skeleton(MAX_FAST_POINTS)
    shaped = [
        k
        for k, skeleton in enumerate(skeletons)
        if len(skeleton) % unit == 1 and skeleton == longest[: len(skeleton)]
    ]
    points = [len(skeletons[k]) // unit + 1 for k in shaped]
    return [framed[k] for k in shaped], [middles[k] for k in shaped], points


def _numbers(
    middles: list[bytes], rows: list[int], points: list[int], form: TextForm
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[int], list[int]]:
    """The coordinates (one row per point) of the rows whose numbers JSON reads, two per
    point, and no ``-0``; with those rows and their point counts."""
    # Rows are joined by the separator that follows an x, which becomes JSON's comma.
    joined = form.separators[:1].join(middles)
    if not _in_place(joined, form):
        return _numbers_by_row(middles, rows, points, form)
    body = b"[" + joined.translate(form.to_json) + b"]"
    try:
        numbers = _NUMBERS.decode(body)
    except msgspec.DecodeError:
        return _numbers_by_row(middles, rows, points, form)
    xy = np.asarray(numbers, dtype=np.float64)
    if len(xy) != 2 * sum(points) or (not xy.all() and _negative_zero(body)):
        return _numbers_by_row(middles, rows, points, form)
    return xy.reshape(-1, 2), rows, points


def _in_place(text: bytes, form: TextForm) -> bool:
    """Whether each number sits in its place. A skeleton fixes the order of the separators,
    not where numbers sit between them: "0 ,5 0 7" has the skeleton of "0 5, 0 7", and its
    numbers read as JSON. Every such shift that JSON still reads empties a place next to a
    separator between points, and so puts two separators side by side: " ," in WKT."""
    return not any(pair in text for pair in form.astray)


def _negative_zero(body: bytes) -> bool:
    """Whether a JSON list of numbers holds the integer ``-0`` (which decodes as 0.0)."""
    return b"-0" in body and any(b"-0" + end in body for end in (b",", b" ", b"]"))


def _numbers_by_row(
    middles: list[bytes], rows: list[int], points: list[int], form: TextForm
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[int], list[int]]:
    """``_numbers`` one row at a time, leaving out the rows whose numbers fail."""
    numbers: list[float] = []
    kept_rows: list[int] = []
    kept_points: list[int] = []
    for middle, row, count in zip(middles, rows, points, strict=True):
        if not _in_place(middle, form):
            continue
        body = b"[" + middle.translate(form.to_json) + b"]"
        try:
            found = _NUMBERS.decode(body)
        except msgspec.DecodeError:
            continue
        if len(found) == 2 * count and not _negative_zero(body):
            numbers.extend(found)
            kept_rows.append(row)
            kept_points.append(count)
    return np.asarray(numbers, dtype=np.float64).reshape(-1, 2), kept_rows, kept_points


def polygons(
    xy: np.ndarray[Any, Any], sizes: np.ndarray[Any, Any], ring_counts: np.ndarray[Any, Any]
) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Polygons from their rings' points (``xy``, rings of ``sizes`` points, polygons of
    ``ring_counts`` rings); None for one a general reader must judge (no ring, an open or
    short ring, a non-finite coordinate)."""
    count = len(ring_counts)
    out = np.full(count, None, dtype=object)
    ends = np.cumsum(sizes)
    ring_ok = sizes >= 4
    long = np.flatnonzero(ring_ok)
    ring_ok[long] = (xy[ends[long] - sizes[long]] == xy[ends[long] - 1]).all(axis=1)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():
        point_ring = np.repeat(np.arange(len(sizes)), sizes)
        ring_ok &= np.bincount(point_ring[~finite], minlength=len(sizes)) == 0
    if ring_ok.all() and ring_counts.all():  # the usual batch: every polygon is built
        offsets = np.concatenate(([0], ends)), np.concatenate(([0], np.cumsum(ring_counts)))
        out[:] = shapely.from_ragged_array(shapely.GeometryType.POLYGON, xy, offsets)
        return out
    polygon_of_ring = np.repeat(np.arange(count), ring_counts)
    bad_rings = np.bincount(polygon_of_ring[~ring_ok], minlength=count)
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


__all__ = ["GEOJSON", "MAX_FAST_POINTS", "WKT", "TextForm", "polygons", "read"]
