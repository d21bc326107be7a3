"""Turn flat or untiled images into a pyramidal tiled TIFF with libvips (synchronous, blocking).

A strip TIFF, a JPEG or a PNG of any size is served from a copy made at ingest: a tiled
TIFF with 256-px tiles and every level down to one tile, the reduced levels as SubIFDs.
libvips streams the source, so memory stays bounded whatever the image size.

The copy is lossless when the source is: only a JPEG-compressed source (a JPEG file, or a TIFF
whose first page is JPEG-compressed, as its header says) with 8-bit gray or RGB pixels gets JPEG
tiles (quality 90; a lossless pyramid of a lossy source would only cost space). Every other
source (uncompressed, LZW, deflate or PackBits TIFF, PNG, 16-bit, float, alpha...) gets deflate
tiles with the horizontal predictor, so the full-resolution level holds the source's pixels
exactly. Deflate with the predictor writes about as fast as LZW and 15 to 40% smaller.
"""

from __future__ import annotations

from pathlib import Path

import large_image  # type: ignore[import-untyped]
import pyvips
import tifffile
from large_image.exceptions import TileSourceError  # type: ignore[import-untyped]

from tiling import config, metadata
from tiling.errors import ERROR_CONVERSION, UnreadableImage

MAX_FLAT_SIDE = 4096
"""Largest side, in pixels, of a single-level image served as it is (bigger ones are converted)."""
TILE = 256
JPEG_QUALITY = 90
PYRAMID_FOLDER = "pyramid"


def needs_pyramid(path: str) -> bool:
    """Whether ``path`` must be converted before it is served.

    True when large-image cannot open it but libvips can, or when it stores one level only
    with a side over ``MAX_FLAT_SIDE`` (a tiled TIFF without reduced levels would make every
    zoomed-out view decode the full image). False for files neither reads: their errors stay.
    """
    config.configure()
    try:
        source = large_image.open(path, noCache=True)
    except (TileSourceError, OSError, ValueError):
        return _vips_reads(path)
    stored = metadata.stored_levels(path)
    levels = stored if stored is not None else int(source.levels)
    if levels > 1:
        return False
    return max(int(source.sizeX), int(source.sizeY)) > MAX_FLAT_SIDE and _vips_reads(path)


def _vips_reads(path: str) -> bool:
    try:
        image = pyvips.Image.new_from_file(path, access="sequential")
    except pyvips.Error:
        return False
    return bool(image.width > 0 and image.height > 0)


def _jpeg_source(path: str, image: pyvips.Image) -> bool:
    """Whether the source's pixels are JPEG-compressed (lossy), read from headers only."""
    loader = str(image.get("vips-loader")) if image.get_typeof("vips-loader") else ""
    if loader.startswith("jpegload"):
        return True
    if not loader.startswith("tiffload"):
        return False
    try:
        with tifffile.TiffFile(path) as tif:
            compression = tif.pages.first.compression
    except (OSError, ValueError, RuntimeError, tifffile.TiffFileError):
        return False
    return compression in (tifffile.COMPRESSION.JPEG, tifffile.COMPRESSION.OJPEG)


def pyramid_path(original: Path) -> Path:
    """Where the converted copy of ``original`` lives: in a folder beside it.

    Its own folder, so that removing the copy's folder never touches the original, while
    removing the original's folder takes the copy along.
    """
    return original.parent / PYRAMID_FOLDER / f"{original.name}.tif"


def original_of(path: Path) -> Path | None:
    """The file a converted copy was made from (None when ``path`` is no converted copy)."""
    if path.parent.name != PYRAMID_FOLDER or path.suffix != ".tif":
        return None
    original = path.parent.parent / path.stem
    return original if original.is_file() else None


def to_pyramid(source: str, destination: str) -> None:
    """Write ``source`` as a pyramidal tiled TIFF at ``destination`` (UnreadableImage on failure).

    A partial output is removed on failure.
    """
    Path(destination).parent.mkdir(parents=True, exist_ok=True)
    try:
        # Without fail_on, libvips fills what it cannot decode: a damaged file must fail.
        image = pyvips.Image.new_from_file(source, access="sequential", fail_on="error")
        # JPEG holds 8-bit gray or RGB only: deeper or alpha pixels stay lossless.
        lossy = image.format == "uchar" and image.bands in (1, 3) and _jpeg_source(source, image)
        image.tiffsave(
            destination,
            tile=True,
            tile_width=TILE,
            tile_height=TILE,
            pyramid=True,
            # Levels as SubIFDs: readers then see one series, not one page per level.
            subifd=True,
            bigtiff=image.width * image.height * image.bands > 2**31,
            compression="jpeg" if lossy else "deflate",
            Q=JPEG_QUALITY,
            predictor="none" if lossy else "horizontal",
        )
    except pyvips.Error as exc:
        Path(destination).unlink(missing_ok=True)
        raise UnreadableImage(
            "The image could not be converted to a tiled pyramid: the file is truncated, "
            "corrupt or uses an unsupported encoding",
            upload_status=ERROR_CONVERSION,
        ) from exc


__all__ = [
    "MAX_FLAT_SIDE",
    "PYRAMID_FOLDER",
    "needs_pyramid",
    "original_of",
    "pyramid_path",
    "to_pyramid",
]
