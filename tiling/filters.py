"""Image filters of the viewer (``filters=<method>``): global thresholds and colour deconvolution.

Names are those of Cytomine's image server, compared case-insensitively, with its aliases (the
Web UI sends the ``method`` of the image filters registered in the core: ``binary``,
``he-eosin``, ``r_rgb``...); as there, a picture takes at most one filter. Two families:

- Global thresholds (``otsu``, ``isodata`` alias ``binary``, ``yen``, ``minimum``, ``mean``)
  turn the picture to gray and keep the pixels brighter than a threshold. The threshold comes
  from the histogram of the whole plane (``tiling.histogram`` counts), never from the pixels of
  one tile, so that neighbouring tiles agree at their borders. The gray histogram is the
  luminance-weighted sum of the band histograms, regrouped to 8 bits, as the image server does.
- Colour deconvolution (Ruifrok and Johnston's optical-density model) keeps one stain of an
  RGB picture and renders it back in that stain's colour: H&E, H-DAB, H&E-DAB, Giemsa, and the
  subtractive RGB / CMY "stains" of the ``r_rgb``... ``y_cmy`` filters.

Pixels are 8-bit arrays as the renderers decode them (HxWx3, or HxW for gray).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tiling import histogram, sources
from tiling.errors import UnknownFilter
from tiling.histogram import Counts

LUMINANCE = np.array([0.2125, 0.7154, 0.0721])
_OD_FLOOR = 1e-6  # smallest transmitted light fraction: keeps log() finite on black pixels
_MINIMUM_ITERATIONS = 10_000

Hist = tuple[np.ndarray, np.ndarray]
"""Counts of the non-empty range of a histogram and the intensity of each bin."""


def _otsu(hist: Hist) -> float:
    """The intensity maximising the between-class variance."""
    counts, centers = hist[0].astype(np.float64), hist[1]
    if counts.size < 2:
        return float(centers[0])
    low_weight = np.cumsum(counts)
    high_weight = np.cumsum(counts[::-1])[::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        low_mean = np.cumsum(counts * centers) / low_weight
        high_mean = (np.cumsum((counts * centers)[::-1]) / high_weight[::-1])[::-1]
    between = low_weight[:-1] * high_weight[1:] * (low_mean[:-1] - high_mean[1:]) ** 2
    return float(centers[int(np.argmax(np.nan_to_num(between, nan=-1.0)))])


def _isodata(hist: Hist) -> float:
    """The first intensity equal (within a bin) to the mean of the two class means it splits."""
    counts, centers = hist[0].astype(np.float64), hist[1]
    if counts.size < 2:
        return float(centers[0])
    low_count = np.cumsum(counts)
    high_count = low_count[-1] - low_count
    weighted = np.cumsum(counts * centers)
    with np.errstate(invalid="ignore", divide="ignore"):
        low_mean = weighted[:-1] / low_count[:-1]
        high_mean = (weighted[-1] - weighted[:-1]) / high_count[:-1]
    midpoint = (low_mean + high_mean) / 2.0
    distance = midpoint - centers[:-1]
    found = centers[:-1][(distance >= 0) & (distance < centers[1] - centers[0])]
    return float(found[0]) if found.size else _otsu(hist)


def _yen(hist: Hist) -> float:
    """Yen's maximum-correlation threshold."""
    counts, centers = hist[0].astype(np.float64), hist[1]
    if counts.size < 2:
        return float(centers[0])
    pmf = counts / counts.sum()
    cumulative = np.cumsum(pmf)
    low_sq = np.cumsum(pmf**2)
    high_sq = np.cumsum((pmf**2)[::-1])[::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        criterion = np.log(
            (cumulative[:-1] * (1.0 - cumulative[:-1])) ** 2 / (low_sq[:-1] * high_sq[1:])
        )
    criterion[~np.isfinite(criterion)] = -np.inf
    return float(centers[int(np.argmax(criterion))])


def _peaks(values: np.ndarray) -> np.ndarray:
    """Indices where a rising histogram starts falling (local maxima; a plateau's last bin)."""
    steps = np.flatnonzero(np.diff(values))
    signs = np.sign(np.diff(values)[steps])
    before = np.concatenate(([1.0], signs[:-1]))  # a histogram starts out rising
    return steps[(signs < 0) & (before > 0)]


def _minimum(hist: Hist) -> float:
    """The valley between the two peaks left by smoothing the histogram (3-bin moving mean).

    A histogram that never becomes bimodal (one flat or single-peaked class) has no valley;
    its mean is used then, where the image server would fail the request.
    """
    counts, centers = hist[0].astype(np.float64), hist[1]
    smooth = counts
    peaks = _peaks(smooth)
    for _ in range(_MINIMUM_ITERATIONS):
        if len(peaks) < 3:
            break
        padded = np.pad(smooth, 1, mode="edge")
        smooth = (padded[:-2] + padded[1:-1] + padded[2:]) / 3.0
        peaks = _peaks(smooth)
    if len(peaks) != 2:
        return _mean(hist)
    first, second = int(peaks[0]), int(peaks[1])
    return float(centers[first + int(np.argmin(smooth[first : second + 1]))])


def _mean(hist: Hist) -> float:
    """The mean intensity."""
    return float(np.average(hist[1], weights=hist[0]))


THRESHOLDS: dict[str, Callable[[Hist], float]] = {
    "otsu": _otsu,
    "isodata": _isodata,
    "yen": _yen,
    "minimum": _minimum,
    "mean": _mean,
}


def _with_cross(first: list[float], second: list[float]) -> np.ndarray:
    """A stain matrix whose third stain is orthogonal to the two given ones."""
    rows = np.array([first, second, [0.0, 0.0, 0.0]])
    rows[2] = np.cross(rows[0], rows[1])
    return rows


# Rows: the RGB optical-density vector of each stain (Ruifrok and Johnston, 2001; H&E from
# the colour deconvolution plugin of ImageJ/Fiji).
STAINS: dict[str, np.ndarray] = {
    "hed": np.array([[0.65, 0.70, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]]),
    "hdx": _with_cross([0.650, 0.704, 0.286], [0.268, 0.570, 0.776]),
    "bex": _with_cross([0.834750233, 0.513556283, 0.196330403], [0.092789, 0.954111, 0.283111]),
    "he": _with_cross([0.644211, 0.716556, 0.266844], [0.092789, 0.954111, 0.283111]),
    "rgb": np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]),
    "cmy": np.eye(3),
}

