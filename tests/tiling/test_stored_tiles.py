"""Stored JPEG tiles read straight from the file equal large-image's copy-through bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.server.image_helpers import write_pyramid
from tiling import levels, sources, stored


def every_tile(path: Path) -> list[tuple[int, int, int]]:
    pyr = sources.pyramid(path)
    out = []
    for z in range(pyr.zooms):
        across, down = levels.tiles_across(pyr.width, pyr.height, z, pyr.zooms)
        out += [(z, tx, ty) for ty in range(down) for tx in range(across)]
    return out


@pytest.mark.parametrize("fmt", ["tiff", "svs", "ometiff"])
def test_every_stored_tile_equals_the_copy_through_bytes(slides: dict[str, Path], fmt: str) -> None:
    path = slides[fmt]
    for z, tx, ty in every_tile(path):
        found = stored.jpeg_tile(path, z, tx, ty)
        assert found is not None, (z, tx, ty)
        assert found == sources.tile(path, z, tx, ty, "jpg")[0], (z, tx, ty)


def test_tiles_stored_as_complete_jpegs_are_left_to_large_image(tmp_path: Path) -> None:
    path = write_pyramid(tmp_path / "complete.tif")
    assert all(stored.jpeg_tile(path, z, tx, ty) is None for z, tx, ty in every_tile(path))


def test_image_that_is_not_a_tiled_tiff_is_left_to_large_image(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (300, 200), "white").save(path)
    assert stored.jpeg_tile(path, 0, 0, 0) is None


def test_tile_outside_the_level_is_none(slides: dict[str, Path]) -> None:
    assert stored.jpeg_tile(slides["tiff"], 0, 5, 0) is None
