"""Stored JPEG tiles read straight from the file equal large-image's copy-through bytes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.server.image_helpers import write_pyramid
from tiling import levels, sources, stored, synthetic


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


def test_a_file_rewritten_in_place_is_read_again_once_its_time_is_rechecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.tiff"
    synthetic.write(path, 600, 300, seed=1)
    first = stored.jpeg_tile(path, 1, 0, 0)
    synthetic.write(path, 600, 300, seed=2)
    os.utime(path, ns=(1, 1))
    monkeypatch.setattr(stored, "RECHECK_SECONDS", 0.0)
    again = stored.jpeg_tile(path, 1, 0, 0)
    assert again is not None and again != first
    assert again == sources.tile(path, 1, 0, 0, "jpg")[0]


def test_tiles_of_a_file_seen_recently_make_no_stat(
    slides: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = slides["tiff"]
    assert stored.jpeg_tile(path, 0, 0, 0) is not None
    calls: list[object] = []
    real = os.stat

    def counted(*args: Any, **kwargs: Any) -> os.stat_result:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(os, "stat", counted)
    tiles = every_tile(path)
    assert all(stored.jpeg_tile(path, z, tx, ty) is not None for z, tx, ty in tiles)
    assert len(calls) <= 1  # a recheck may fall in the loop, never one per tile