# Method -> (stain matrix, stain kept).
DECONVOLUTIONS: dict[str, tuple[str, int]] = {
    "hedab-hematoxylin": ("hed", 0),
    "hedab-eosin": ("hed", 1),
    "hedab-dab": ("hed", 2),
    "giemsa-methylblue": ("bex", 0),
    "giemsa-eosin": ("bex", 1),
    "hdab-hematoxylin": ("hdx", 0),
    "hdab-dab": ("hdx", 1),
    "he-hematoxylin": ("he", 0),
    "he-eosin": ("he", 1),
    "rgb-red": ("rgb", 0),
    "rgb-green": ("rgb", 1),
    "rgb-blue": ("rgb", 2),
    "cmy-cyan": ("cmy", 0),
    "cmy-magenta": ("cmy", 1),
    "cmy-yellow": ("cmy", 2),
}

ALIASES = {
    "binary": "isodata",
    "hedab-haematoxylin": "hedab-hematoxylin",
    "hdab-haematoxylin": "hdab-hematoxylin",
    "he-haematoxylin": "he-hematoxylin",
    "r_rgb": "rgb-red",
    "g_rgb": "rgb-green",
    "b_rgb": "rgb-blue",
    "c_cmy": "cmy-cyan",
    "m_cmy": "cmy-magenta",
    "y_cmy": "cmy-yellow",
}


class Filter(NamedTuple):
    """One filter by its canonical method name."""

    method: str

    @property
    def needs_histogram(self) -> bool:
        """Whether the filter reads the plane's histogram (global thresholds)."""
        return self.method in THRESHOLDS


def parse(name: str) -> tuple[Filter, ...]:
    """The filter of a ``filters`` value (none when empty); UnknownFilter otherwise."""
    text = name.strip()
    if not text:
        return ()
    method = ALIASES.get(text.lower(), text.lower())
    if method not in THRESHOLDS and method not in DECONVOLUTIONS:
        raise UnknownFilter(f"Unknown image filter {text!r}", {"filter": text})
    return (Filter(method),)


