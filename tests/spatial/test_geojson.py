"""Bulk GeoJSON reading: the same geometries, and the same refusals, as GEOS's reader."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely

from spatial.geojson import read_geojson
from tests.spatial.polygons import cells

SQUARE = b"[[0,0],[1,0],[1,1],[0,1],[0,0]]"
ODD = [
    b"null",
    b"garbage",
    b'{"type":"Polygon"}',
    b'{"type":"Polygon","coordinates":[]}',
    b'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}',  # too short
    b'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}',  # open
    b'{"type":"Polygon","coordinates":[[[0,0,1],[1,0,1],[1,1,1],[0,0,1]]]}',  # Z
    b'{"type":"Polygon","coordinates":[[[0,0],[1e400,0],[1,1],[0,0]]]}',  # overflows
    b'{"type":"Polygon","coordinates":[[[0,0],[true,0],[1,1],[0,0]]]}',
    b'{"type":"polygon","coordinates":[' + SQUARE + b"]}",
    b'{"type":"Polygon","coordinates":[' + SQUARE + b'],"bbox":[0,0,1,1]}',
    b'{"type":"Polygon","coordinates":[' + SQUARE + b",[]]}",
    b'{"type":"Point","coordinates":[1,2]}',
    b'{"type":"MultiPolygon","coordinates":[[' + SQUARE + b"]]}",
    b'{"coordinates":[' + SQUARE + b'],"type":"Polygon"}',
    b'{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]}',
    b'{ "type" : "Polygon", "coordinates" : [ [ [0, 0], [1.5, 0], [1, 1e2], [0, 0] ] ] }',
]


def _geos(texts: list[bytes]) -> list[Any]:
    raw = np.empty(len(texts), dtype=object)
    raw[:] = texts
    with np.errstate(all="ignore"):
        return list(shapely.from_geojson(raw, on_invalid="ignore")) if texts else []


def _same(mine: np.ndarray[Any, Any], geos: list[Any]) -> bool:
    wkb = [None if g is None else shapely.to_wkb(g) for g in mine]
    return wkb == [None if g is None else shapely.to_wkb(g) for g in geos]


def test_polygons_are_read_exactly_as_geos_reads_them() -> None:
    texts = [g.encode() for g in shapely.to_geojson(cells(500, seed=3)).tolist()]
    assert _same(read_geojson(texts), _geos(texts))


@pytest.mark.parametrize("text", ODD)
def test_every_other_shape_is_left_to_geos(text: bytes) -> None:
    assert _same(read_geojson([text]), _geos([text]))


def test_a_batch_mixing_both_keeps_each_row_in_place() -> None:
    polygons = [g.encode() for g in shapely.to_geojson(cells(40, seed=4)).tolist()]
    texts = polygons[:20] + ODD + polygons[20:]
    found = read_geojson(texts)
    assert _same(found, _geos(texts))
    assert shapely.is_missing(found).sum() == sum(g is None for g in _geos(ODD))
    assert len(read_geojson([])) == 0
