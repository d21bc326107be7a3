"""Open tile sources once per (path, mtime) and serve tiles, regions and pictures as bytes.

Every function is synchronous and may block on file I/O and codecs: the server calls them
from a bounded thread pool. Normalized tiles (Cytomine's 256-px pyramid) are always
256x256; pixels past the right and bottom edges of the image are unspecified padding.
When the source stores 256-px JPEG tiles in the requested level and the format is jpg,
the stored bytes are returned unchanged (no decode, no encode).
"""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple

import large_image  # type: ignore[import-untyped]
import numpy as np
from large_image.constants import TILE_FORMAT_NUMPY  # type: ignore[import-untyped]
from large_image.exceptions import TileSourceError  # type: ignore[import-untyped]
from PIL import Image

from contracts.pyramid import TileOutOfRange
from tiling import levels
from tiling.config import configure
from tiling.errors import (
    AssociatedImageNotFound,
    InvalidRegion,
    RegionTooLarge,
    UnreadableImage,
    UnsupportedFormat,
)

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MAX_OUTPUT_SIDE = 8192
"""Published maximum width or height, in pixels, of any produced image (window, crop...)."""
MAX_OUTPUT_PIXELS = 4096 * 4096
"""Default maximum area (width x height) of any produced image."""
MAX_DECODE_PIXELS = 8192 * 8192
"""Default maximum number of source pixels one request may decode (at the level it reads)."""
SOURCE_CACHE_SIZE = 64
JPEG_QUALITY = 90

_sources: OrderedDict[tuple[str, int, bool], Any] = OrderedDict()
_lock = threading.Lock()


class Limits(NamedTuple):
    """The per-request cost bounds of every produced picture (the server sets them once)."""

    max_output_pixels: int = MAX_OUTPUT_PIXELS
    max_decode_pixels: int = MAX_DECODE_PIXELS


# Process-wide: the functions here run in worker threads, far from the settings; the server
# sets the bounds at start-up (``set_limits``) and every request of the process shares them.
_limits = [Limits()]


def set_limits(limits: Limits) -> None:
    """Use ``limits`` for every picture produced from now on."""
    _limits[0] = limits


def limits() -> Limits:
    """The cost bounds in force."""
    return _limits[0]


class Pyramid(NamedTuple):
    """Geometry of an opened image: size, native tiles and its normalized zoom count."""

    width: int
    height: int
    tile_width: int
    tile_height: int
    levels: int
    zooms: int


def open_source(path: str | Path, *, copy_through: bool = True) -> Any:
    """The large-image tile source of a file, cached by (path, modification time).

    With ``copy_through`` the tiff source is tried first: it hands out stored JPEG tiles
    without decoding them, also for Aperio SVS files that large-image would otherwise give
    to OpenSlide. Without it, large-image's own choice is used (OpenSlide for SVS, which
    names associated images the way viewers expect).
    """
    configure()
    key = (str(path), Path(path).stat().st_mtime_ns, copy_through)
    with _lock:
        if key in _sources:
            _sources.move_to_end(key)
            return _sources[key]
    source = _open(str(path), copy_through)
    with _lock:
        _sources[key] = source
        while len(_sources) > SOURCE_CACHE_SIZE:
            _sources.popitem(last=False)
    return source


def _open(path: str, copy_through: bool) -> Any:
    """Open a path with the tiff source first (if asked), then with any source."""
    if copy_through:
        large_image.tilesource.loadTileSources()
        tiff = large_image.tilesource.AvailableTileSources.get("tiff")
        if tiff is not None:
            try:
                return tiff(path, noCache=True)
            except TileSourceError:
                pass
    try:
        return large_image.open(path, noCache=True)
    except TileSourceError as exc:
        raise UnreadableImage(f"No tile source can read {Path(path).name}") from exc


def pyramid(path: str | Path) -> Pyramid:
    """Size, tile size, large-image level count and Cytomine zoom count of an image."""
    src = open_source(path)
    zooms = levels.zoom_count(src.sizeX, src.sizeY)
    return Pyramid(src.sizeX, src.sizeY, src.tileWidth, src.tileHeight, src.levels, zooms)


