"""Spectral profiles read from the z planes of a multi-plane OME-TIFF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.tiling.test_planes import HEIGHT, plane_pixels, write_planes
from tiling import levels, planes, profile
from tiling.errors import InvalidRegion, RegionTooLarge


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("profile") / "planes.ome.tif")


def _frames(path: Path, channel: int) -> list[int | None]:
    return [planes.frame_of(path, planes.Plane(channel, z, 0)) for z in range(2)]


def test_each_covered_pixel_has_its_value_in_every_z_plane(multi: Path) -> None:
    box = levels.Box(100, 50, 3, 2)
    mask = np.ones((2, 3), bool)
    got = profile.profile(multi, box, mask, _frames(multi, 1))
    data = plane_pixels()
    expected = {
        (100 + c, HEIGHT - 1 - (50 + r)): [int(data[z, 1, 50 + r, 100 + c]) for z in range(2)]
        for r in range(2)
        for c in range(3)
    }
    assert {p.point: p.profile for p in got} == expected


def test_only_masked_pixels_are_profiled(multi: Path) -> None:
    mask = np.array([[True, False], [False, False]])
    got = profile.profile(multi, levels.Box(10, 10, 2, 2), mask, _frames(multi, 0))
    assert [p.point for p in got] == [(10, HEIGHT - 11)]


def test_a_polygon_covers_its_inside_and_a_point_its_pixel() -> None:
    box = levels.Box(10, 20, 4, 4)
    square = [((10.0, 20.0), (14.0, 20.0), (14.0, 24.0), (10.0, 24.0), (10.0, 20.0))]
    assert profile.covered(box, [square], [], []).all()
    point = profile.covered(box, [], [], [(12.0, 21.0)])
    assert list(zip(*np.nonzero(point), strict=True)) == [(1, 2)]


def test_a_region_beyond_the_limit_is_refused() -> None:
    side = int(profile.MAX_PROFILE_PIXELS**0.5) + 1
    with pytest.raises(RegionTooLarge):
        profile.check_size(levels.Box(0, 0, side, side))


def test_a_region_outside_the_image_is_refused(multi: Path) -> None:
    with pytest.raises(InvalidRegion):
        profile.profile(multi, levels.Box(690, 0, 20, 2), np.ones((2, 20), bool), [0, 3])
