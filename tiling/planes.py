"""Channel / z / time planes of a multi-plane image and the large-image frame of each.

large-image's tiff source numbers the pages of an OME-TIFF series as frames without naming
their channel, z or time index, so the layout is read once from the series axes with tifffile:
frames follow the page order of the series, the non-spatial axes raveled in their stored order.
Files with a single plane (RGB slides) have no frame: the default plane (0, 0, 0) maps to None.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import tifffile

from contracts.pyramid import TileOutOfRange

PLANE_AXES = "CZT"
"""Axes that name planes, in Cytomine's order (channel, z stack, time)."""
_SPATIAL = "YXS"
_CACHE_SIZE = 64

_layouts: OrderedDict[tuple[str, int], Layout] = OrderedDict()
_lock = threading.Lock()


class Plane(NamedTuple):
    """One plane of an image: channel, z stack and time indexes."""

    channel: int = 0
    z: int = 0
    t: int = 0


class Layout(NamedTuple):
    """Plane axes of an image in stored order, their sizes and the channel names."""

    axes: str
    shape: tuple[int, ...]
    channel_names: tuple[str, ...] = ()

    def size(self, axis: str) -> int:
        """Number of planes along one of C, Z, T (1 when the axis is absent)."""
        return self.shape[self.axes.index(axis)] if axis in self.axes else 1

    @property
    def frames(self) -> int:
        """Number of large-image frames (1 for a single-plane image)."""
        return int(np.prod(self.shape)) if self.shape else 1


SINGLE = Layout("", ())


def layout(path: str | Path) -> Layout:
    """The plane layout of a file, cached by (path, modification time)."""
    key = (str(path), Path(path).stat().st_mtime_ns)
    with _lock:
        if key in _layouts:
            _layouts.move_to_end(key)
            return _layouts[key]
    found = _read_layout(str(path))
    with _lock:
        _layouts[key] = found
        while len(_layouts) > _CACHE_SIZE:
            _layouts.popitem(last=False)
    return found


def _read_layout(path: str) -> Layout:
    """Read the axes of the first series of a TIFF; anything else has a single plane."""
    try:
        with tifffile.TiffFile(path) as tif:
            series = tif.series[0]
            names = _channel_names(tif) if tif.is_ome else ()
            axes, shape = series.axes, tuple(series.shape)
    except (tifffile.TiffFileError, OSError, IndexError, ValueError):
        return SINGLE
    kept = [(a, n) for a, n in zip(axes, shape, strict=True) if a not in _SPATIAL]
    if not kept or any(a not in PLANE_AXES for a, n in kept if n > 1):
        return SINGLE
    kept = [(a, n) for a, n in kept if a in PLANE_AXES]
    return Layout("".join(a for a, _ in kept), tuple(n for _, n in kept), names)


def _channel_names(tif: tifffile.TiffFile) -> tuple[str, ...]:
    """Channel names of an OME-TIFF's first image, if present."""
    try:
        pixels: Any = tifffile.xml2dict(tif.ome_metadata or "")["OME"]["Image"]
        pixels = (pixels[0] if isinstance(pixels, list) else pixels)["Pixels"]
        channels = pixels.get("Channel") or []
    except (KeyError, TypeError, ValueError, IndexError):
        return ()
    channels = channels if isinstance(channels, list) else [channels]
    return tuple(str(c.get("Name") or "") for c in channels if isinstance(c, dict))


def frame_of(path: str | Path, plane: Plane) -> int | None:
    """The large-image frame of a plane; None for the only plane; TileOutOfRange outside."""
    found = layout(path)
    index = []
    for axis, value in zip(PLANE_AXES, plane, strict=True):
        if not 0 <= value < found.size(axis):
            raise TileOutOfRange("Plane", f"c={plane.channel} z={plane.z} t={plane.t}")
    for axis in found.axes:
        index.append(plane[PLANE_AXES.index(axis)])
    if found.frames <= 1:
        return None
    return int(np.ravel_multi_index(index, found.shape))


def planes_of_channels(path: str | Path, z: int = 0, t: int = 0) -> list[Plane]:
    """Every channel plane at one (z, t)."""
    return [Plane(c, z, t) for c in range(layout(path).size("C"))]


__all__ = ["PLANE_AXES", "SINGLE", "Layout", "Plane", "frame_of", "layout", "planes_of_channels"]
