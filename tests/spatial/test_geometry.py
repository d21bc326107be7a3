"""Parsing, validation, repair and clipping of annotation locations."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from contracts.errors import Invalid
from spatial import (
    InvalidGeometry,
    check_geometries,
    check_location,
    check_locations,
    parse_location,
    parse_locations,
    to_wkb,
    to_wkb_many,
)
from tests.spatial.polygons import cell_wkts

BOW_TIE = "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"


@pytest.mark.parametrize(
    ("wkt", "reason", "words"),
    [
        ("", "missing", "is missing"),
        ("   ", "missing", "is missing"),
        ("POLYGON ((0 0, 1", "syntax", "not valid WKT: ParseException"),
        ("CIRCLE (1 2 3)", "syntax", "not valid WKT"),
        ("POINT (inf 1)", "non_finite", "non-finite coordinate"),
        ("POLYGON EMPTY", "empty", "empty Polygon"),
        ("POINT EMPTY", "empty", "empty Point"),
        ("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))", "type", "is a MultiLineString"),
        ("GEOMETRYCOLLECTION (POINT (1 1))", "type", "is a GeometryCollection"),
        ("LINEARRING (0 0, 1 0, 1 1, 0 0)", "type", "is a LinearRing"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "vertices", "5 vertices, more than the limit of 4"),
        ("POLYGON ((0 0, 1 0, nan 1, 0 0))", "non_finite", "non-finite coordinate"),
        ("MULTIPOINT ((0 0), (nan 1))", "non_finite", "non-finite coordinate"),
        ("POLYGON ((0 0, 1e12 0, 1 1, 0 0))", "extent", "beyond"),
        ("POINT (-2e9 5)", "extent", "beyond"),
        ("LINESTRING (1 1, 1 1)", "invalid", "Too few points"),
        ("POLYGON ((0 0, 1 0, 2 0, 0 0))", "collapsed", "has no area"),
        ("POLYGON ((0 0, 5 5, 10 10, 0 0))", "collapsed", "has no area"),
    ],
)
def test_each_rejection_names_its_reason(wkt: str, reason: str, words: str) -> None:
    with pytest.raises(InvalidGeometry) as caught:
        parse_location(wkt, max_vertices=4)
    assert caught.value.reason == reason
    assert caught.value.values == {"reason": reason}
    assert words in caught.value.message
    assert caught.value.message.startswith("Annotation location ")


def test_invalid_geometry_is_a_400_domain_error() -> None:
    assert issubclass(InvalidGeometry, Invalid)
    assert InvalidGeometry.status == 400


@pytest.mark.parametrize(
    "wkt",
    [
        "POINT (10 20)",
        "LINESTRING (0 0, 10 10, 20 0)",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))",
        "MULTIPOINT ((1 1), (2 2))",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
    ],
)
def test_valid_locations_are_returned_unchanged(wkt: str) -> None:
    parsed = check_location(wkt)
    assert parsed.geometry.equals_exact(shapely.from_wkt(wkt), 0)
    assert parsed.repaired is None
    assert parsed.clipped is False


def test_a_bow_tie_is_repaired_into_two_triangles() -> None:
    parsed = check_location(BOW_TIE)
    assert parsed.geometry.geom_type == "MultiPolygon"
    assert len(parsed.geometry.geoms) == 2
    assert parsed.geometry.area == pytest.approx(50.0)
    assert parsed.geometry.is_valid


def test_a_repair_records_the_validity_reason() -> None:
    assert check_location(BOW_TIE).repaired == "Self-intersection[5 5]"


def test_a_repair_keeps_only_the_polygonal_part() -> None:
    # A ring with a spike collapsing to a line: make_valid gives polygon + line; the line goes.
    parsed = check_location("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0, -5 0, 0 0))")
    assert parsed.geometry.geom_type == "Polygon"
    assert parsed.geometry.area == pytest.approx(100.0)


def test_z_coordinates_are_dropped() -> None:
    geometry = parse_location("POLYGON Z ((0 0 1, 10 0 1, 10 10 1, 0 0 1))")
    assert not geometry.has_z


def test_a_location_inside_the_image_is_not_clipped() -> None:
    parsed = check_location("POLYGON ((0 0, 100 0, 100 50, 0 0))", image_width=100, image_height=50)
    assert parsed.clipped is False


def test_a_location_crossing_the_border_is_clipped_to_the_image() -> None:
    parsed = check_location(
        "POLYGON ((-10 -10, 50 -10, 50 50, -10 50, -10 -10))", image_width=40, image_height=30
    )
    assert parsed.clipped is True
    assert parsed.geometry.bounds == (0.0, 0.0, 40.0, 30.0)
    assert parsed.geometry.area == pytest.approx(1200.0)


def test_a_line_crossing_the_border_is_clipped_too() -> None:
    geometry = parse_location("LINESTRING (-10 5, 10 5)", image_width=20, image_height=20)
    assert geometry.equals(shapely.from_wkt("LINESTRING (0 5, 10 5)"))


@pytest.mark.parametrize(
    "wkt",
    [
        "POLYGON ((-10 -10, -1 -10, -1 -1, -10 -10))",
        "POINT (150 10)",
        "POLYGON ((100 0, 110 0, 110 10, 100 10, 100 0))",  # touches the right edge only
    ],
)
def test_a_location_outside_the_image_is_rejected(wkt: str) -> None:
    with pytest.raises(InvalidGeometry) as caught:
        parse_location(wkt, image_width=100, image_height=100)
    assert caught.value.reason == "outside"
    assert "0..100, 0..100" in caught.value.message


def test_clipping_applies_only_when_both_dimensions_are_known() -> None:
    parsed = check_location("POINT (150 10)", image_width=100)
    assert parsed.clipped is False


def test_bulk_parsing_aligns_geometries_and_errors_with_the_input() -> None:
    wkts = ["POINT (1 1)", "nonsense", None, BOW_TIE, "POLYGON EMPTY", "POINT (2 2)"]
    geometries, errors = parse_locations(wkts)  # type: ignore[arg-type]
    assert len(geometries) == len(wkts)
    assert [i for i, _ in errors] == [1, 2, 4]
    assert geometries[1] is None and geometries[2] is None and geometries[4] is None
    assert geometries[5].equals(shapely.Point(2, 2))
    assert all(isinstance(reason, str) for _, reason in errors)


def test_bulk_parsing_reports_the_same_reasons_as_single_parsing() -> None:
    wkts = ["POLYGON ((0 0, 1", "MULTILINESTRING ((0 0, 1 1))", "POINT (500 500)", "POINT (nan 1)"]
    _, errors = parse_locations(wkts, image_width=100, image_height=100)
    for index, reason in errors:
        with pytest.raises(InvalidGeometry) as caught:
            parse_location(wkts[index], image_width=100, image_height=100)
        assert caught.value.message == reason


def test_bulk_parsing_records_repairs_and_clips_by_row() -> None:
    batch = check_locations(
        ["POINT (1 1)", BOW_TIE, "POLYGON ((-1 0, 5 0, 5 5, -1 0))"],
        image_width=100,
        image_height=100,
    )
    assert batch.errors == []
    assert set(batch.repaired) == {1}
    assert batch.clipped == [2]


def test_bulk_parsing_of_an_empty_batch_returns_nothing() -> None:
    geometries, errors = parse_locations([])
    assert len(geometries) == 0
    assert errors == []


def test_bulk_parsing_of_a_hundred_thousand_cells_accepts_them_all() -> None:
    wkts = cell_wkts(100_000, seed=7)
    batch = check_locations(wkts, image_width=50_000, image_height=50_000)
    assert batch.errors == []
    originals = shapely.from_wkt(wkts)
    untouched = np.ones(len(wkts), dtype=bool)
    untouched[list(batch.repaired)] = False
    assert not shapely.is_valid(originals[~untouched]).any()
    assert shapely.equals_exact(batch.geometries[untouched], originals[untouched], 0).all()
    assert shapely.is_valid(batch.geometries).all()


def test_wkb_round_trips_one_geometry() -> None:
    geometry = parse_location("POLYGON ((0 0, 10 0, 10 10, 0 0))")
    assert shapely.from_wkb(to_wkb(geometry)).equals_exact(geometry, 0)


def test_wkb_of_many_keeps_none_for_rejected_rows() -> None:
    geometries, _ = parse_locations(["POINT (1 2)", "bad"])
    encoded = to_wkb_many(geometries)
    assert isinstance(encoded[0], bytes)
    assert encoded[1] is None
    assert shapely.from_wkb(encoded[0]).equals(shapely.Point(1, 2))


def test_geometries_built_elsewhere_follow_the_same_policy() -> None:
    batch = check_geometries(
        [shapely.from_wkt(BOW_TIE), None, shapely.Point(500, 5), shapely.Point(5, 5)],
        image_width=100,
        image_height=100,
    )
    assert [(i, e.reason) for i, e in batch.errors] == [(1, "missing"), (2, "outside")]
    assert set(batch.repaired) == {0}
    assert batch.geometries[3].equals(shapely.Point(5, 5))
