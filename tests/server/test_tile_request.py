"""A normalized tile is a typed request: its ETag values and whether it can be copied through."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.picture_core import render_work
from server.tile_request import TileRequest, params_of


def test_a_tile_keeps_the_etag_values_tiles_always_had() -> None:
    tile = TileRequest(3, 1, 2, "jpg", ("plane", 1, 0, 0), (), ("filters", "otsu"))
    assert tile.etag_params() == ("tile", 3, 1, 2, "jpg", "plane", 1, 0, 0, "filters", "otsu")
    assert params_of(tile) == tile.etag_params()
    assert params_of(("dzi", 9, 0, 0, "jpg")) == ("dzi", 9, 0, 0, "jpg")


@pytest.mark.parametrize(
    ("tile", "expected"),
    [
        (TileRequest(2, 0, 0, "jpg"), True),
        (TileRequest(2, 0, 0, "png"), False),
        (TileRequest(2, 0, 0, "jpg", plane=("plane", 1, 0, 0)), False),
        (TileRequest(2, 0, 0, "jpg", mix=("mix", "((0,),)")), False),
        (TileRequest(2, 0, 0, "jpg", filters=("filters", "otsu")), False),
    ],
)
def test_only_a_plain_jpeg_tile_is_copied_through(tile: TileRequest, expected: bool) -> None:
    assert tile.copy_through is expected


def test_only_a_typed_tile_indexes_the_stored_tiles_of_its_file() -> None:
    def render(path: Path) -> tuple[bytes, str]:
        return b"", "image/jpeg"

    # A tuple with a tile's values is another picture: it is rendered as it is.
    assert render_work(("tile", 2, 0, 0, "jpg"), render) is render
    assert render_work(TileRequest(2, 0, 0, "png"), render) is render
    assert render_work(TileRequest(2, 0, 0, "jpg"), render) is not render
