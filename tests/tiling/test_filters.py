"""Image filters: global thresholds from the plane's histogram and colour deconvolution."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tiling import filters, histogram, levels, sources
from tiling.errors import UnknownFilter
from tiling.filters import Filter

WIDTH, HEIGHT = 512, 256


@pytest.fixture(scope="module")
def gradient(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 512x256 gray ramp: column x has value x // 2 (0..255), every value on 2x256 pixels."""
    row = (np.arange(WIDTH) // 2).astype(np.uint8)
    pixels = np.repeat(np.tile(row, (HEIGHT, 1))[..., None], 3, axis=2)
    path = tmp_path_factory.mktemp("filters") / "ramp.png"
    Image.fromarray(pixels).save(path)
    return path


def decoded(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def hist(counts: list[int], start: int = 0) -> filters.Hist:
    values = np.asarray(counts, np.float64)
    return values, np.arange(start, start + values.size, dtype=np.float64)


def two_peaks() -> list[int]:
    """Counts of 0..255: peaks at 60 and 190 on a flat floor of 1 (from about 92 to 150)."""
    x = np.arange(256)
    return [
        1 + int(v)
        for v in 1000 * np.exp(-(((x - 60) / 12.0) ** 2)) + 600 * np.exp(-(((x - 190) / 15.0) ** 2))
    ]


def test_thresholds_of_a_flat_histogram_split_it_in_the_middle() -> None:
    flat = hist([10] * 256)
    assert filters.THRESHOLDS["otsu"](flat) == 127
    assert filters.THRESHOLDS["isodata"](flat) == 127
    assert filters.THRESHOLDS["mean"](flat) == 127.5
    assert filters.THRESHOLDS["yen"](flat) == 127


def test_thresholds_of_two_classes_fall_between_them() -> None:
    found = {name: rule(hist(two_peaks())) for name, rule in filters.THRESHOLDS.items()}
    for name in ("otsu", "isodata", "minimum"):
        assert 80 <= found[name] <= 160, (name, found[name])
    # The valley of the smoothed histogram: where the counts are lowest between the peaks.
    assert two_peaks()[int(found["minimum"])] == min(two_peaks()[60:191])
    weights = np.asarray(two_peaks(), np.float64)
    assert found["mean"] == pytest.approx(float(np.average(np.arange(256), weights=weights)))


def test_yen_maximises_the_entropic_correlation() -> None:
    counts = np.asarray(two_peaks(), np.float64)
    p = counts / counts.sum()

    def correlation(t: int) -> float:
        low, high = p[: t + 1], p[t + 1 :]
        return float(
            -np.log(np.sum((low / low.sum()) ** 2)) - np.log(np.sum((high / high.sum()) ** 2))
        )

    best = max(range(255), key=correlation)
    assert filters.THRESHOLDS["yen"](hist(two_peaks())) == best


def test_minimum_finds_the_valley_between_plateaus() -> None:
    # Peaks are flat tops (bins 1-2 and 4-6); smoothing is not needed to see two of them.
    assert filters.THRESHOLDS["minimum"](hist([1, 5, 5, 2, 6, 6, 6, 1], start=10)) == 13


def test_minimum_of_a_single_peak_falls_back_to_the_mean() -> None:
    one_peak = hist([1, 2, 5, 9, 5, 2, 1], start=100)
    assert filters.THRESHOLDS["minimum"](one_peak) == filters.THRESHOLDS["mean"](one_peak)


def test_gray_histogram_weights_the_bands_by_luminance_and_clamps_to_its_range() -> None:
    red = np.zeros(256, np.int64)
    red[200] = 10
    green = np.zeros(256, np.int64)
    green[100] = 10
    blue = np.zeros(256, np.int64)
    blue[150] = 10
    counts, centers = filters.gray_histogram(histogram.Counts((red, green, blue), 8))
    assert (centers[0], centers[-1]) == (100, 200)
    assert counts[0] == pytest.approx(7.154)
    assert counts[50] == pytest.approx(0.721)
    assert counts[100] == pytest.approx(2.125)


def test_sixteen_bit_histograms_are_regrouped_to_eight_bits() -> None:
    band = np.zeros(65536, np.int64)
    band[[0, 255, 256, 65535]] = 1
    counts, centers = filters.gray_histogram(histogram.Counts((band,), 16))
    assert centers.tolist() == list(range(256))
    assert (counts[0], counts[1], counts[255]) == (2, 1, 1)


def test_binary_of_a_ramp_is_black_up_to_the_threshold_and_white_beyond(gradient: Path) -> None:
    chosen = filters.parse("binary")
    data, media = filters.render(
        gradient, None, chosen, "png", lambda: sources.tile_pixels(gradient, 1, 0, 0)
    )
    assert media == "image/png"
    out = decoded(data)
    assert out.shape == (256, 256, 3)
    # Full resolution (zoom 1): tile 0 holds columns 0..255, values 0..127; the ramp's
    # histogram is flat so the threshold is 127: only the last value (127) is not above it.
    assert (out == 0).all()
    right, _ = filters.render(
        gradient, None, chosen, "png", lambda: sources.tile_pixels(gradient, 1, 1, 0)
    )
    # Tile 1 holds 128..255: all brighter than the image's threshold. A per-tile threshold
    # would split this tile in two; the whole image's histogram keeps it white.
    assert (decoded(right)[:HEIGHT] == 255).all()


def test_every_threshold_of_a_ramp_splits_its_columns_at_the_threshold(gradient: Path) -> None:
    pixels = sources.region_pixels(gradient, levels.Box(0, 0, WIDTH, HEIGHT))
    counts = histogram.counts(gradient)
    for method in filters.THRESHOLDS:
        level = filters.threshold(method, counts)
        out = filters.apply((Filter(method),), pixels, lambda: counts)
        assert out.ndim == 2 and set(np.unique(out).tolist()) == {0, 255}
        expected = np.where(np.arange(WIDTH) // 2 > level, 255, 0)
        assert (out == expected[None, :]).all(), method


def test_gray_is_the_luminance_of_rgb() -> None:
    pixels = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 100, 100]]], np.uint8)
    assert filters.gray(pixels)[0].tolist() == pytest.approx(
        [0.2125 * 255, 0.7154 * 255, 0.0721 * 255, 100.0]
    )


