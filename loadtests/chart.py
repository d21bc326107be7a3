"""A small line chart of a load run's timeline, drawn with Pillow (no plotting library).

Three panels over the run's seconds: search latency percentiles (with the target as a dashed
line), throughput, and the annotations in the image as the importers grow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, PANEL, MARGIN = 960, 230, 70
COLOURS = {
    "p50": (31, 119, 180),
    "p95": (255, 127, 14),
    "p99": (214, 39, 40),
    "search/s": (44, 160, 44),
    "requests/s": (148, 103, 189),
    "annotations (k)": (90, 90, 90),
}

Series = dict[str, Sequence[float]]


def _ticks(top: float) -> list[float]:
    """About five round steps from 0 to ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 5
    step = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.2
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= raw:
            step *= factor
            break
    return [step * i for i in range(int(top // step) + 2)]


def _panel(
    draw: ImageDraw.ImageDraw,
    top: int,
    xs: Sequence[float],
    series: Series,
    title: str,
    target: float | None = None,
) -> None:
    """One panel: axes, ticks, a dashed target line, the series and their legend."""
    font = ImageFont.load_default()
    left, right, bottom = MARGIN, WIDTH - 20, top + PANEL - 30
    peak = max([target or 0.0, *(v for values in series.values() for v in values)], default=1.0)
    ticks = _ticks(peak * 1.05)
    span_x, span_y = max(xs[-1] if xs else 1.0, 1.0), ticks[-1]

    def at(x: float, y: float) -> tuple[float, float]:
        return left + (right - left) * x / span_x, bottom - (bottom - top - 20) * y / span_y

    draw.text((left, top), title, fill="black", font=font)
    draw.line([(left, top + 20), (left, bottom), (right, bottom)], fill="black")
    for tick in ticks:
        y = at(0, tick)[1]
        draw.line([(left - 4, y), (right, y)], fill=(225, 225, 225))
        draw.text((8, y - 6), f"{tick:g}", fill="black", font=font)
    for second in _ticks(span_x)[:-1]:
        x = at(second, 0)[0]
        draw.text((x - 8, bottom + 4), f"{second:g}s", fill="black", font=font)
    if target is not None:
        y = at(0, target)[1]
        for x in range(left, right, 12):
            draw.line([(x, y), (min(x + 6, right), y)], fill=(214, 39, 40), width=1)
        draw.text((right - 110, y - 14), f"target {target:g}", fill=(214, 39, 40), font=font)
    for i, (name, values) in enumerate(series.items()):
        colour = COLOURS.get(name, (0, 0, 0))
        points = [at(x, v) for x, v in zip(xs, values, strict=True)]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        draw.text((right - 110 * (len(series) - i), top), name, fill=colour, font=font)


def draw_timeline(path: Path, seconds: Sequence[float], panels: list[tuple[str, Series]]) -> None:
    """Write a PNG with one panel per (title, series); the first panel carries the target."""
    image = Image.new("RGB", (WIDTH, PANEL * len(panels) + 10), "white")
    draw = ImageDraw.Draw(image)
    for i, (title, series) in enumerate(panels):
        target = _target(title)
        _panel(draw, 10 + i * PANEL, seconds, series, title, target)
    image.save(path)


def _target(title: str) -> float | None:
    """A title ending in ``<= N ms`` draws N as the target line."""
    if "<=" not in title:
        return None
    try:
        return float(title.rsplit("<=", 1)[1].split()[0])
    except ValueError:
        return None


__all__ = ["draw_timeline"]
