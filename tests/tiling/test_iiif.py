"""IIIF Image API 3.0 parameter parsing, info.json and pixels of the validator's grid."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tiling import iiif, levels, sources
from tiling.errors import InvalidImageRequest, RegionTooLarge

W, H = 3000, 2000


@pytest.mark.parametrize(
    ("text", "box"),
    [
        ("full", (0, 0, 3000, 2000)),
        ("square", (500, 0, 2000, 2000)),
        ("10,20,30,40", (10, 20, 30, 40)),
        ("2900,1900,500,500", (2900, 1900, 100, 100)),
        ("pct:10,50,20,25", (300, 1000, 600, 500)),
        ("pct:0.5,0,99.5,100", (15, 0, 2985, 2000)),
    ],
)
def test_regions_parse_to_clipped_boxes(text: str, box: tuple[int, ...]) -> None:
    assert iiif.parse_region(text, W, H) == levels.Box(*box)


@pytest.mark.parametrize(
    "text", ["", "all", "1,2,3", "0,0,0,10", "3000,0,10,10", "-1,0,5,5", "pct:1,2,3", "pct:a,b,c,d"]
)
def test_bad_regions_are_rejected(text: str) -> None:
    with pytest.raises(InvalidImageRequest):
        iiif.parse_region(text, W, H)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("max", (600, 400)),
        ("300,", (300, 200)),
        (",100", (150, 100)),
        ("pct:50", (300, 200)),
        ("150,150", (150, 150)),
        ("!300,300", (300, 200)),
        ("!600,100", (150, 100)),
        ("^1200,", (1200, 800)),
        ("^pct:200", (1200, 800)),
        ("^!1200,1200", (1200, 800)),
    ],
)
def test_sizes_parse_for_a_600_by_400_region(text: str, size: tuple[int, int]) -> None:
    assert iiif.parse_size(text, 600, 400) == size


@pytest.mark.parametrize(
    "text", ["", "full", "601,", ",401", "pct:101", "!300,", "0,", "pct:x", "^", "a,b", "10,20,30"]
)
def test_bad_sizes_are_rejected(text: str) -> None:
    with pytest.raises(InvalidImageRequest):
        iiif.parse_size(text, 600, 400)


def test_upscaling_past_the_published_maximum_names_the_limit() -> None:
    with pytest.raises(RegionTooLarge, match=str(sources.MAX_OUTPUT_SIDE)):
        iiif.parse_size(f"^{sources.MAX_OUTPUT_SIDE + 1},", 600, 400)


@pytest.fixture
def small_area() -> Iterator[int]:
    """Output area limited to 30 000 pixels while the test runs."""
    sources.set_limits(sources.Limits(max_output_pixels=30_000))
    yield 30_000
    sources.set_limits(sources.Limits())


@pytest.mark.parametrize(
    ("text", "size"), [("max", (212, 141)), ("^max", (212, 141)), ("!50,50", (50, 33))]
)
def test_max_sizes_are_the_largest_inside_the_published_area(
    small_area: int, text: str, size: tuple[int, int]
) -> None:
    assert iiif.parse_size(text, W, H) == size
    assert size[0] * size[1] <= small_area


def test_upscaled_max_of_a_small_region_fills_the_area(small_area: int) -> None:
    assert iiif.parse_size("^max", 10, 10) == (173, 173)
    assert iiif.parse_size("max", 10, 10) == (10, 10)


def test_a_size_beyond_the_area_names_the_limit(small_area: int) -> None:
    with pytest.raises(RegionTooLarge, match="Output area of 30276 pixels") as caught:
        iiif.parse_size("174,174", W, H)
    assert caught.value.values == {"size": 30276, "limit": small_area}


def test_info_publishes_the_area_and_offers_no_size_beyond_it(small_area: int) -> None:
    doc = iiif.info("https://example.org/iiif/7", W, H)
    assert doc["maxArea"] == small_area
    assert doc["sizes"] == [{"width": 188, "height": 125}]
    assert doc["profile"] == iiif.PROFILE == "level2"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("0", (0, False)), ("90", (90, False)), ("!180", (180, True)), ("360", (0, False))],
)
def test_rotations_by_right_angles_parse(text: str, parsed: tuple[int, bool]) -> None:
    assert iiif.parse_rotation(text) == parsed


@pytest.mark.parametrize("text", ["45", "-90", "361", "x", "!", ""])
def test_other_rotations_are_rejected(text: str) -> None:
    with pytest.raises(InvalidImageRequest):
        iiif.parse_rotation(text)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("default.jpg", ("default", "jpg")),
        ("color.png", ("color", "png")),
        ("gray.webp", ("gray", "webp")),
        ("bitonal.png", ("bitonal", "png")),
    ],
)
def test_qualities_and_formats_parse(text: str, parsed: tuple[str, str]) -> None:
    assert iiif.parse_quality_format(text) == parsed


@pytest.mark.parametrize("text", ["binary.jpg", "default.gif", "default", "grey.jpg", "color.tif"])
def test_other_qualities_and_formats_are_rejected(text: str) -> None:
    with pytest.raises(InvalidImageRequest):
        iiif.parse_quality_format(text)


def test_info_lists_tiles_sizes_and_features() -> None:
    doc = iiif.info("https://example.org/iiif/7", W, H)
    assert doc["id"] == "https://example.org/iiif/7" and doc["type"] == "ImageService3"
    assert doc["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4, 8, 16]}]
    assert doc["sizes"][0] == {"width": 188, "height": 125}
    assert doc["sizes"][-1] == {"width": 3000, "height": 2000}


def _pixels(path: Path, *params: str) -> np.ndarray:
    plan = iiif.parse(*params, 1000, 1000)
    data, _ = iiif.render(path, plan)
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _square(grid: Path, col: int, row: int) -> np.ndarray:
    full = np.asarray(Image.open(grid).convert("RGB")).astype(int)
    return full[row * 100 + 50, col * 100 + 50]


def test_a_region_of_the_grid_has_the_colour_of_its_square(grid: Path) -> None:
    out = _pixels(grid, "320,540,60,40", "max", "0", "default.png")
    assert out.shape == (40, 60, 3)
    assert np.abs(out - _square(grid, 3, 5)).max() < 3


def test_mirroring_moves_the_first_square_to_the_right(grid: Path) -> None:
    out = _pixels(grid, "0,0,200,100", "max", "!0", "default.png")
    assert np.abs(out[50, 150] - _square(grid, 0, 0)).max() < 3


def test_rotation_is_clockwise(grid: Path) -> None:
    out = _pixels(grid, "0,0,200,100", "max", "90", "default.png")
    assert out.shape == (200, 100, 3)
    assert np.abs(out[50, 50] - _square(grid, 0, 0)).max() < 3


def test_gray_quality_gives_equal_channels(grid: Path) -> None:
    out = _pixels(grid, "full", "100,", "0", "gray.png")
    assert (out[..., 0] == out[..., 2]).all()


def test_a_size_shrinks_the_region(grid: Path) -> None:
    out = _pixels(grid, "full", "!100,100", "0", "default.jpg")
    assert out.shape == (100, 100, 3)
    assert np.abs(out[5, 15] - _square(grid, 1, 0)).max() < 12


def test_a_tile_aligned_request_is_served_from_the_stored_tile(slide: Path) -> None:
    plan = iiif.parse("512,256,256,256", "256,", "0", "default.jpg", W, H)
    assert iiif.render(slide, plan) == sources.tile(slide, 4, 2, 1, "jpg")


def test_bitonal_quality_gives_only_black_and_white(grid: Path) -> None:
    out = _pixels(grid, "full", "100,", "0", "bitonal.png")
    assert set(np.unique(out)) <= {0, 255}
