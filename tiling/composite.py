"""Several channels of one z stack and time point blended into one RGB picture.

The viewer asks for ``channels=0,1,2`` with per-channel ``colormaps`` (``#rrggbb``),
``minIntensities``, ``maxIntensities`` and ``gammas``. Each channel's plane is stretched from
[min, max] to [0, 1], raised to its gamma, tinted with its colour, and the tints add up (clipped),
an additive blend like the image server's. Images with a single channel (RGB slides) ignore it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tiling import levels, planes, sources

Color = tuple[int, int, int]
DEFAULT_COLORS: tuple[Color, ...] = (
    (255, 0, 0),
    (0, 255, 0),
    (0, 0, 255),
    (0, 255, 255),
    (255, 0, 255),
    (255, 255, 0),
    (255, 255, 255),
)


class Layer(NamedTuple):
    """One channel of a blend: its colour, intensity window (native units) and gamma."""

    channel: int
    color: Color | None = None
    low: float | None = None
    high: float | None = None
    gamma: float = 1.0


class Mix(NamedTuple):
    """The channels blended at one z stack and time point."""

    z: int
    t: int
    layers: tuple[Layer, ...]


def applies(path: str | Path, mix: Mix | None) -> bool:
    """Whether a blend changes the picture: several channels of a multi-channel image."""
    return mix is not None and len(mix.layers) > 1 and planes.layout(path).size("C") > 1


def parse_color(text: str) -> Color | None:
    """``#rrggbb`` / ``0xrrggbb`` -> RGB; None for colormap names this server does not know."""
    digits = text.strip().removeprefix("#").removeprefix("0x")
    if len(digits) != 6:
        return None
    try:
        value = int(digits, 16)
    except ValueError:
        return None
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def blend(path: str | Path, mix: Mix, read: Callable[[int | None], np.ndarray]) -> np.ndarray:
    """Blend the mix's channels, ``read(frame)`` giving each plane as 8-bit RGB pixels."""
    top = _top(getattr(sources.open_source(path), "dtype", None))
    total: np.ndarray | None = None
    for layer in mix.layers:
        frame = planes.frame_of(path, planes.Plane(layer.channel, mix.z, mix.t))
        native = read(frame)[..., 0].astype(np.float32) * (top / 255.0)
        low = 0.0 if layer.low is None else layer.low
        high = top if layer.high is None else layer.high
        value = np.clip((native - low) / max(high - low, 1e-6), 0.0, 1.0) ** layer.gamma
        color = layer.color or DEFAULT_COLORS[layer.channel % len(DEFAULT_COLORS)]
        tint = value[..., None] * np.asarray(color, np.float32)
        total = tint if total is None else total + tint
    assert total is not None
    blended: np.ndarray = np.clip(np.rint(total), 0, 255).astype(np.uint8)
    return blended


def _top(dtype: object) -> float:
    """The largest native value of a pixel type (1.0 for floating point, 255 if unknown)."""
    try:
        kind = np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError:
        return 255.0
    return float(np.iinfo(kind).max) if kind.kind in "ui" else 1.0


def tile(path: str | Path, zoom: int, tx: int, ty: int, fmt: str, mix: Mix) -> tuple[bytes, str]:
    """A normalized tile of the blend."""
    pixels = blend(path, mix, lambda frame: sources.tile_pixels(path, zoom, tx, ty, frame))
    return sources.encode(pixels, fmt)


def region(
    path: str | Path, box: levels.Box, max_size: int | None, fmt: str, mix: Mix
) -> tuple[bytes, str]:
    """A window (or the whole image) of the blend, optionally fitted in max_size."""
    pixels = blend(
        path, mix, lambda frame: sources.region_pixels(path, box, max_size=max_size, frame=frame)
    )
    return sources.encode(pixels, fmt)


__all__ = ["DEFAULT_COLORS", "Layer", "Mix", "applies", "blend", "parse_color", "region", "tile"]