def media_type(fmt: str) -> str:
    """Media type of an output format; raises UnsupportedFormat."""
    try:
        return MEDIA_TYPES[fmt]
    except KeyError:
        raise UnsupportedFormat(f"Unsupported image format {fmt!r}: use jpg, png or webp") from None


def encode(pixels: np.ndarray, fmt: str, gray: bool = False) -> tuple[bytes, str]:
    """Encode an RGB(A) or gray uint8 array as jpg, png or webp."""
    kind = media_type(fmt)
    image = Image.fromarray(_rgb(pixels))
    if gray:
        image = image.convert("L")
    out = io.BytesIO()
    if fmt == "jpg":
        image.save(out, "JPEG", quality=JPEG_QUALITY)
    elif fmt == "png":
        image.save(out, "PNG", compress_level=3)
    else:
        image.save(out, "WEBP", quality=JPEG_QUALITY)
    return out.getvalue(), kind


def _rgb(pixels: np.ndarray) -> np.ndarray:
    """Drop alpha and expand gray so the array is HxWx3 uint8."""
    if pixels.dtype != np.uint8:
        top = float(np.iinfo(pixels.dtype).max) if pixels.dtype.kind in "ui" else 1.0
        pixels = np.clip(pixels.astype(np.float32) * (255.0 / top), 0, 255).astype(np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    if pixels.shape[2] in (1, 2):
        return np.repeat(pixels[..., :1], 3, axis=2)
    return np.ascontiguousarray(pixels[..., :3])


def tile(
    path: str | Path, zoom: int, tx: int, ty: int, fmt: str = "jpg", frame: int | None = None
) -> tuple[bytes, str]:
    """A 256-px normalized tile at a Cytomine zoom (of one frame); TileOutOfRange outside."""
    kind = media_type(fmt)
    src = open_source(path)
    zooms = levels.zoom_count(src.sizeX, src.sizeY)
    levels.check_tile(src.sizeX, src.sizeY, zoom, zooms, tx, ty)
    native = src.tileWidth == levels.TILE == src.tileHeight and src.levels == zooms
    if native and fmt == "jpg" and src.encoding == "JPEG":
        data = src.getTile(tx, ty, levels.level_of_zoom(zoom, zooms), **_frame(frame))
        if isinstance(data, bytes):
            return data, kind
    return encode(tile_pixels(path, zoom, tx, ty, frame), fmt)


def tile_pixels(
    path: str | Path, zoom: int, tx: int, ty: int, frame: int | None = None
) -> np.ndarray:
    """Decoded 256x256 RGB pixels of a normalized tile (black past the image edges)."""
    src = open_source(path)
    zooms = levels.zoom_count(src.sizeX, src.sizeY)
    levels.check_tile(src.sizeX, src.sizeY, zoom, zooms, tx, ty)
    if src.tileWidth == levels.TILE == src.tileHeight and src.levels == zooms:
        level = levels.level_of_zoom(zoom, zooms)
        return _rgb(src.getTile(tx, ty, level, numpyAllowed="always", **_frame(frame)))
    box = levels.tile_box(src.sizeX, src.sizeY, zoom, zooms, tx, ty)
    out_w, out_h = levels.tier_size(box.width, box.height, levels.tier_of_zoom(zoom, zooms))
    pixels = _read(src, box, out_w, out_h, frame)
    padded = np.zeros((levels.TILE, levels.TILE, 3), np.uint8)
    padded[:out_h, :out_w] = pixels[:out_h, :out_w]
    return padded


def tile_at_index(path: str | Path, zoom: int, ti: int, fmt: str = "jpg") -> tuple[bytes, str]:
    """A normalized tile by Cytomine tile index ``ti = ty * tilesAcross + tx``."""
    pyr = pyramid(path)
    across, down = levels.tiles_across(pyr.width, pyr.height, zoom, pyr.zooms)
    if not 0 <= ti < across * down:
        raise TileOutOfRange("Tile", f"{zoom}/{ti}")
    return tile(path, zoom, *levels.tile_position(ti, across), fmt=fmt)


def _frame(frame: int | None) -> dict[str, int]:
    """The large-image keyword selecting a frame (none for the default frame)."""
    return {} if frame is None else {"frame": frame}


def _read(
    src: Any, box: levels.Box, out_w: int, out_h: int, frame: int | None = None
) -> np.ndarray:
    """Pixels of a full-resolution box (of one frame) resampled to exactly out_w x out_h."""
    check_decode(src, box, out_w, out_h)
    region = {"left": box.left, "top": box.top, "width": box.width, "height": box.height}
    output = {"maxWidth": out_w, "maxHeight": out_h}
    pixels, _ = src.getRegion(
        region=region, output=output, format=TILE_FORMAT_NUMPY, **_frame(frame)
    )
    pixels = _rgb(pixels)
    if pixels.shape[1] != out_w or pixels.shape[0] != out_h:
        image = Image.fromarray(pixels).resize((out_w, out_h), Image.Resampling.LANCZOS)
        pixels = np.asarray(image)
    return pixels


def output_size(
    width: int, height: int, out_width: int | None, out_height: int | None
) -> tuple[int, int]:
    """Output size of a width x height region: exact, one side proportional, or native."""
    if out_width is None and out_height is None:
        return width, height
    if out_width is None:
        assert out_height is not None
        return max(1, round(width * out_height / height)), out_height
    if out_height is None:
        return out_width, max(1, round(height * out_width / width))
    return out_width, out_height


def fit(width: int, height: int, max_size: int) -> tuple[int, int]:
    """Largest size with the aspect ratio of width x height inside max_size (never enlarges)."""
    scale = min(1.0, max_size / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def fit_output(width: int, height: int, upscale: bool = False) -> tuple[int, int]:
    """Largest size with the aspect ratio of width x height inside every output limit
    (side and area); it enlarges only with ``upscale``."""
    area = limits().max_output_pixels
    side = MAX_OUTPUT_SIDE
    scale = min(side / width, side / height, math.sqrt(area / (width * height)))
    if not upscale:
        scale = min(1.0, scale)
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def check_output(out_w: int, out_h: int) -> None:
    """Raise RegionTooLarge when an output side passes MAX_OUTPUT_SIDE or its area the limit."""
    for what, size in (("Output width", out_w), ("Output height", out_h)):
        if size > MAX_OUTPUT_SIDE:
            raise RegionTooLarge(what, size, MAX_OUTPUT_SIDE)
        if size < 1:
            raise InvalidRegion(f"{what} must be at least 1 pixel")
    limit = limits().max_output_pixels
    if out_w * out_h > limit:
        raise RegionTooLarge("Output area", out_w * out_h, limit)


def decode_area(src: Any, box: levels.Box, out_w: int, out_h: int) -> int:
    """Source pixels a read of ``box`` scaled to out_w x out_h decodes.

    The source is read at the coarsest stored level that still has at least the output's
    resolution (what large-image picks); levels it only synthesizes do not count.
    """
    count = int(src.levels or 1)
    scale = min(box.width / out_w, box.height / out_h)
    steps = max(0, min(count - 1, int(scale).bit_length() - 1))
    level = int(src.getPreferredLevel(count - 1 - steps))
    factor = 1 << max(0, count - 1 - level)
    return -(-box.width // factor) * -(-box.height // factor)


def check_decode(src: Any, box: levels.Box, out_w: int, out_h: int) -> None:
    """Raise RegionTooLarge when producing the picture would decode too many source pixels."""
    limit = limits().max_decode_pixels
    area = decode_area(src, box, out_w, out_h)
    if area > limit:
        raise RegionTooLarge("Decoded source area", area, limit)


def region(
    path: str | Path,
    box: levels.Box,
    *,
    out_width: int | None = None,
    out_height: int | None = None,
    max_size: int | None = None,
    fmt: str = "jpg",
    gray: bool = False,
    frame: int | None = None,
) -> tuple[bytes, str]:
    """A top-left window in full-resolution pixels, resized (exact, one side, or max_size)."""
    media_type(fmt)
    size = {"out_width": out_width, "out_height": out_height, "max_size": max_size}
    pixels = region_pixels(path, box, **size, frame=frame)
    return encode(pixels, fmt, gray)


def region_pixels(
    path: str | Path,
    box: levels.Box,
    *,
    out_width: int | None = None,
    out_height: int | None = None,
    max_size: int | None = None,
    frame: int | None = None,
) -> np.ndarray:
    """Decoded RGB pixels of region(); raises InvalidRegion or RegionTooLarge."""
    src = open_source(path)
    clipped = clip(box, src.sizeX, src.sizeY)
    out_w, out_h = output_size(box.width, box.height, out_width, out_height)
    if max_size is not None:
        out_w, out_h = fit(out_w, out_h, max_size)
    check_output(out_w, out_h)
    if clipped == box:
        return _read(src, box, out_w, out_h, frame)
    # The window passes the image edge: read the inside part and pad the rest with black.
    sx, sy = out_w / box.width, out_h / box.height
    canvas = np.zeros((out_h, out_w, 3), np.uint8)
    x0, y0 = round((clipped.left - box.left) * sx), round((clipped.top - box.top) * sy)
    inner_w = max(1, min(out_w - x0, round(clipped.width * sx)))
    inner_h = max(1, min(out_h - y0, round(clipped.height * sy)))
    canvas[y0 : y0 + inner_h, x0 : x0 + inner_w] = _read(src, clipped, inner_w, inner_h, frame)
    return canvas


def clip(box: levels.Box, width: int, height: int) -> levels.Box:
    """The part of a box inside the image; raises InvalidRegion when it is empty."""
    if box.width <= 0 or box.height <= 0:
        raise InvalidRegion("Region width and height must be positive")
    left, top = max(0, box.left), max(0, box.top)
    right, bottom = min(width, box.left + box.width), min(height, box.top + box.height)
    if right <= left or bottom <= top:
        raise InvalidRegion(f"Region lies outside the {width}x{height} image")
    return levels.Box(left, top, right - left, bottom - top)


def thumbnail(
    path: str | Path, max_size: int = 256, fmt: str = "jpg", frame: int | None = None
) -> tuple[bytes, str]:
    """The whole image (one frame of it) fitted in a max_size square."""
    src = open_source(path)
    whole = levels.Box(0, 0, src.sizeX, src.sizeY)
    return region(path, whole, max_size=max_size, fmt=fmt, frame=frame)


def associated_names(path: str | Path) -> list[str]:
    """Names of the associated images of a slide (label, macro, thumbnail...)."""
    return sorted(open_source(path, copy_through=False).getAssociatedImagesList())


def associated(
    path: str | Path, name: str, max_size: int | None = None, fmt: str = "jpg"
) -> tuple[bytes, str]:
    """An associated image, optionally fitted in a max_size square."""
    media_type(fmt)
    src = open_source(path, copy_through=False)
    if name not in src.getAssociatedImagesList():
        raise AssociatedImageNotFound(name)
    found = src.getAssociatedImage(name, format=TILE_FORMAT_NUMPY)
    if found is None:
        raise AssociatedImageNotFound(name)
    pixels = _rgb(found[0])
    if max_size is not None:
        w, h = fit(pixels.shape[1], pixels.shape[0], max_size)
        pixels = np.asarray(Image.fromarray(pixels).resize((w, h), Image.Resampling.LANCZOS))
    check_output(pixels.shape[1], pixels.shape[0])
    return encode(pixels, fmt)


__all__ = [
    "MAX_DECODE_PIXELS",
    "MAX_OUTPUT_PIXELS",
    "MAX_OUTPUT_SIDE",
    "Limits",
    "MEDIA_TYPES",
    "Pyramid",
    "associated",
    "associated_names",
    "check_decode",
    "check_output",
    "decode_area",
    "encode",
    "fit_output",
    "limits",
    "open_source",
    "pyramid",
    "region",
    "region_pixels",
    "set_limits",
    "thumbnail",
    "tile",
    "tile_at_index",
    "tile_pixels",
]
