"""Single-ring polygons read from text: exactly what GEOS reads, or left to GEOS.

The texts are generated: canonical polygons, then the same with one thing changed (a
number's spelling, a separator, the case, a hole, a Z value, an open ring...). Whatever a
text is, the bulk reader either builds the very geometry GEOS builds or leaves it alone;
and the whole location policy answers the same rows and errors with it as without it.
"""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import shapely

import spatial
from spatial import rings
from spatial.geojson import read_geojson

NUMBERS = [
    "0", "1", "12", "-3", "4.5", "-0.25", "1e3", "1E+2", "2.5e-3", "-7E-1", "123456789012345678",
    "0.1", "3.14159265358979323846", "1.", ".5", "-.5", "+1", "01", "-0", "-0.0", "0.0", "1e400",
    "1e-400", "nan", "inf", "1_0", "1e", "-", "1.2.3", "0x10", "1d5", "٣", "",
    "-0e5", "9007199254740993", "-9223372036854775809", "18446744073709551617", "1" * 400,
]  # fmt: skip
SEPARATORS = [", ", ",", " , ", ",  ", ",\t", "\n, "]


def _number(rng: random.Random, odd: bool) -> str:
    if odd:
        return rng.choice(NUMBERS)
    return repr(round(rng.uniform(-50, 2000), rng.randint(0, 17)))


def _ring(rng: random.Random, points: int) -> list[tuple[str, str]]:
    """A closed ring of ``points`` points (the last repeats the first), as number texts."""
    open_part = [(_number(rng, False), _number(rng, False)) for _ in range(points - 1)]
    return [*open_part, open_part[0]]


def _text(ring: list[tuple[str, str]], inner: str = " ", separator: str = ", ") -> str:
    return "POLYGON ((" + separator.join(f"{x}{inner}{y}" for x, y in ring) + "))"


Ring = list[tuple[str, str]]
BOW_TIE = [("0", "0"), ("10", "10"), ("10", "0"), ("0", "10"), ("0", "0")]
FLAT = [("0", "0"), ("1", "1"), ("2", "2"), ("0", "0")]
OTHERS = ["POINT (1 2)", "LINESTRING (0 0, 1 1)", "POLYGON EMPTY", "", "junk"]
PREFIXES = ["POLYGON((", "POLYGON Z ((", " POLYGON ((", "polygon (("]


def _odd_number(rng: random.Random, ring: Ring) -> str:
    """An odd spelling of a number (the closing point keeps the first point's)."""
    k = rng.randrange(len(ring) - 1)
    ring[k] = (_number(rng, True), ring[k][1]) if rng.random() < 0.5 else (ring[k][0], "-0")
    ring[-1] = ring[0]
    return _text(ring)


def _with_z(rng: random.Random, ring: Ring) -> str:
    k = rng.randrange(len(ring))
    ring[k] = (ring[k][0], f"{ring[k][1]} 3")
    return _text(ring)


def _shifted(rng: random.Random, ring: Ring) -> str:
    """Far outside the image, or crossing its border."""
    shift = rng.choice([-1e6, 1e12, 990.0])
    return _text([(repr(float(x) + shift), y) for x, y in ring])


CHANGES: list[Callable[[random.Random, Ring], str]] = [
    lambda rng, ring: _text(ring),
    _odd_number,
    lambda rng, ring: _text(ring, separator=rng.choice(SEPARATORS)),
    lambda rng, ring: _text(ring, inner=rng.choice(["  ", "\t", " \n"])),
    lambda rng, ring: _text(ring).lower(),
    lambda rng, ring: _text(ring).replace("POLYGON ((", rng.choice(PREFIXES)),
    _with_z,
    lambda rng, ring: _text(rng.choice([ring[:-1], ring[:3], [*ring[:2], ring[0]]])),
    lambda rng, ring: _text(ring)[:-1] + ", (" + _text(_ring(rng, 4))[10:-1] + ")",  # a hole
    lambda rng, ring: "MULTIPOLYGON (" + _text(ring)[8:] + ")",
    lambda rng, ring: rng.choice(OTHERS),
    lambda rng, ring: _text(ring) + rng.choice([" ", ")", "\n", ";"]),
    lambda rng, ring: _text(rng.choice([BOW_TIE, FLAT])),
    _shifted,
    lambda rng, ring: _jumbled(rng, _text(ring)),
    lambda rng, ring: _jumbled(rng, _text(ring)),
]


def _mutated(rng: random.Random) -> str:
    """A polygon text with one (or no) change from the canonical form."""
    return rng.choice(CHANGES)(rng, _ring(rng, rng.randint(4, 12)))


def _jumbled(rng: random.Random, text: str) -> str:
    """``text`` with two neighbouring characters swapped, one dropped or one doubled, or a
    space moved across a comma (which keeps the skeleton and the count of numbers)."""
    k = rng.randrange(len(text) - 1)
    how = rng.randrange(4)
    if how == 0:
        return text[:k] + text[k + 1] + text[k] + text[k + 2 :]
    if how == 1:
        return text[:k] + text[k + 1 :]
    if how == 2:
        return text[:k] + text[k] + text[k:]
    return re.sub(r"\(\(([^ ]+) ([^,]+), ", r"((\1 ,\2 ", text, count=1)


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [_mutated(rng) for _ in range(count)]


