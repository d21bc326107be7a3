"""Frame changes (bottom-left/top-left pixels, micrometres) and Cytomine measurements."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely import affinity

from contracts.errors import Invalid
from spatial import (
    InvalidResolution,
    flip_y,
    flip_y_pipeline,
    measure,
    point_to_bottom_left,
    point_to_top_left,
    scale,
    scale_pipeline,
    to_bottom_left,
    to_micrometres,
    to_pixels,
    to_top_left,
)

RNG = np.random.default_rng(42)
POINTS = RNG.uniform(-1e5, 1e5, (300, 2))
HEIGHTS = RNG.uniform(1, 2e5, 300)
RESOLUTIONS = RNG.uniform(0.01, 10, 300)
SQUARE = shapely.from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")


def test_bottom_left_to_top_left_flips_y_about_the_image_height() -> None:
    moved = to_top_left(shapely.Point(3, 10), 100)
    assert (moved.x, moved.y) == (3, 90)


def test_the_image_corners_swap_between_the_two_pixel_frames() -> None:
    assert point_to_top_left(0, 0, 500) == (0, 500)
    assert point_to_top_left(0, 500, 500) == (0, 0)


def test_pixel_frames_round_trip_for_random_points() -> None:
    for (x, y), height in zip(POINTS, HEIGHTS, strict=True):
        tx, ty = point_to_top_left(x, y, height)
        assert tx == x
        assert ty == pytest.approx(height - y, abs=1e-6)
        assert point_to_bottom_left(tx, ty, height) == pytest.approx((x, y), abs=1e-6)


def test_geometries_round_trip_between_pixel_frames() -> None:
    points = shapely.points(POINTS)
    back = to_bottom_left(to_top_left(points, 12345.5), 12345.5)
    assert shapely.equals_exact(back, points, 1e-6).all()


def test_flipping_a_polygon_keeps_its_area() -> None:
    assert to_top_left(SQUARE, 40).area == pytest.approx(SQUARE.area)


def test_micrometres_round_trip_for_random_points_and_resolutions() -> None:
    for (x, y), resolution in zip(POINTS, RESOLUTIONS, strict=True):
        physical = to_micrometres(shapely.Point(x, y), resolution)
        assert (physical.x, physical.y) == pytest.approx((x * resolution, y * resolution))
        back = to_pixels(physical, resolution)
        assert (back.x, back.y) == pytest.approx((x, y), rel=1e-12, abs=1e-9)


def test_pipelines_are_plain_proj_strings() -> None:
    assert flip_y_pipeline(100) == (
        "+proj=pipeline +step +proj=affine +xoff=0.0 +yoff=100.0 "
        "+s11=1.0 +s12=0.0 +s21=0.0 +s22=-1.0"
    )
    assert "+s11=0.25 +s12=0.0 +s21=0.0 +s22=0.25" in scale_pipeline(0.25)


def test_the_affine_numbers_move_points_like_the_pipeline() -> None:
    for (x, y), height in zip(POINTS[:50], HEIGHTS[:50], strict=True):
        moved = affinity.affine_transform(shapely.Point(x, y), list(flip_y(height)))
        assert (moved.x, moved.y) == pytest.approx(point_to_top_left(x, y, height))


def test_the_scale_affine_matches_the_micrometre_frame() -> None:
    moved = affinity.affine_transform(SQUARE, list(scale(0.5)))
    assert moved.equals_exact(to_micrometres(SQUARE, 0.5), 1e-12)


@pytest.mark.parametrize("resolution", [0, -1, float("nan"), float("inf")])
def test_a_resolution_must_be_finite_and_positive(resolution: float) -> None:
    with pytest.raises(InvalidResolution, match="positive number"):
        to_micrometres(SQUARE, resolution)
    assert issubclass(InvalidResolution, Invalid)


def test_empty_geometries_pass_through_frame_changes() -> None:
    assert to_top_left(shapely.from_wkt("POINT EMPTY"), 10).is_empty


def test_measure_without_resolution_gives_rounded_pixels() -> None:
    triangle = shapely.from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 0))")
    m = measure(triangle)
    assert (m.area, m.area_unit) == (50.0, "pixels²")
    assert (m.perimeter, m.perimeter_unit) == (34.0, "pixels")


def test_measure_with_resolution_gives_square_microns_and_millimetres() -> None:
    m = measure(SQUARE, 0.5)
    assert (m.area, m.area_unit) == (pytest.approx(25.0), "micron²")
    assert (m.perimeter, m.perimeter_unit) == (pytest.approx(0.02), "mm")


def test_measure_of_a_line_has_no_area() -> None:
    m = measure(shapely.from_wkt("LINESTRING (0 0, 3 4)"), 2.0)
    assert m.area == 0.0
    assert m.perimeter == pytest.approx(0.01)
