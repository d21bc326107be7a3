"""DeepZoom descriptor, level maths, and whole levels reassembled from tiles."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from contracts.pyramid import TileOutOfRange
from tests.tiling.conftest import HEIGHT, WIDTH
from tiling import deepzoom, sources
from tiling.errors import InvalidImageRequest


@pytest.mark.parametrize(
    ("width", "height", "top"), [(1, 1, 0), (2, 1, 1), (256, 100, 8), (257, 1, 9), (3000, 2000, 12)]
)
def test_the_top_level_is_the_log2_of_the_longest_side(width: int, height: int, top: int) -> None:
    assert deepzoom.max_level(width, height) == top


def test_level_zero_is_one_pixel_and_the_top_level_is_full_size() -> None:
    assert deepzoom.level_size(WIDTH, HEIGHT, 0) == (1, 1)
    assert deepzoom.level_size(WIDTH, HEIGHT, 12) == (WIDTH, HEIGHT)
    assert deepzoom.level_size(WIDTH, HEIGHT, 11) == (1500, 1000)


def test_levels_past_the_top_are_not_found() -> None:
    with pytest.raises(TileOutOfRange):
        deepzoom.level_size(WIDTH, HEIGHT, 13)


def test_the_descriptor_gives_size_tile_size_and_format() -> None:
    root = ET.fromstring(deepzoom.dzi_xml(WIDTH, HEIGHT, "png"))
    assert root.attrib == {"Format": "png", "Overlap": "0", "TileSize": "256"}
    assert root[0].attrib == {"Width": "3000", "Height": "2000"}


@pytest.mark.parametrize(
    ("text", "parsed"), [("12/3_4.jpg", (12, 3, 4, "jpg")), ("0/0_0.jpeg", (0, 0, 0, "jpg"))]
)
def test_tile_paths_parse(text: str, parsed: tuple[int, int, int, str]) -> None:
    assert deepzoom.parse_tile_path(text) == parsed


@pytest.mark.parametrize("text", ["12/3-4.jpg", "a/0_0.jpg", "1/0_0.gif", "1/0_0"])
def test_bad_tile_paths_are_rejected(text: str) -> None:
    with pytest.raises(InvalidImageRequest):
        deepzoom.parse_tile_path(text)


def test_edge_tiles_are_cropped_to_the_level() -> None:
    plan = deepzoom.tile_plan(WIDTH, HEIGHT, 11, 5, 3)
    assert (plan.out_width, plan.out_height) == (220, 232)
    assert plan.box == (2560, 1536, 440, 464)


def test_a_tile_past_the_level_is_not_found() -> None:
    with pytest.raises(TileOutOfRange):
        deepzoom.tile_plan(WIDTH, HEIGHT, 11, 6, 0)


def test_a_whole_level_reassembles_into_the_downsampled_image(slide: Path) -> None:
    canvas = np.zeros((500, 750, 3), int)
    for row in range(2):
        for col in range(3):
            data, _ = deepzoom.tile(slide, 10, col, row, "png")
            tile = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
            canvas[row * 256 : row * 256 + tile.shape[0], col * 256 : col * 256 + tile.shape[1]] = (
                tile
            )
    expected = sources.region_pixels(slide, sources.levels.Box(0, 0, WIDTH, HEIGHT), max_size=750)
    assert np.abs(canvas - expected.astype(int)).mean() < 4
