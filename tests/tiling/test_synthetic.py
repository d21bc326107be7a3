"""The synthetic slide generator writes files that real readers open."""

from __future__ import annotations

from pathlib import Path

import large_image_source_tiff
import numpy as np
import openslide
import pytest
import tifffile

from tests.tiling.conftest import HEIGHT, WIDTH
from tiling import synthetic


@pytest.mark.parametrize("fmt", ["tiff", "svs", "ometiff"])
def test_every_format_opens_in_the_large_image_tiff_source(
    slides: dict[str, Path], fmt: str
) -> None:
    source = large_image_source_tiff.open(str(slides[fmt]), noCache=True)
    assert (source.sizeX, source.sizeY, source.levels) == (WIDTH, HEIGHT, 5)


def test_the_svs_variant_is_an_aperio_slide_for_openslide(slides: dict[str, Path]) -> None:
    slide = openslide.OpenSlide(slides["svs"])
    assert slide.properties["openslide.vendor"] == "aperio"
    assert slide.properties["openslide.mpp-x"] == str(synthetic.MPP)
    assert slide.properties["aperio.AppMag"] == str(synthetic.APP_MAG)
    assert slide.level_dimensions[0] == (WIDTH, HEIGHT)


def test_the_svs_variant_carries_thumbnail_label_and_macro(slides: dict[str, Path]) -> None:
    names = set(openslide.OpenSlide(slides["svs"]).associated_images)
    assert names == {"label", "macro", "thumbnail"}


def test_the_ome_variant_has_ome_metadata_and_sub_resolutions(slides: dict[str, Path]) -> None:
    with tifffile.TiffFile(slides["ometiff"]) as tif:
        assert tif.is_ome
        assert len(tif.series[0].levels) == 5


def test_tiles_are_jpeg_of_tissue_like_size(slide: Path) -> None:
    with tifffile.TiffFile(slide) as tif:
        sizes = np.array(tif.pages[0].databytecounts)
    assert 8_000 < np.median(sizes) < 25_000
    assert sizes.max() < 30_000


def test_tiles_are_textured_not_flat(slide: Path) -> None:
    with tifffile.TiffFile(slide) as tif:
        pixels = tif.pages[0].asarray()
    tiles = pixels[:1792, :2816].reshape(7, 256, 11, 256, 3)
    assert tiles.std(axis=(1, 3, 4)).min() > 3  # even background tiles carry grain
    assert pixels.std() > 15


def test_the_same_seed_gives_the_same_pixels() -> None:
    assert np.array_equal(synthetic.render(5, 512, 256, 2), synthetic.render(5, 512, 256, 2))


def test_another_seed_gives_other_pixels() -> None:
    assert not np.array_equal(synthetic.render(5, 0, 0, 1), synthetic.render(6, 0, 0, 1))


def test_the_command_line_writes_a_slide(tmp_path: Path) -> None:
    out = tmp_path / "cli.svs"
    synthetic.main([str(out), "--width", "600", "--height", "400", "--format", "svs"])
    assert openslide.OpenSlide(out).dimensions == (600, 400)


def test_stored_tiles_share_one_jpeg_tables_tag(slide: Path) -> None:
    with tifffile.TiffFile(slide) as tif:
        assert tif.pages[0].jpegtables == synthetic.jpeg_tables(85)
