"""Channel blends: each channel tinted by its colour, windowed, gamma-corrected and added up."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.tiling.test_planes import plane_pixels, write_planes
from tiling import composite, levels

RGB = ((255, 0, 0), (0, 255, 0), (0, 0, 255))


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("blend") / "planes.ome.tif")


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def mix(z: int = 0, **fields: object) -> composite.Mix:
    layers = tuple(composite.Layer(c, RGB[c], **fields) for c in range(3))  # type: ignore[arg-type]
    return composite.Mix(z, 0, layers)


def test_red_green_blue_blend_stacks_the_three_planes(multi: Path) -> None:
    box = levels.Box(10, 20, 30, 16)
    data, _ = composite.region(multi, box, None, "png", mix(z=1))
    expected = np.moveaxis(plane_pixels()[1, :, 20:36, 10:40], 0, -1)
    assert np.array_equal(decode(data), expected)


def test_intensity_window_stretches_the_range(multi: Path) -> None:
    box = levels.Box(0, 0, 64, 64)
    data, _ = composite.region(multi, box, None, "png", mix(low=0.0, high=127.5))
    expected = np.clip(plane_pixels()[0, 0, :64, :64].astype(int) * 2, 0, 255)
    assert int(np.abs(decode(data)[..., 0] - expected).max()) <= 1


def test_tile_of_a_blend_has_the_tile_size(multi: Path) -> None:
    data, _ = composite.tile(multi, 0, 0, 0, "png", mix())
    assert decode(data).shape == (256, 256, 3)


def test_blend_applies_only_to_multi_channel_images(multi: Path, slide: Path) -> None:
    assert composite.applies(multi, mix())
    assert not composite.applies(slide, mix())
    assert not composite.applies(multi, composite.Mix(0, 0, (composite.Layer(1),)))


@pytest.mark.parametrize(("text", "rgb"), [("#00ff00", (0, 255, 0)), ("RED", None)])
def test_colormaps_are_hex_colours(text: str, rgb: tuple[int, int, int] | None) -> None:
    assert composite.parse_color(text) == rgb
