"""Crop regions: bottom-left geometries to top-left boxes, enlarged or squared, and shapes."""

from __future__ import annotations

import pytest
import shapely

from spatial import crops
from spatial.errors import InvalidGeometry

HEIGHT = 1000


def test_box_is_the_top_left_bounding_box() -> None:
    geometry = shapely.from_wkt("POLYGON ((10 900, 50 900, 50 980, 10 980, 10 900))")
    region = crops.crop_region(geometry, HEIGHT)
    assert region[:4] == (10, 20, 40, 80)


def test_shapes_are_in_top_left_pixels() -> None:
    geometry = shapely.from_wkt("POLYGON ((10 900, 50 900, 50 980, 10 900))")
    shapes = crops.crop_region(geometry, HEIGHT).shapes
    assert shapes.polygons[0][0][:3] == ((10.0, 100.0), (50.0, 100.0), (50.0, 20.0))


def test_increase_area_enlarges_around_the_centre() -> None:
    geometry = shapely.from_wkt("POLYGON ((10 900, 50 900, 50 980, 10 980, 10 900))")
    region = crops.crop_region(geometry, HEIGHT, increase_area=2.0)
    assert region[:4] == (-10, -20, 80, 160)


def test_square_uses_the_longest_side() -> None:
    geometry = shapely.from_wkt("POLYGON ((10 900, 50 900, 50 980, 10 980, 10 900))")
    assert crops.crop_region(geometry, HEIGHT, square=True)[:4] == (-10, 20, 80, 80)


def test_point_gets_a_one_pixel_box() -> None:
    region = crops.crop_region(shapely.Point(5, 995), HEIGHT)
    assert (region.width, region.height) == (1, 1)
    assert region.shapes.points == ((5.0, 5.0),)


def test_collections_split_into_polygons_lines_and_points() -> None:
    parts = "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0))), LINESTRING (0 0, 5 5), POINT (2 2)"
    text = f"GEOMETRYCOLLECTION ({parts})"
    shapes = crops.shapes_of(crops.parse_wkt(text))
    assert (len(shapes.polygons), len(shapes.lines), len(shapes.points)) == (1, 1, 1)


@pytest.mark.parametrize("text", ["POLYGON ((0 0", "POLYGON EMPTY"])
def test_bad_wkt_is_invalid(text: str) -> None:
    with pytest.raises(InvalidGeometry):
        crops.parse_wkt(text)


def test_non_positive_increase_area_is_invalid() -> None:
    with pytest.raises(InvalidGeometry):
        crops.crop_region(shapely.Point(1, 1), HEIGHT, increase_area=0.0)