def stained(matrix: np.ndarray, amounts: list[float]) -> np.ndarray:
    """The 8-bit RGB pixel transmitting light through the given amounts of each stain."""
    density = np.asarray(amounts) @ matrix
    return np.clip(np.rint(255.0 * 10.0 ** (-density * 6.0)), 0, 255).astype(np.uint8)


def test_he_deconvolution_separates_haematoxylin_from_eosin() -> None:
    he = filters.STAINS["he"]
    pixel = stained(he, [0.15, 0.1, 0.0])[None, None, :]
    hema = filters.deconvolve(pixel, "he-hematoxylin")[0, 0].astype(int)
    eosin = filters.deconvolve(pixel, "he-eosin")[0, 0].astype(int)
    assert np.abs(hema - stained(he, [0.15, 0.0, 0.0]).astype(int)).max() <= 2
    assert np.abs(eosin - stained(he, [0.0, 0.1, 0.0]).astype(int)).max() <= 2
    # Haematoxylin renders blue-purple (blue brightest), eosin pink (red brightest).
    assert hema[2] > hema[0] and hema[2] > hema[1]
    assert eosin[0] > eosin[1] and eosin[0] > eosin[2]


def test_white_stays_white_in_every_stain() -> None:
    pixels = np.array([[[255, 255, 255]]], np.uint8)
    for method in filters.DECONVOLUTIONS:
        assert filters.deconvolve(pixels, method)[0, 0].tolist() == [255, 255, 255], method


def test_subtractive_rgb_and_cmy_keep_one_colour() -> None:
    pixels = np.array([[[255, 0, 0], [0, 255, 255]]], np.uint8)
    assert filters.deconvolve(pixels, "rgb-red")[0].tolist() == [[255, 0, 0], [255, 255, 255]]
    # Cyan is what green and blue "stains" transmit together (half of each).
    assert filters.deconvolve(pixels, "rgb-green")[0].tolist() == [[255, 255, 255], [0, 255, 0]]
    assert filters.deconvolve(pixels, "rgb-blue")[0].tolist() == [[255, 255, 255], [0, 0, 255]]
    assert filters.deconvolve(pixels, "cmy-cyan")[0].tolist() == [[255, 255, 255], [0, 255, 255]]
    assert filters.deconvolve(pixels, "cmy-magenta")[0].tolist() == [[255, 0, 255], [255] * 3]


def test_dab_deconvolution_ranges() -> None:
    hdx = filters.STAINS["hdx"]
    brown = stained(hdx, [0.0, 0.2, 0.0])[None, None, :]
    dab = filters.deconvolve(brown, "hdab-dab")[0, 0].astype(int)
    hema = filters.deconvolve(brown, "hdab-hematoxylin")[0, 0].astype(int)
    assert np.abs(dab - brown[0, 0].astype(int)).max() <= 2
    assert hema.min() >= 250


def test_names_are_case_insensitive_with_the_core_aliases() -> None:
    assert filters.parse("BINARY") == (Filter("isodata"),)
    assert filters.parse(" he-haematoxylin") == (Filter("he-hematoxylin"),)
    assert filters.parse("R_RGB") == filters.parse("rgb-red") == (Filter("rgb-red"),)
    assert filters.parse("") == ()
    assert filters.tag(filters.parse("Otsu")) == ("filters", "otsu")
    assert filters.tag(()) == ()


def test_unknown_filter_is_named() -> None:
    with pytest.raises(UnknownFilter) as caught:
        filters.parse("sharpen")
    assert "'sharpen'" in str(caught.value)
    with pytest.raises(UnknownFilter):
        filters.parse("otsu,yen")  # one filter per picture: a list is no filter name
