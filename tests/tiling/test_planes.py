"""Planes of multi-channel, multi-z OME-TIFFs: layout, frames, plane reads and metadata."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image

from contracts.pyramid import TileOutOfRange
from tiling import levels, planes, sources
from tiling.metadata import read_metadata

CHANNELS, DEPTH, HEIGHT, WIDTH = 3, 2, 600, 700
NAMES = ["DAPI", "GFP", "RFP"]


def plane_pixels() -> np.ndarray:
    """(Z, C, Y, X) uint8 planes, each a different deterministic gradient."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    data = np.zeros((DEPTH, CHANNELS, HEIGHT, WIDTH), np.uint8)
    for z in range(DEPTH):
        for c in range(CHANNELS):
            data[z, c] = (x * (c + 1) + y + 60 * z) % 256
    return data


def write_planes(path: Path) -> Path:
    """A tiled, pyramidal OME-TIFF with 3 named channels and 2 z stacks (axes ZCYX)."""
    data = plane_pixels()
    opts = {"tile": (256, 256), "photometric": "minisblack", "compression": "zlib"}
    with tifffile.TiffWriter(path, ome=True) as tif:
        meta = {"axes": "ZCYX", "Channel": {"Name": NAMES}}
        tif.write(data, subifds=2, metadata=meta, **opts)
        for level in (1, 2):
            tif.write(data[..., :: 2**level, :: 2**level], subfiletype=1, **opts)
    return path


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("planes") / "planes.ome.tif")


def test_layout_names_plane_axes_in_stored_order(multi: Path) -> None:
    found = planes.layout(multi)
    assert (found.axes, found.shape, found.channel_names) == ("ZC", (2, 3), tuple(NAMES))


@pytest.mark.parametrize(("plane", "frame"), [((0, 0, 0), 0), ((2, 0, 0), 2), ((1, 1, 0), 4)])
def test_frame_of_plane_follows_page_order(
    multi: Path, plane: tuple[int, int, int], frame: int
) -> None:
    assert planes.frame_of(multi, planes.Plane(*plane)) == frame


@pytest.mark.parametrize("plane", [(3, 0, 0), (0, 2, 0), (0, 0, 1)])
def test_plane_outside_the_image_is_out_of_range(multi: Path, plane: tuple[int, int, int]) -> None:
    with pytest.raises(TileOutOfRange):
        planes.frame_of(multi, planes.Plane(*plane))


def test_single_plane_image_has_no_frame(slide: Path) -> None:
    assert planes.frame_of(slide, planes.Plane()) is None


def test_region_of_a_frame_is_that_plane(multi: Path) -> None:
    frame = planes.frame_of(multi, planes.Plane(2, 1, 0))
    data, _ = sources.region(multi, levels.Box(100, 50, 40, 30), fmt="png", frame=frame)
    got = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
    assert np.array_equal(got, plane_pixels()[1, 2, 50:80, 100:140])


def test_metadata_counts_channels_and_z_stacks(multi: Path) -> None:
    meta = read_metadata(str(multi))
    assert (meta.channels, meta.depth, meta.duration) == (CHANNELS, DEPTH, 1)
    assert meta.channel_names == tuple(NAMES)