def gray(pixels: np.ndarray) -> np.ndarray:
    """Luminance of 8-bit RGB pixels (gray pixels unchanged), as float."""
    if pixels.ndim == 2:
        return pixels.astype(np.float64)
    if pixels.shape[2] < 3:
        return pixels[..., 0].astype(np.float64)
    return np.asarray(pixels[..., :3].astype(np.float64) @ LUMINANCE)


def gray_histogram(counts: Counts) -> Hist:
    """The 8-bit luminance histogram of a plane, clamped to its non-empty range."""
    bands = np.stack([band.astype(np.float64) for band in counts.bands])
    total = LUMINANCE @ bands if len(bands) == 3 else bands[0]
    eight = total.reshape(256, -1).sum(axis=1)
    present = np.flatnonzero(eight)
    if present.size == 0:
        return np.ones(1), np.zeros(1)
    low, high = int(present[0]), int(present[-1])
    return eight[low : high + 1], np.arange(low, high + 1, dtype=np.float64)


def threshold(method: str, counts: Counts) -> float:
    """The global threshold of a method for a plane's histogram."""
    return THRESHOLDS[method](gray_histogram(counts))


def deconvolve(pixels: np.ndarray, method: str) -> np.ndarray:
    """Keep one stain of RGB pixels and render it alone in RGB (uint8)."""
    matrix, index = DECONVOLUTIONS[method]
    to_rgb = STAINS[matrix]
    rgb = pixels if pixels.ndim == 3 else np.repeat(pixels[..., None], 3, axis=2)
    light = np.maximum(rgb[..., :3].astype(np.float64) / 255.0, _OD_FLOOR)
    density = np.log(light) / np.log(_OD_FLOOR)
    amount = np.maximum(density @ np.linalg.inv(to_rgb)[:, index], 0.0)
    out = np.exp(np.log(_OD_FLOOR) * amount[..., None] * to_rgb[index])
    return np.asarray(np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8))


def apply(
    chosen: tuple[Filter, ...], pixels: np.ndarray, counts: Callable[[], Counts]
) -> np.ndarray:
    """Apply filters in order; ``counts`` gives the plane's histogram counts when one needs it."""
    for one in chosen:
        if one.needs_histogram:
            level = threshold(one.method, counts())
            pixels = np.where(gray(pixels) > level, 255, 0).astype(np.uint8)
        else:
            pixels = deconvolve(pixels, one.method)
    return pixels


def render(
    path: str | Path,
    frame: int | None,
    chosen: tuple[Filter, ...],
    fmt: str,
    read: Callable[[], np.ndarray],
) -> tuple[bytes, str]:
    """Encode the filtered pixels ``read()`` gives of one frame of an image (its histogram)."""
    pixels = apply(chosen, read(), lambda: histogram.counts(path, frame))
    return sources.encode(pixels, fmt, gray=pixels.ndim == 2)


def adjuster(
    path: str | Path, frame: int | None, chosen: tuple[Filter, ...]
) -> Callable[[np.ndarray], np.ndarray] | None:
    """RGB pixels -> filtered RGB pixels of one frame of an image (None without filters)."""
    if not chosen:
        return None

    def adjust(pixels: np.ndarray) -> np.ndarray:
        out = apply(chosen, pixels, lambda: histogram.counts(path, frame))
        return out if out.ndim == 3 else np.repeat(out[..., None], 3, axis=2)

    return adjust


def tag(chosen: tuple[Filter, ...]) -> tuple[str, ...]:
    """ETag parameters of filters (empty without any, so unfiltered tags stay the same)."""
    return () if not chosen else ("filters", *(one.method for one in chosen))


__all__ = [
    "ALIASES",
    "adjuster",
    "DECONVOLUTIONS",
    "STAINS",
    "THRESHOLDS",
    "Filter",
    "apply",
    "deconvolve",
    "gray",
    "gray_histogram",
    "parse",
    "render",
    "tag",
    "threshold",
]
