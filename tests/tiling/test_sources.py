"""Tiles, regions, thumbnails and associated images read through large-image."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image

from contracts.pyramid import TileOutOfRange
from tests.tiling.conftest import HEIGHT, WIDTH
from tiling import levels, sources
from tiling.errors import (
    AssociatedImageNotFound,
    InvalidRegion,
    RegionTooLarge,
    UnreadableImage,
    UnsupportedFormat,
)


def _decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _stored(path: Path, index: int) -> bytes:
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        tif.filehandle.seek(page.dataoffsets[index])
        return bytes(tif.filehandle.read(page.databytecounts[index]))


@pytest.fixture(scope="module")
def full(slide: Path) -> np.ndarray:
    return tifffile.imread(slide, level=0).astype(int)


@pytest.mark.parametrize("fmt", ["tiff", "svs", "ometiff"])
def test_jpg_tiles_are_the_stored_tiles_copied_through(slides: dict[str, Path], fmt: str) -> None:
    data, kind = sources.tile(slides[fmt], 4, 3, 2, "jpg")
    stored = _stored(slides[fmt], 2 * 12 + 3)
    assert kind == "image/jpeg"
    assert stored[2:-2] in data  # scan data unchanged; the JPEG tables are spliced in


@pytest.mark.parametrize(("fmt", "kind"), [("jpg", "JPEG"), ("png", "PNG"), ("webp", "WEBP")])
def test_tiles_decode_to_256_pixels_square(slide: Path, fmt: str, kind: str) -> None:
    image = Image.open(io.BytesIO(sources.tile(slide, 2, 1, 0, fmt)[0]))
    assert (image.format, image.size) == (kind, (256, 256))


def test_a_full_resolution_tile_matches_the_stored_pixels(slide: Path, full: np.ndarray) -> None:
    tile = _decode(sources.tile(slide, 4, 5, 3, "png")[0])
    assert np.abs(tile - full[768:1024, 1280:1536]).mean() < 2


def test_a_tile_outside_the_image_is_not_found(slide: Path) -> None:
    with pytest.raises(TileOutOfRange):
        sources.tile(slide, 4, 12, 0)


def test_an_unknown_format_is_rejected(slide: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        sources.tile(slide, 0, 0, 0, "gif")


def test_a_native_region_matches_the_stored_pixels(slide: Path, full: np.ndarray) -> None:
    data, _ = sources.region(slide, levels.Box(1000, 700, 300, 200), fmt="png")
    assert np.abs(_decode(data) - full[700:900, 1000:1300]).mean() < 2


def test_a_scaled_region_matches_the_downsampled_pixels(slide: Path, full: np.ndarray) -> None:
    data, _ = sources.region(slide, levels.Box(0, 0, 1600, 800), out_width=400, fmt="png")
    expected = full[:800, :1600].reshape(200, 4, 400, 4, 3).mean(axis=(1, 3))
    assert np.abs(_decode(data) - expected).mean() < 6


def test_a_region_past_the_edge_is_padded_black(slide: Path) -> None:
    pixels = sources.region_pixels(slide, levels.Box(WIDTH - 50, 0, 100, 100))
    assert pixels.shape == (100, 100, 3)
    assert pixels[:, 60:].max() == 0 and pixels[:, :40].max() > 0


def test_a_region_outside_the_image_is_invalid(slide: Path) -> None:
    with pytest.raises(InvalidRegion):
        sources.region(slide, levels.Box(WIDTH, 0, 10, 10))


def test_a_region_above_the_limit_names_the_limit(slide: Path) -> None:
    with pytest.raises(RegionTooLarge, match=str(sources.MAX_OUTPUT_SIDE)) as caught:
        sources.region(slide, levels.Box(0, 0, 10, 10), out_width=sources.MAX_OUTPUT_SIDE + 1)
    assert caught.value.status == 400


def test_a_large_window_scaled_below_the_limit_is_allowed(slide: Path) -> None:
    data, _ = sources.region(slide, levels.Box(0, 0, WIDTH, HEIGHT), max_size=512)
    assert Image.open(io.BytesIO(data)).size == (512, 341)


def test_a_thumbnail_fits_the_requested_size(slide: Path, full: np.ndarray) -> None:
    thumb = _decode(sources.thumbnail(slide, 300, "png")[0])
    expected = full.reshape(200, 10, 300, 10, 3).mean(axis=(1, 3))
    assert thumb.shape == (200, 300, 3)
    assert np.abs(thumb - expected).mean() < 6


@pytest.mark.parametrize("name", ["label", "macro", "thumbnail"])
def test_svs_associated_images_are_served(slides: dict[str, Path], name: str) -> None:
    data, kind = sources.associated(slides["svs"], name, max_size=128, fmt="png")
    assert kind == "image/png" and max(Image.open(io.BytesIO(data)).size) == 128


def test_a_missing_associated_image_is_not_found(slide: Path) -> None:
    with pytest.raises(AssociatedImageNotFound):
        sources.associated(slide, "label")


def test_sources_are_cached_per_path(slide: Path) -> None:
    assert sources.open_source(slide) is sources.open_source(slide)


def test_a_rewritten_file_gets_a_new_source(tmp_path: Path) -> None:
    from tiling import synthetic

    path = tmp_path / "a.tiff"
    synthetic.write(path, 300, 300)
    first = sources.open_source(path)
    synthetic.write(path, 600, 300)
    import os

    os.utime(path, ns=(1, 1))
    assert sources.open_source(path) is not first
    assert sources.pyramid(path).width == 600


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "junk.tiff"
    path.write_bytes(b"not an image at all")
    with pytest.raises(UnreadableImage):
        sources.pyramid(path)


def test_the_pyramid_reports_cytomine_zooms(slide: Path) -> None:
    assert sources.pyramid(slide) == sources.Pyramid(WIDTH, HEIGHT, 256, 256, 5, 5)


def test_a_tile_by_index_is_the_tile_at_its_position(slide: Path) -> None:
    assert sources.tile_at_index(slide, 4, 2 * 12 + 3) == sources.tile(slide, 4, 3, 2)


def test_a_tile_index_past_the_last_tile_is_not_found(slide: Path) -> None:
    with pytest.raises(TileOutOfRange):
        sources.tile_at_index(slide, 4, 12 * 8)


def test_tiles_of_an_untiled_image_are_cut_from_regions(grid: Path) -> None:
    pixels = _decode(sources.tile(grid, 1, 1, 1, "png")[0])
    full = np.asarray(Image.open(grid).convert("RGB")).astype(int)
    assert pixels.shape == (256, 256, 3) and pixels[244:].max() == 0
    assert np.abs(pixels[:244, :244] - full[512:1000:2, 512:1000:2]).mean() < 8


@pytest.mark.parametrize(
    ("box", "out", "area"),
    [
        ((0, 0, 3000, 2000), (375, 250), 375 * 250),  # an exact stored level: its pixels only
        ((0, 0, 3000, 2000), (374, 249), 375 * 250),  # a bit smaller: the same level
        ((0, 0, 3000, 2000), (376, 251), 750 * 500),  # a bit larger: the next finer level
        ((0, 0, 511, 511), (256, 256), 511 * 511),  # just under half: full resolution
    ],
)
def test_decode_area_counts_the_pixels_of_the_level_read(
    slide: Path, box: tuple[int, int, int, int], out: tuple[int, int], area: int
) -> None:
    src = sources.open_source(slide)
    assert sources.decode_area(src, levels.Box(*box), *out) == area


def test_a_flat_image_decodes_all_of_a_region_whatever_the_output(grid: Path) -> None:
    src = sources.open_source(grid)
    assert sources.decode_area(src, levels.Box(0, 0, 1000, 1000), 10, 10) == 1000 * 1000


def test_reading_more_than_the_decode_limit_names_it(slide: Path) -> None:
    sources.set_limits(sources.Limits(max_decode_pixels=100_000))
    try:
        with pytest.raises(RegionTooLarge, match="Decoded source area of 261121") as caught:
            sources.region(slide, levels.Box(0, 0, 511, 511), out_width=256)
        assert caught.value.values == {"size": 261121, "limit": 100_000}
        data, _ = sources.region(slide, levels.Box(0, 0, 512, 512), out_width=256)
        assert _decode(data).shape == (256, 256, 3)
    finally:
        sources.set_limits(sources.Limits())
