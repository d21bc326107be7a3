"""Spectral profiles: the value of each pixel of a small region in every z plane of an image.

Cytomine reads profiles from an HDF5 companion file; here they come straight from the planes,
one region read per z. The region is the bounding box of the annotation in top-left
full-resolution pixels; ``MAX_PROFILE_PIXELS`` bounds it (the answer holds one value per pixel
and plane). Points in the answer use Cytomine's bottom-left coordinates (y up), as annotations do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec
import numpy as np
from large_image.constants import TILE_FORMAT_NUMPY  # type: ignore[import-untyped]
from PIL import Image, ImageDraw

from tiling import levels, sources
from tiling.errors import InvalidRegion, RegionTooLarge

MAX_PROFILE_PIXELS = 4096
"""Largest region (bounding box area in full-resolution pixels) a profile covers."""

Point = tuple[float, float]
Ring = Sequence[Point]


class ProfilePoint(msgspec.Struct, kw_only=True):
    """One pixel (bottom-left coordinates) and its value in each z plane, in z order."""

    point: tuple[int, int]
    profile: list[float]


def check_size(box: levels.Box) -> None:
    """Raise RegionTooLarge when the region passes the published maximum."""
    if box.width * box.height > MAX_PROFILE_PIXELS:
        raise RegionTooLarge("Profile region", box.width * box.height, MAX_PROFILE_PIXELS)


def covered(
    box: levels.Box, polygons: Sequence[Sequence[Ring]], lines: Sequence[Ring], points: Ring
) -> np.ndarray:
    """Boolean (height, width) mask of the box pixels under the shapes (top-left pixels)."""
    check_size(box)
    image = Image.new("1", (box.width, box.height), 0)
    draw = ImageDraw.Draw(image)

    def shifted(ring: Ring) -> list[Point]:
        return [(x - box.left, y - box.top) for x, y in ring]

    for rings in polygons:
        for index, ring in enumerate(rings):
            draw.polygon(shifted(ring), fill=0 if index else 1, outline=0 if index else 1)
    for line in lines:
        draw.line(shifted(line), fill=1)
    for x, y in shifted(points):
        draw.point((int(x), int(y)), fill=1)
    return np.asarray(image, dtype=bool)


def _plane(src: object, box: levels.Box, frame: int | None) -> np.ndarray:
    """The first band of a box of one frame, native values, (height, width)."""
    region = {"left": box.left, "top": box.top, "width": box.width, "height": box.height}
    extra = {} if frame is None else {"frame": frame}
    pixels, _ = src.getRegion(region=region, format=TILE_FORMAT_NUMPY, **extra)  # type: ignore[attr-defined]
    pixels = np.asarray(pixels)
    band = pixels[..., 0] if pixels.ndim == 3 else pixels
    return band[: box.height, : box.width]


def profile(
    path: str | Path, box: levels.Box, mask: np.ndarray, frames: Sequence[int | None]
) -> list[ProfilePoint]:
    """The value of every masked pixel of ``box`` in each frame (one frame per z plane)."""
    check_size(box)
    src = sources.open_source(path)
    if sources.clip(box, src.sizeX, src.sizeY) != box:
        raise InvalidRegion("The annotation lies partly outside the image")
    stack = np.stack([_plane(src, box, frame) for frame in frames], axis=-1)
    rows, cols = np.nonzero(mask)
    height = int(src.sizeY)
    return [
        ProfilePoint(
            point=(box.left + int(c), height - 1 - (box.top + int(r))),
            profile=[v.item() for v in stack[r, c]],
        )
        for r, c in zip(rows, cols, strict=True)
    ]


__all__ = ["MAX_PROFILE_PIXELS", "ProfilePoint", "check_size", "covered", "profile"]
