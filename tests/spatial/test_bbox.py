"""The bbox filter and the tile maths of the annotation pyramid."""

from __future__ import annotations

import pytest
import shapely

from contracts.errors import Invalid, NotFound
from contracts.pyramid import TileOutOfRange
from spatial import (
    InvalidBbox,
    max_zoom,
    parse_bbox,
    pixels_per_tile_pixel,
    tile_counts,
    tile_envelope,
)
from tiling import levels


@pytest.mark.parametrize(
    ("text", "envelope"),
    [
        ("300,450,940,900", (300.0, 450.0, 940.0, 900.0)),
        (" 1.5, -2 ,3e2,4 ", (1.5, -2.0, 300.0, 4.0)),
        ("0,0,0,0", (0.0, 0.0, 0.0, 0.0)),
        ("POLYGON ((1 2, 5 2, 5 8, 1 8, 1 2))", (1.0, 2.0, 5.0, 8.0)),
        ("POLYGON((1 2,5 2,5 8,1 8,1 2))", (1.0, 2.0, 5.0, 8.0)),
    ],
)
def test_a_bbox_gives_its_envelope(text: str, envelope: tuple[float, ...]) -> None:
    assert parse_bbox(text).envelope == envelope


def test_a_rectangle_bbox_needs_no_exact_polygon() -> None:
    assert parse_bbox("POLYGON ((1 2, 5 2, 5 8, 1 8, 1 2))").polygon is None
    assert parse_bbox("1,2,5,8").polygon is None


def test_a_non_rectangular_bbox_keeps_its_polygon_for_the_exact_test() -> None:
    bbox = parse_bbox("POLYGON ((0 0, 10 0, 0 10, 0 0))")
    assert bbox.envelope == (0.0, 0.0, 10.0, 10.0)
    assert bbox.geometry.equals(shapely.from_wkt("POLYGON ((0 0, 10 0, 0 10, 0 0))"))


def test_a_rectangle_bbox_geometry_is_its_box() -> None:
    assert parse_bbox("1,2,5,8").geometry.equals(shapely.box(1, 2, 5, 8))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "bbox is empty"),
        ("1,2,3", "four comma-separated numbers"),
        ("1,2,3,4,5", "four comma-separated numbers"),
        ("1,2,a,4", "four comma-separated numbers"),
        ("5,2,1,8", "minx <= maxx"),
        ("1,8,5,2", "miny <= maxy"),
        ("1e400,0,2e400,1", "finite"),
        ("POLYGON ((0 0, 1", "not valid WKT"),
        ("hello", "not valid WKT"),
        ("POINT (1 2)", "POLYGON or MULTIPOLYGON, got Point"),
        ("LINESTRING (0 0, 1 1)", "got LineString"),
        ("POLYGON EMPTY", "empty"),
        ("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", "not valid (Self-intersection"),
        ("POLYGON ((0 0, 1 0, nan 1, 0 0))", "finite"),
    ],
)
def test_a_bad_bbox_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(InvalidBbox, match=words.replace("(", r"\(")):
        parse_bbox(text)


def test_invalid_bbox_is_a_400_domain_error() -> None:
    assert issubclass(InvalidBbox, Invalid)


@pytest.mark.parametrize(
    ("width", "height", "zoom"),
    [(1, 1, 0), (256, 256, 0), (257, 10, 1), (512, 512, 1), (513, 100, 2), (100_000, 80_000, 9)],
)
def test_max_zoom_counts_halvings_until_the_image_fits_one_tile(
    width: int, height: int, zoom: int
) -> None:
    assert max_zoom(width, height) == zoom


@pytest.mark.parametrize(("width", "height"), [(1, 1), (300, 9000), (46_000, 32_914), (1025, 77)])
def test_max_zoom_agrees_with_the_image_tile_pyramid(width: int, height: int) -> None:
    assert max_zoom(width, height) == levels.zoom_count(width, height) - 1
    zooms = levels.zoom_count(width, height)
    for z in range(zooms):
        assert tile_counts(z, width, height) == levels.tiles_across(width, height, z, zooms)


def test_tile_counts_at_the_coarsest_and_finest_zooms() -> None:
    assert tile_counts(0, 1000, 600) == (1, 1)
    assert tile_counts(2, 1000, 600) == (4, 3)


def test_the_single_coarsest_tile_covers_the_whole_image() -> None:
    minx, miny, maxx, maxy = tile_envelope(0, 0, 0, width=1000, height=600)
    assert (minx, maxx, maxy) == (0.0, 1024.0, 600.0)
    assert miny == 600.0 - 1024.0


def test_a_full_resolution_tile_spans_256_pixels_from_the_top() -> None:
    assert tile_envelope(2, 1, 0, width=1000, height=600) == (256.0, 344.0, 512.0, 600.0)
    assert tile_envelope(2, 3, 2, width=1000, height=600) == (768.0, -168.0, 1024.0, 88.0)


def test_one_tile_pixel_spans_a_power_of_two_image_pixels() -> None:
    assert [pixels_per_tile_pixel(z, 1000, 600) for z in range(3)] == [4, 2, 1]


@pytest.mark.parametrize(("z", "x", "y"), [(3, 0, 0), (-1, 0, 0), (2, 4, 0), (2, 0, 3), (1, -1, 0)])
def test_a_tile_outside_the_pyramid_is_not_found(z: int, x: int, y: int) -> None:
    with pytest.raises(TileOutOfRange) as caught:
        tile_envelope(z, x, y, width=1000, height=600)
    assert isinstance(caught.value, NotFound)


def test_an_image_without_size_has_no_pyramid() -> None:
    with pytest.raises(Invalid, match="image size must be positive"):
        max_zoom(0, 10)
