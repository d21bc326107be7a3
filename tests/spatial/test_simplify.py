"""Cytomine's point-budget simplification of created annotations."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from spatial import simplify_location


def _wobbly_circle(points: int, *, radius: float = 100.0, centre: float = 0.0) -> shapely.Polygon:
    angles = np.linspace(0, 2 * np.pi, points, endpoint=False)
    r = radius + np.random.default_rng(points).uniform(-3, 3, points)
    return shapely.Polygon(np.column_stack([centre + r * np.cos(angles), r * np.sin(angles)]))


def test_a_location_under_a_hundred_points_is_kept_as_is() -> None:
    small = _wobbly_circle(98)
    result, rate = simplify_location(small)
    assert result is small
    assert rate == 0.0


def test_default_budget_trims_a_large_polygon_below_its_upper_bound() -> None:
    result, rate = simplify_location(_wobbly_circle(1000))
    assert shapely.get_num_coordinates(result) <= 1000 / 1.3
    assert rate > 0
    assert result.is_valid


def test_max_point_drives_a_stronger_simplification() -> None:
    default, default_rate = simplify_location(_wobbly_circle(1000))
    strong, strong_rate = simplify_location(_wobbly_circle(1000), max_point=50, min_point=40)
    assert shapely.get_num_coordinates(strong) < shapely.get_num_coordinates(default)
    assert shapely.get_num_coordinates(strong) <= 50
    assert strong_rate > default_rate


def test_a_multipolygon_is_simplified_preserving_topology() -> None:
    pair = shapely.MultiPolygon([_wobbly_circle(600), _wobbly_circle(600, centre=500)])
    result, rate = simplify_location(pair, max_point=100)
    assert result.geom_type == "MultiPolygon"
    assert result.is_valid
    assert rate > 0


@pytest.mark.parametrize("points", [100, 250, 5000])
def test_simplification_keeps_the_shape_close(points: int) -> None:
    original = _wobbly_circle(points)
    result, _ = simplify_location(original)
    assert result.symmetric_difference(original).area / original.area < 0.05
