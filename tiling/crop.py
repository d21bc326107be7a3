"""Annotation crops: the pixels of a box with a geometry drawn, masked or cut out (alpha).

Shapes arrive in top-left full-resolution pixels (converted by the caller) and are scaled to the
output size here. Modes follow Cytomine's image server: ``crop`` (plain pixels), ``draw`` (the
outline stroked on the pixels), ``mask`` (white shape on black, no pixel read) and ``alphamask``
(pixels with the outside made transparent; PNG or WebP only).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np
from PIL import Image, ImageDraw

from tiling import levels, sources
from tiling.errors import UnsupportedFormat

MODES = ("crop", "draw", "mask", "alphamask")
Point = tuple[float, float]


class Drawable(Protocol):
    """Polygons (exterior then holes), lines and points in top-left full-resolution pixels."""

    @property
    def polygons(self) -> Sequence[Sequence[Sequence[Point]]]: ...
    @property
    def lines(self) -> Sequence[Sequence[Point]]: ...
    @property
    def points(self) -> Sequence[Point]: ...


class Style(NamedTuple):
    """How a crop shows its geometry."""

    mode: str = "crop"
    color: tuple[int, int, int] = (255, 0, 0)
    thickness: int = 1
    transparency: int = 100
    """Percent of transparency of the outside of an alpha mask (100 = fully transparent)."""


def parse_color(text: str | None) -> tuple[int, int, int]:
    """``#rrggbb``, ``0xrrggbb`` or ``rrggbb`` -> RGB; red when absent; UnsupportedFormat else."""
    if not text:
        return (255, 0, 0)
    digits = text.removeprefix("#").removeprefix("0x").removeprefix("0X")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    try:
        value = int(digits, 16)
    except ValueError:
        raise UnsupportedFormat(f"Invalid color {text!r}: use #rrggbb") from None
    if len(digits) != 6:
        raise UnsupportedFormat(f"Invalid color {text!r}: use #rrggbb")
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def render(
    path: str | Path,
    box: levels.Box,
    size: tuple[int, int],
    shapes: Drawable,
    style: Style,
    fmt: str,
    frame: int | None = None,
    adjust: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[bytes, str]:
    """Encode the crop of ``box`` at ``size`` (width, height) with the geometry per ``style``.

    ``adjust`` changes the RGB pixels read (image filters) before anything is drawn on them.
    """
    out_w, out_h = size
    sources.check_output(out_w, out_h)
    scale = (out_w / box.width, out_h / box.height)
    origin = (box.left, box.top)
    if style.mode == "mask":
        mask = _mask(shapes, size, origin, scale, style.thickness)
        return sources.encode(np.asarray(mask), fmt, gray=True)
    pixels = sources.region_pixels(path, box, out_width=out_w, out_height=out_h, frame=frame)
    if adjust is not None:
        pixels = adjust(pixels)
    if style.mode == "alphamask":
        inside = np.asarray(_mask(shapes, size, origin, scale, style.thickness)) > 0
        alpha = np.full(inside.shape, round(255 * (1 - style.transparency / 100)), np.uint8)
        alpha[inside] = 255
        return _encode_rgba(np.dstack([pixels, alpha]), fmt)
    if style.mode == "draw":
        image = Image.fromarray(pixels)
        _stroke(ImageDraw.Draw(image), shapes, origin, scale, style)
        pixels = np.asarray(image)
    return sources.encode(pixels, fmt)


def _scaled(points: Sequence[Point], origin: Point, scale: Point) -> list[Point]:
    """Full-resolution points -> output pixel points."""
    return [((x - origin[0]) * scale[0], (y - origin[1]) * scale[1]) for x, y in points]


def _mask(
    shapes: Drawable, size: tuple[int, int], origin: Point, scale: Point, width: int
) -> Image.Image:
    """White shapes (holes cut out, lines and points stroked) on black."""
    image = Image.new("L", size, 0)
    draw = ImageDraw.Draw(image)
    for rings in shapes.polygons:
        for index, ring in enumerate(rings):
            draw.polygon(_scaled(ring, origin, scale), fill=0 if index else 255)
    for line in shapes.lines:
        draw.line(_scaled(line, origin, scale), fill=255, width=max(1, width))
    for x, y in _scaled(shapes.points, origin, scale):
        r = max(1, width)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return image


def _stroke(
    draw: ImageDraw.ImageDraw, shapes: Drawable, origin: Point, scale: Point, style: Style
) -> None:
    """Stroke every ring, line and point of the geometry in the style's colour."""
    width = max(1, style.thickness)
    for rings in shapes.polygons:
        for ring in rings:
            draw.line(_scaled(ring, origin, scale), fill=style.color, width=width, joint="curve")
    for line in shapes.lines:
        draw.line(_scaled(line, origin, scale), fill=style.color, width=width)
    for x, y in _scaled(shapes.points, origin, scale):
        r = 2 * width
        draw.ellipse((x - r, y - r, x + r, y + r), outline=style.color, width=width)


def _encode_rgba(pixels: np.ndarray, fmt: str) -> tuple[bytes, str]:
    """Encode RGBA pixels as PNG or WebP (the formats that keep transparency)."""
    if fmt not in ("png", "webp"):
        raise UnsupportedFormat("An alpha mask is produced in png or webp only")
    out = io.BytesIO()
    image = Image.fromarray(pixels.astype(np.uint8), "RGBA")
    if fmt == "png":
        image.save(out, "PNG", compress_level=3)
    else:
        image.save(out, "WEBP", quality=sources.JPEG_QUALITY)
    return out.getvalue(), sources.media_type(fmt)


__all__ = ["MODES", "Drawable", "Style", "parse_color", "render"]
