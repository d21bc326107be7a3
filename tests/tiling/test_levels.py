"""Zoom, tile index and y-origin conversions, checked over many image shapes."""

from __future__ import annotations

import random

import pytest

import spatial
from contracts.pyramid import TileOutOfRange
from tiling import levels

SHAPES = [(1, 1), (256, 256), (257, 256), (3000, 2000), (60000, 40000), (511, 1025)] + [
    (random.Random(n).randint(1, 200_000), random.Random(n + 1).randint(1, 200_000))
    for n in range(40)
]


@pytest.mark.parametrize(("width", "height"), SHAPES)
def test_the_coarsest_zoom_fits_one_tile_and_the_finest_is_full_size(
    width: int, height: int
) -> None:
    zooms = levels.zoom_count(width, height)
    assert levels.tiles_across(width, height, 0, zooms) == (1, 1)
    assert levels.tier_size(width, height, levels.tier_of_zoom(zooms - 1, zooms)) == (
        width,
        height,
    )


@pytest.mark.parametrize(("width", "height"), SHAPES)
def test_each_zoom_halves_the_next_one_rounded_up(width: int, height: int) -> None:
    zooms = levels.zoom_count(width, height)
    for zoom in range(zooms - 1):
        fine = levels.tier_size(width, height, levels.tier_of_zoom(zoom + 1, zooms))
        coarse = levels.tier_size(width, height, levels.tier_of_zoom(zoom, zooms))
        assert coarse == (-(-fine[0] // 2), -(-fine[1] // 2))


@pytest.mark.parametrize(("width", "height"), SHAPES)
def test_tiles_of_a_zoom_cover_the_image_exactly(width: int, height: int) -> None:
    zooms = levels.zoom_count(width, height)
    zoom = zooms // 2
    across, down = levels.tiles_across(width, height, zoom, zooms)
    last = levels.tile_box(width, height, zoom, zooms, across - 1, down - 1)
    assert (last.left + last.width, last.top + last.height) == (width, height)


@pytest.mark.parametrize(("width", "height"), SHAPES[:10])
def test_tile_index_round_trips(width: int, height: int) -> None:
    zooms = levels.zoom_count(width, height)
    across, down = levels.tiles_across(width, height, zooms - 1, zooms)
    for ty in range(min(down, 5)):
        for tx in range(min(across, 5)):
            ti = levels.tile_index(tx, ty, across)
            assert levels.tile_position(ti, across) == (tx, ty)


@pytest.mark.parametrize(("width", "height"), SHAPES[:12])
def test_an_image_tile_is_its_vector_tile_clipped_to_the_image(width: int, height: int) -> None:
    # Both come from the one pyramid: same pixels, top-left clipped vs bottom-left unclipped.
    zooms = levels.zoom_count(width, height)
    for zoom in {0, zooms // 2, zooms - 1}:
        across, down = levels.tiles_across(width, height, zoom, zooms)
        for tx, ty in {(0, 0), (across - 1, down - 1), (across // 2, down // 2)}:
            box = levels.tile_box(width, height, zoom, zooms, tx, ty)
            minx, miny, maxx, maxy = spatial.tile_envelope(zoom, tx, ty, width=width, height=height)
            left, top, _, _ = levels.window_of_bbox(minx, miny, maxx, maxy, height)
            assert (left, top) == (box.left, box.top)
            assert (min(maxx, width), min(height - miny, height)) == (
                box.left + box.width,
                box.top + box.height,
            )


def test_tile_index_counts_rows_of_tiles_across() -> None:
    assert levels.tile_index(2, 3, 10) == 32


@pytest.mark.parametrize(("zoom", "tx", "ty"), [(-1, 0, 0), (5, 0, 0), (4, 12, 0), (4, 0, 8)])
def test_tiles_outside_the_pyramid_are_not_found(zoom: int, tx: int, ty: int) -> None:
    with pytest.raises(TileOutOfRange):
        levels.check_tile(3000, 2000, zoom, 5, tx, ty)


@pytest.mark.parametrize("seed", range(20))
def test_window_and_bbox_conversions_are_inverse(seed: int) -> None:
    rnd = random.Random(seed)
    height = rnd.randint(10, 50_000)
    window = (rnd.randint(0, 999), rnd.randint(0, height - 5), rnd.randint(1, 99), 5)
    assert levels.window_of_bbox(*levels.bbox_of_window(*window, height), height) == window


def test_an_annotation_at_the_bottom_is_a_window_at_the_bottom() -> None:
    assert levels.window_of_bbox(10, 0, 20, 30, 1000) == (10, 970, 10, 30)


def test_flip_y_is_its_own_inverse() -> None:
    assert levels.flip_y(levels.flip_y(123, 1000), 1000) == 123


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        (levels.Box(512, 256, 256, 256), (4, 2, 1)),
        (levels.Box(1024, 0, 512, 512), (3, 2, 0)),
        (levels.Box(2816, 0, 256, 256), None),  # edge tile: narrower than 256
        (levels.Box(100, 0, 256, 256), None),
        (levels.Box(0, 0, 768, 768), None),
    ],
)
def test_tile_of_box_finds_interior_normalized_tiles(
    box: levels.Box, expected: tuple[int, int, int] | None
) -> None:
    assert levels.tile_of_box(3000, 2000, box, 256, 256) == expected
