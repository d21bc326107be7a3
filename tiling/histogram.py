"""Intensity histograms of an image, computed on a low-resolution read and cached per file.

One read of at most ``SAMPLE_SIZE`` pixels per side gives full-range counts per band (256 bins
for 8-bit data, 65536 for 16-bit); any requested bin count is an exact regrouping of those, so
only the counts are cached, keyed by (path, modification time, frame). Histograms are of the
"FAST" kind in the image server's terms: they describe the sampled pixels, not every pixel.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
import numpy as np
from large_image.constants import TILE_FORMAT_NUMPY  # type: ignore[import-untyped]

from tiling import levels, planes, sources
from tiling.errors import InvalidRegion

SAMPLE_SIZE = 1024
MAX_BINS = 65536
RGB_COLORS = ("#f00", "#0f0", "#00f")
_CACHE_SIZE = 128

_counts: OrderedDict[tuple[str, int, int | None], Counts] = OrderedDict()
_lock = threading.Lock()


class Counts(NamedTuple):
    """Full-range counts of each band of one frame (read-only arrays) and their bit depth."""

    bands: tuple[np.ndarray, ...]
    bits: int


class Histogram(msgspec.Struct, kw_only=True, rename="camel"):
    """An intensity histogram with its bounds and the range of its non-empty bins."""

    type: str = "FAST"
    minimum: int
    maximum: int
    first_bin: int
    last_bin: int
    n_bins: int
    histogram: list[int]


class ChannelHistogram(Histogram, kw_only=True, rename="camel"):
    """The histogram of one channel (one band of an RGB plane) of one plane."""

    channel: int
    """Concrete channel (the plane's channel; an RGB plane is one channel)."""
    apparent_channel: int
    sample: int
    color: str | None = None
    z_slice: int = 0
    timepoint: int = 0


BOUNDS_KEYS = ("type", "minimum", "maximum")
"""Keys of a histogram kept by the ``bounds`` answers (with a channel's identifying keys)."""


def counts(path: str | Path, frame: int | None = None) -> Counts:
    """Full-range counts per band of one frame, cached by (path, modification time, frame)."""
    key = (str(path), Path(path).stat().st_mtime_ns, frame)
    with _lock:
        if key in _counts:
            _counts.move_to_end(key)
            return _counts[key]
    found = _count(path, frame)
    with _lock:
        _counts[key] = found
        while len(_counts) > _CACHE_SIZE:
            _counts.popitem(last=False)
    return found


def _count(path: str | Path, frame: int | None) -> Counts:
    """Read a low-resolution version of one frame and count each band's values."""
    src = sources.open_source(path)
    # Never upsample: large-image scales small images up to the requested output size.
    output = {"maxWidth": min(SAMPLE_SIZE, src.sizeX), "maxHeight": min(SAMPLE_SIZE, src.sizeY)}
    whole = levels.Box(0, 0, src.sizeX, src.sizeY)
    sources.check_decode(src, whole, output["maxWidth"], output["maxHeight"])
    extra: dict[str, Any] = {} if frame is None else {"frame": frame}
    pixels, _ = src.getRegion(output=output, format=TILE_FORMAT_NUMPY, **extra)
    pixels = np.asarray(pixels)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    if pixels.dtype.kind not in "ui":
        pixels = np.clip(pixels.astype(np.float64) * 255.0, 0, 255).astype(np.uint8)
    bits = 8 if pixels.dtype.itemsize == 1 else 16
    bands = pixels.shape[2] if pixels.shape[2] in (1, 3) else min(pixels.shape[2], 3)
    values = np.clip(pixels[..., :bands].astype(np.int64), 0, (1 << bits) - 1)
    found = tuple(np.bincount(values[..., b].ravel(), minlength=1 << bits) for b in range(bands))
    for band in found:
        band.flags.writeable = False
    return Counts(found, bits)


def check_bins(n_bins: int) -> int:
    """A bin count between 1 and MAX_BINS; InvalidRegion otherwise."""
    if not 1 <= n_bins <= MAX_BINS:
        raise InvalidRegion(f"nBins must be between 1 and {MAX_BINS}")
    return n_bins


def histogram(full: np.ndarray, bits: int, n_bins: int) -> Histogram:
    """Regroup full-range counts into n_bins equal bins of the range [0, 2**bits)."""
    check_bins(n_bins)
    span = 1 << bits
    index = (np.arange(span, dtype=np.int64) * n_bins) // span
    binned = np.bincount(index, weights=full, minlength=n_bins).astype(np.int64)
    present = np.flatnonzero(full)
    filled = np.flatnonzero(binned)
    lo, hi = (int(present[0]), int(present[-1])) if present.size else (0, 0)
    first, last = (int(filled[0]), int(filled[-1])) if filled.size else (0, 0)
    return Histogram(
        minimum=lo,
        maximum=hi,
        first_bin=first,
        last_bin=last,
        n_bins=n_bins,
        histogram=[int(v) for v in binned],
    )


def band_histograms(found: Counts, n_bins: int) -> list[Histogram]:
    """One histogram per band of a frame's counts."""
    return [histogram(band, found.bits, n_bins) for band in found.bands]


def merged(all_counts: list[Counts], n_bins: int) -> Histogram:
    """One histogram of every band of several frames together (same bit depth)."""
    bits = max(c.bits for c in all_counts)
    total = np.zeros(1 << bits, np.int64)
    for found in all_counts:
        for band in found.bands:
            total[: len(band)] += band
    return histogram(total, bits, n_bins)


def channel_histograms(
    path: str | Path, plane_list: list[planes.Plane], n_bins: int
) -> list[ChannelHistogram]:
    """One histogram per channel of each plane; an RGB plane gives one per band."""
    check_bins(n_bins)
    found: list[ChannelHistogram] = []
    for plane in plane_list:
        bands = counts(path, planes.frame_of(path, plane))
        rgb = len(bands.bands) == 3
        for sample, item in enumerate(band_histograms(bands, n_bins)):
            found.append(
                ChannelHistogram(
                    **msgspec.structs.asdict(item),
                    channel=plane.channel,
                    apparent_channel=sample if rgb else plane.channel,
                    sample=sample,
                    color=RGB_COLORS[sample] if rgb else None,
                    z_slice=plane.z,
                    timepoint=plane.t,
                )
            )
    return found


def image_histogram(path: str | Path, n_bins: int) -> Histogram:
    """One histogram of every channel of the first z stack and time point together."""
    check_bins(n_bins)
    plane_list = planes.planes_of_channels(path)
    return merged([counts(path, planes.frame_of(path, p)) for p in plane_list], n_bins)


__all__ = [
    "MAX_BINS",
    "RGB_COLORS",
    "BOUNDS_KEYS",
    "ChannelHistogram",
    "Counts",
    "Histogram",
    "band_histograms",
    "channel_histograms",
    "check_bins",
    "counts",
    "histogram",
    "image_histogram",
    "merged",
]
