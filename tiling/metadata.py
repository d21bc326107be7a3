"""What a slide file holds, read once at ingest through large-image (synchronous, blocking)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import large_image  # type: ignore[import-untyped]
import msgspec
import tifffile
from large_image.exceptions import TileSourceError  # type: ignore[import-untyped]

from tiling import config, planes
from tiling.errors import ERROR_INTEGRITY, UnreadableImage

MAX_PROPERTIES = 2000
MAX_VALUE_CHARS = 2000
MAX_MICRONS_PER_PIXEL = 100.0
"""Coarser resolutions are screen or print densities (72 dpi is 353 µm/px), not optics."""
_UNITS_IN_MICRONS = {
    "pm": 1e-6,
    "Å": 1e-4,
    "nm": 1e-3,
    "µm": 1.0,
    "um": 1.0,
    "mm": 1e3,
    "cm": 1e4,
    "m": 1e6,
}
_MAGNIFICATION_KEYS = ("objective-power", "AppMag", "SourceLens", "NominalMagnification")
_FORMATS_BY_VENDOR = {
    "aperio": "SVS",
    "hamamatsu": "NDPI",
    "mirax": "MRXS",
    "leica": "SCN",
    "ventana": "VENTANA",
    "philips": "PHILIPS",
}
_FORMATS_BY_EXT = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "bmp": "BMP"}


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
    format: str | None = None
    """Cytomine's format identifier (SVS, PYRTIFF, PLANARTIFF, OMETIFF, JPEG...)."""
    properties: dict[str, str] = {}
    """Vendor metadata flattened to ``namespace.key`` -> text."""


def read_metadata(path: str, declared_by: str | None = None) -> ImageMetadata:
    """Open ``path`` uncached, check that pixels can be read, and describe it.

    ``declared_by`` names the file the image was converted from: its OME-XML (pixel size,
    channel names, objective) completes what the converted copy carries.
    """
    config.configure()
    try:
        source = large_image.open(path, noCache=True)
        meta = source.getMetadata()
    except (TileSourceError, OSError, ValueError) as exc:
        raise UnreadableImage("The file format is not recognised or the file is damaged") from exc
    _check_pixels(source, meta)
    described = _describe(source, {**meta, **_plane_ranges(path, meta)})
    ome = _ome_optics(declared_by or path)
    names = ome.pop("channel_names", ())
    if names and len(names) == described.channels and not described.channel_names:
        ome["channel_names"] = names
    return msgspec.structs.replace(described, **ome)


def format_of(path: str, meta: ImageMetadata | None = None) -> str:
    """Cytomine's identifier of the file's format, from its vendor, container and levels.

    Without ``meta`` (a file large-image cannot open) only the container is looked at.
    """
    props = meta.properties if meta is not None else {}
    vendor = props.get("openslide.openslide.vendor", "").lower()
    if vendor in _FORMATS_BY_VENDOR:
        return _FORMATS_BY_VENDOR[vendor]
    if any(key.startswith(("aperio.", "openslide.aperio.")) for key in props):
        return "SVS"
    ext = Path(path).suffix.lstrip(".").lower()
    if ext in ("tif", "tiff", "btf", "tf8"):
        ome, levels = _tiff_layout(path)
        if ome:
            return "PYROMETIFF" if levels > 1 else "OMETIFF"
        return "PYRTIFF" if levels > 1 else "PLANARTIFF"
    return _FORMATS_BY_EXT.get(ext, ext.upper() or "UNKNOWN")


def _tiff_layout(path: str) -> tuple[bool, int]:
    """Whether a TIFF carries OME-XML, and how many resolution levels it stores."""
    try:
        with tifffile.TiffFile(path) as tif:
            return bool(tif.is_ome), len(tif.series[0].levels) if tif.series else 1
    except (OSError, ValueError, RuntimeError, tifffile.TiffFileError):
        return False, 1


def stored_levels(path: str) -> int | None:
    """Resolution levels a TIFF-based file stores (None for other containers)."""
    try:
        with tifffile.TiffFile(path) as tif:
            return len(tif.series[0].levels) if tif.series else None
    except (OSError, ValueError, RuntimeError, tifffile.TiffFileError):
        return None


def _ome_optics(path: str) -> dict[str, Any]:
    """Pixel size (µm), objective magnification and channel names declared in OME-XML."""
    try:
        with tifffile.TiffFile(path) as tif:
            text = tif.ome_metadata if tif.is_ome else None
    except (OSError, ValueError, tifffile.TiffFileError):
        return {}
    if not text:
        return {}
    try:
        # expat (>= 2.4) bounds entity expansion and never fetches external entities.
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError:
        return {}
    found: dict[str, Any] = {}
    pixels = next((el for el in root.iter() if el.tag.endswith("}Pixels")), None)
    if pixels is not None:
        for axis in ("X", "Y"):
            size = _ome_length(
                pixels.get(f"PhysicalSize{axis}"), pixels.get(f"PhysicalSize{axis}Unit")
            )
            if size is not None:
                found[f"physical_size_{axis.lower()}"] = size
        names = [el.get("Name") or "" for el in pixels if el.tag.endswith("}Channel")]
        if names and all(names):
            found["channel_names"] = tuple(names)
    objective = next((el for el in root.iter() if el.tag.endswith("}Objective")), None)
    if objective is not None:
        mag = _magnification(_number(objective.get("NominalMagnification")))
        if mag is not None:
            found["magnification"] = mag
    return found


def _ome_length(value: str | None, unit: str | None) -> float | None:
    number = _number(value)
    scale = _UNITS_IN_MICRONS.get((unit or "µm").replace("μ", "µ"))
    if number is None or scale is None or number <= 0:
        return None
    return number * scale


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


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
        magnification=_declared_magnification(_internal(source)),
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


def _declared_magnification(internal: Mapping[str, Any]) -> int | None:
    """The objective power a vendor property states; never estimated from the pixel size."""
    for key, value in _flatten_properties(internal).items():
        if key.rsplit(".", 1)[-1] in _MAGNIFICATION_KEYS:
            found = _magnification(_number(value))
            if found is not None:
                return found
    return None


def _magnification(value: Any) -> int | None:
    if value is None or not math.isfinite(float(value)) or float(value) <= 0:
        return None
    return round(float(value))


def _micrometres(mm: Any) -> float | None:
    if mm is None or not math.isfinite(float(mm)) or float(mm) <= 0:
        return None
    microns = float(mm) * 1000.0
    return microns if microns <= MAX_MICRONS_PER_PIXEL else None


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


__all__ = ["ImageMetadata", "format_of", "read_metadata", "stored_levels"]
