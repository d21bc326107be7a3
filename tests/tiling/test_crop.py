"""Annotation crop rendering: plain, drawn, mask and alpha mask pictures of a box."""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from PIL import Image

from tiling import crop, levels, sources
from tiling.errors import RegionTooLarge, UnsupportedFormat

BOX = levels.Box(100, 200, 40, 20)
SQUARE = (((110.0, 205.0), (130.0, 205.0), (130.0, 215.0), (110.0, 215.0), (110.0, 205.0)),)


class Shapes(NamedTuple):
    polygons: tuple = (SQUARE,)
    lines: tuple = ()
    points: tuple = ()


def decode(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_plain_crop_equals_the_region(slide: Path) -> None:
    data, kind = crop.render(slide, BOX, (40, 20), Shapes(), crop.Style(), "png")
    expected = sources.region_pixels(slide, BOX)
    assert kind == "image/png"
    assert np.array_equal(np.asarray(decode(data).convert("RGB")), expected)


def test_mask_is_white_inside_the_shape_and_black_outside(slide: Path) -> None:
    data, _ = crop.render(slide, BOX, (40, 20), Shapes(), crop.Style("mask"), "png")
    mask = np.asarray(decode(data).convert("L"))
    assert mask[10, 20] == 255 and mask[2, 2] == 0 and mask[10, 35] == 0


def test_mask_scales_the_shape_with_the_output(slide: Path) -> None:
    data, _ = crop.render(slide, BOX, (20, 10), Shapes(), crop.Style("mask"), "png")
    mask = np.asarray(decode(data).convert("L"))
    assert mask.shape == (10, 20)
    assert mask[5, 10] == 255 and mask[1, 1] == 0


def test_alpha_mask_is_transparent_outside_the_shape(slide: Path) -> None:
    data, kind = crop.render(slide, BOX, (40, 20), Shapes(), crop.Style("alphamask"), "png")
    rgba = np.asarray(decode(data).convert("RGBA"))
    assert kind == "image/png"
    assert rgba[10, 20, 3] == 255 and rgba[2, 2, 3] == 0
    assert np.array_equal(rgba[10, 20, :3], sources.region_pixels(slide, BOX)[10, 20])


def test_alpha_mask_refuses_jpeg(slide: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        crop.render(slide, BOX, (40, 20), Shapes(), crop.Style("alphamask"), "jpg")


def test_draw_strokes_the_outline_in_the_colour(slide: Path) -> None:
    style = crop.Style("draw", (0, 255, 0), 1)
    data, _ = crop.render(slide, BOX, (40, 20), Shapes(), style, "png")
    rgb = np.asarray(decode(data).convert("RGB"))
    assert tuple(rgb[5, 20]) == (0, 255, 0)
    assert np.array_equal(rgb[10, 20], sources.region_pixels(slide, BOX)[10, 20])


@pytest.mark.parametrize(
    ("text", "rgb"), [("#00ff00", (0, 255, 0)), ("0x0000FF", (0, 0, 255)), ("#f00", (255, 0, 0))]
)
def test_colours_parse_as_cytomine_sends_them(text: str, rgb: tuple[int, int, int]) -> None:
    assert crop.parse_color(text) == rgb


def test_output_past_the_limit_is_refused(slide: Path) -> None:
    with pytest.raises(RegionTooLarge):
        crop.render(slide, BOX, (9000, 20), Shapes(), crop.Style("mask"), "png")
