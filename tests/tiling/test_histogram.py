"""Histograms of a low-resolution read: exact regrouping of full-range counts, per channel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.tiling.test_planes import plane_pixels, write_planes
from tiling import histogram, planes
from tiling.errors import InvalidRegion


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("hist") / "planes.ome.tif")


def test_channel_histogram_counts_every_pixel_of_its_plane(multi: Path) -> None:
    found = histogram.channel_histograms(multi, [planes.Plane(1, 1, 0)], 16)
    expected, _ = np.histogram(plane_pixels()[1, 1], bins=16, range=(0, 256))
    assert len(found) == 1
    assert found[0].histogram == expected.tolist()
    assert (found[0].channel, found[0].z_slice, found[0].n_bins) == (1, 1, 16)


def test_rgb_image_has_one_histogram_per_band(slide: Path) -> None:
    found = histogram.channel_histograms(slide, [planes.Plane()], 256)
    assert [(h.apparent_channel, h.sample, h.color) for h in found] == [
        (0, 0, "#f00"),
        (1, 1, "#0f0"),
        (2, 2, "#00f"),
    ]


def test_image_histogram_merges_the_channels_of_the_first_plane(multi: Path) -> None:
    found = histogram.image_histogram(multi, 8)
    expected, _ = np.histogram(plane_pixels()[0], bins=8, range=(0, 256))
    assert found.histogram == expected.tolist()
    assert (found.minimum, found.maximum) == (0, 255)


def test_counts_are_cached_per_file_and_frame(multi: Path) -> None:
    assert histogram.counts(multi, 2) is histogram.counts(multi, 2)


@pytest.mark.parametrize("n_bins", [0, 70000])
def test_bin_count_outside_the_range_is_refused(multi: Path, n_bins: int) -> None:
    with pytest.raises(InvalidRegion):
        histogram.image_histogram(multi, n_bins)