def _wkb(geometries: Any) -> list[bytes | None]:
    return [None if g is None else shapely.to_wkb(g) for g in geometries]


def _geos(texts: list[str]) -> list[Any]:
    with warnings.catch_warnings():  # GEOS reads 1e400 as infinity, with numpy's warning
        warnings.simplefilter("ignore", RuntimeWarning)
        return [shapely.from_wkt(t, on_invalid="ignore") for t in texts]


@pytest.mark.parametrize("seed", range(6))
def test_a_polygon_read_here_is_the_one_geos_reads(seed: int) -> None:
    texts = _texts(400, seed)
    mine = rings.read([t.encode(errors="replace") for t in texts], rings.WKT)
    read_here = [k for k, g in enumerate(mine) if g is not None]
    geos = _geos(texts)
    assert _wkb(mine[read_here]) == _wkb([geos[k] for k in read_here])
    canonical = {k for k, t in enumerate(texts) if _text_is_canonical(t)}
    assert canonical <= set(read_here)  # every text written as GEOS writes was read here
    assert len(canonical) > 25 and len(read_here) > 60


def _text_is_canonical(text: str) -> bool:
    """Texts written as GEOS writes a polygon of one ring of 4 or more points, without the
    number -0."""
    geometry = _geos([text])[0]
    if geometry is None or shapely.get_num_coordinates(geometry) < 4:
        return False
    canonical = shapely.to_wkt(geometry, rounding_precision=-1)
    one_ring = canonical.startswith("POLYGON ((") and "), (" not in canonical
    negative_zero = any(f"-0{end}" in text for end in (",", " ", ")"))
    return one_ring and text == canonical and not negative_zero


@pytest.mark.parametrize("seed", range(6))
def test_the_policy_answers_the_same_with_the_fast_reader_and_without(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts: list[str | None] = [*_texts(300, 100 + seed), None]
    fast = spatial.check_locations(texts, image_width=1000, image_height=800)
    monkeypatch.setattr(rings, "read", lambda t, _: np.full(len(t), None, dtype=object))
    exact = spatial.check_locations(texts, image_width=1000, image_height=800)
    assert _wkb(fast.geometries) == _wkb(exact.geometries)
    assert [(k, e.reason, e.message) for k, e in fast.errors] == [
        (k, e.reason, e.message) for k, e in exact.errors
    ]
    assert (fast.repaired, fast.clipped) == (exact.repaired, exact.clipped)
    assert len(exact.errors) > 30 and exact.repaired and exact.clipped  # the corpus has them


def test_a_failed_batch_still_reads_its_good_rows() -> None:
    """A bad row (-0, which JSON reads as +0; a malformed number; numbers out of place)
    sends the batch row by row: the others are still read here, the bad one left to GEOS."""
    good = _text([("0", "0"), ("5", "0"), ("5", "5"), ("0", "0")])
    zero = _text([("-0", "0"), ("5", "0"), ("5", "5"), ("-0", "0")])
    junk = _text([("1", "1e"), ("5", "0"), ("5", "5"), ("1", "1e")])
    moved = "POLYGON ((0 ,0 5 0, 5 5, 0 0))"  # the separators and numbers of a closed ring
    mine = rings.read([t.encode() for t in (good, zero, junk, good, moved)], rings.WKT)
    assert [g is None for g in mine] == [False, True, True, False, True]
    assert rings.read([t.encode() for t in (good, moved)], rings.WKT)[1] is None
    assert _geos([moved]) == [None]
    located = spatial.check_locations([zero])
    assert shapely.get_coordinates(located.geometries[0])[0, 0] == 0.0
    assert np.signbit(shapely.get_coordinates(located.geometries[0])[0, 0])


def test_geojson_polygons_read_here_are_the_ones_geos_reads() -> None:
    geometries = _geos(_texts(600, 7))
    finite = [g for g in geometries if g is not None and np.isfinite(shapely.bounds(g)).all()]
    texts = [t.encode() for t in shapely.to_geojson(finite).tolist()]
    rng = random.Random(8)
    texts += [_jumbled(rng, t.decode()).encode() for t in texts[:300]]
    # the first position's y, or the second's x, moved out of its brackets: the same
    # separators and numbers
    texts += [re.sub(rb"\[\[\[([^,]+),([^\]]+)\],\[", rb"[[[\1,]\2,[", t) for t in texts[:50]]
    texts += [re.sub(rb"\],\[([^,]+),", rb"],\1[,", t, count=1) for t in texts[50:100]]
    mine = rings.read(texts, rings.GEOJSON)
    read_here = [k for k, g in enumerate(mine) if g is not None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        geos = shapely.from_geojson(np.asarray(texts, dtype=object), on_invalid="ignore")
    assert _wkb(mine[read_here]) == _wkb(geos[read_here])
    assert len(read_here) > 300
    assert _wkb(read_geojson(texts)) == _wkb(geos)


def test_longer_rings_than_the_fast_limit_go_to_geos() -> None:
    size = rings.MAX_FAST_POINTS + 1
    ring = [(str(k), "0") for k in range(size - 2)] + [("0", "1"), ("0", "0")]
    text = _text(ring)
    assert rings.read([text.encode()], rings.WKT)[0] is None
    assert spatial.check_locations([text]).geometries[0] is not None
