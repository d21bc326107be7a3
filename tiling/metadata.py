"""What a slide file holds, read once at ingest through large-image (synchronous, blocking)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import large_image  # type: ignore[import-untyped]
import msgspec
from large_image.exceptions import TileSourceError  # type: ignore[import-untyped]

from tiling import config, planes
from tiling.errors import ERROR_INTEGRITY, UnreadableImage

MAX_PROPERTIES = 2000
MAX_VALUE_CHARS = 2000


class ImageMetadata(msgspec.Struct, frozen=True, kw_only=True):
    """Geometry, optics and vendor properties of one image file."""

    width: int
    height: int
    levels: int
    tile_width: int
    tile_height: int
    magnification: int | None = None
    physical_size_x: float | None = None
    """Micrometres per pixel along X."""
    physical_size_y: float | None = None
    channels: int = 1
    """Intrinsic channels: an RGB image counts 1."""
    extrinsic_channels: int = 3
    depth: int = 1
    duration: int = 1
    bit_per_sample: int | None = None
    sample_per_pixel: int | None = None
    colorspace: str | None = None
    channel_names: tuple[str, ...] = ()
    associated: tuple[str, ...] = ()
    source: str = ""
    """Name of the large-image tile source that read the file."""
    properties: dict[str, str] = {}
    """Vendor metadata flattened to ``namespace.key`` -> text."""


def read_metadata(path: str) -> ImageMetadata:
    """Open ``path`` uncached, check that pixels can be read, and describe it."""
    config.configure()
    try:
        source = large_image.open(path, noCache=True)
        meta = source.getMetadata()
    except (TileSourceError, OSError, ValueError) as exc:
        raise UnreadableImage("The file format is not recognised or the file is damaged") from exc
    _check_pixels(source, meta)
    return _describe(source, {**meta, **_plane_ranges(path, meta)})


def _plane_ranges(path: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """C/Z/T sizes and channel names from the file's axes when large-image gives none."""
    if meta.get("IndexRange") or len(meta.get("frames") or ()) <= 1:
        return {}
    found = planes.layout(path)
    if found.frames != len(meta["frames"]):
        return {}
    ranges = {f"Index{axis}": found.size(axis) for axis in planes.PLANE_AXES}
    names = found.channel_names if len(found.channel_names) == found.size("C") else ()
    return {"IndexRange": ranges, **({"channels": list(names)} if names else {})}


def _check_pixels(source: Any, meta: Mapping[str, Any]) -> None:
    """Read the coarsest tile and the last full-resolution tile (a truncated file fails)."""
    top = int(meta["levels"]) - 1
    last_x = (int(meta["sizeX"]) - 1) // int(meta["tileWidth"])
    last_y = (int(meta["sizeY"]) - 1) // int(meta["tileHeight"])
    try:
        source.getTile(0, 0, 0)
        source.getTile(last_x, last_y, top)
    except Exception as exc:  # noqa: BLE001 - any reader failure means damaged pixel data
        raise UnreadableImage(
            "The image opens but its pixel data cannot be read (truncated or corrupt file)",
            upload_status=ERROR_INTEGRITY,
        ) from exc


def _describe(source: Any, meta: Mapping[str, Any]) -> ImageMetadata:
    bands = int(meta.get("bandCount") or 3)
    index_range = meta.get("IndexRange") or {}
    frame_channels = int(index_range.get("IndexC", 1))
    rgb = frame_channels == 1 and bands >= 3
    bits = _bits(meta.get("dtype"))
    return ImageMetadata(
        width=int(meta["sizeX"]),
        height=int(meta["sizeY"]),
        levels=int(meta["levels"]),
        tile_width=int(meta["tileWidth"]),
        tile_height=int(meta["tileHeight"]),
        magnification=_magnification(meta.get("magnification")),
        physical_size_x=_micrometres(meta.get("mm_x")),
        physical_size_y=_micrometres(meta.get("mm_y")),
        channels=frame_channels,
        extrinsic_channels=3 if rgb else max(frame_channels, 1),
        depth=int(index_range.get("IndexZ", 1)),
        duration=int(index_range.get("IndexT", 1)),
        bit_per_sample=bits,
        sample_per_pixel=3 if rgb else 1,
        colorspace="SRGB" if rgb else "GRAY",
        channel_names=tuple(str(name) for name in meta.get("channels") or ()),
        associated=tuple(sorted(_associated(source))),
        source=type(source).__name__,
        properties=_flatten_properties(_internal(source)),
    )


def _associated(source: Any) -> list[str]:
    try:
        return [str(name) for name in source.getAssociatedImagesList()]
    except Exception:  # noqa: BLE001 - associated images are optional extras
        return []


def _internal(source: Any) -> Mapping[str, Any]:
    try:
        return source.getInternalMetadata() or {}
    except Exception:  # noqa: BLE001 - vendor metadata is optional
        return {}


def _bits(dtype: Any) -> int | None:
    text = str(dtype or "")
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


def _magnification(value: Any) -> int | None:
    if value is None or not math.isfinite(float(value)) or float(value) <= 0:
        return None
    return round(float(value))


def _micrometres(mm: Any) -> float | None:
    if mm is None or not math.isfinite(float(mm)) or float(mm) <= 0:
        return None
    return float(mm) * 1000.0


def _flatten_properties(tree: Mapping[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in _leaves(tree, ""):
        if len(flat) >= MAX_PROPERTIES:
            break
        flat[key] = value[:MAX_VALUE_CHARS]
    return flat


def _leaves(node: Any, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, (list, tuple)):
        if all(isinstance(item, (str, int, float, bool)) for item in node):
            yield prefix, ",".join(str(item) for item in node)
    elif isinstance(node, (str, int, float, bool)):
        yield prefix, str(node)


__all__ = ["ImageMetadata", "read_metadata"]
