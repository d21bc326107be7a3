"""IIIF Image API 3.0: parse ``{region}/{size}/{rotation}/{quality}.{format}``, build info.json.

Supported (compliance level 2 and more): regions full, square, x,y,w,h and pct:; sizes max,
w,, ,h, pct:n, w,h, !w,h (each optionally ``^`` for upscaling); rotation by multiples of 90
degrees with ``!`` mirroring; qualities default, color, gray and bitonal; formats jpg, png
and webp. ``max`` (and ``^max``) is the largest size inside the published maxWidth, maxHeight
and maxArea, so no request produces more than those.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from PIL import Image

from tiling import levels, sources
from tiling.errors import InvalidImageRequest

FORMATS = ("jpg", "png", "webp")
QUALITIES = ("default", "color", "gray", "bitonal")
PROFILE = "level2"
"""Compliance level: every level 2 feature, format (jpg, png) and quality is served."""
EXTRA_FEATURES = ["mirroring", "sizeUpscaling"]
"""Features served beyond level 2 (level 2 covers region and size forms, 90° rotations,
the base URI redirect, CORS and the JSON-LD media type)."""
EXTRA_FORMATS = ["webp"]
EXTRA_QUALITIES = ["color", "gray", "bitonal"]
"""Every quality beyond ``default`` (the specification asks info.json to list them all)."""
_NUM = r"\d+(?:\.\d*)?|\.\d+"
_PCT4 = re.compile(rf"^pct:({_NUM}),({_NUM}),({_NUM}),({_NUM})$")
_PX4 = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
_WH = re.compile(r"^(!)?(\d+)?,(\d+)?$")


class Plan(NamedTuple):
    """A parsed IIIF request: what to read, how big, and how to transform it."""

    box: levels.Box
    out_width: int
    out_height: int
    rotation: int
    mirror: bool
    quality: str
    fmt: str


def _bad(part: str, value: str) -> InvalidImageRequest:
    """The 400 error for an unparsable or unsupported parameter."""
    return InvalidImageRequest(f"Invalid IIIF {part}: {value!r}")


def parse_region(text: str, width: int, height: int) -> levels.Box:
    """Region parameter to a full-resolution box clipped to the image."""
    if text == "full":
        return levels.Box(0, 0, width, height)
    if text == "square":
        side = min(width, height)
        return levels.Box((width - side) // 2, (height - side) // 2, side, side)
    px, pct = _PX4.match(text), _PCT4.match(text)
    if px:
        x, y, w, h = (int(v) for v in px.groups())
    elif pct:
        fx, fy, fw, fh = (float(v) for v in pct.groups())
        x, y = round(fx * width / 100), round(fy * height / 100)
        w, h = round(fw * width / 100), round(fh * height / 100)
    else:
        raise _bad("region", text)
    if w <= 0 or h <= 0 or x >= width or y >= height:
        raise _bad("region", text)
    return levels.Box(x, y, min(w, width - x), min(h, height - y))


def parse_size(text: str, rw: int, rh: int) -> tuple[int, int]:
    """Size parameter to an output size for a rw x rh region (``^`` allows upscaling)."""
    up = text.startswith("^")
    body = text[1:] if up else text
    size = _size(body, rw, rh, up)
    if size is None:
        raise _bad("size", text)
    w, h = size
    if w < 1 or h < 1 or (not up and (w > rw or h > rh)):
        raise _bad("size", text)
    sources.check_output(w, h)
    return w, h


def _size(body: str, rw: int, rh: int, up: bool) -> tuple[int, int] | None:
    """Output size of a size parameter without its ``^``; None when unparsable."""
    if body == "max":
        # The largest size the published maxWidth/maxHeight/maxArea allow (upscaled with ^).
        return sources.fit_output(rw, rh, upscale=up)
    if body.startswith("pct:"):
        try:
            pct = float(body[4:])
        except ValueError:
            return None
        return round(rw * pct / 100), round(rh * pct / 100)
    found = _WH.match(body)
    if found is None or (found[2] is None and found[3] is None):
        return None
    w, h = (int(found[2]) if found[2] else None), (int(found[3]) if found[3] else None)
    if found[1]:
        if w is None or h is None:
            return None
        scale = min(w / rw, h / rh)
        return max(1, min(w, round(rw * scale))), max(1, min(h, round(rh * scale)))
    return sources.output_size(rw, rh, w, h)


def parse_rotation(text: str) -> tuple[int, bool]:
    """Rotation parameter to (degrees in 0/90/180/270, mirror first)."""
    mirror = text.startswith("!")
    body = text[1:] if mirror else text
    try:
        degrees = float(body)
    except ValueError:
        raise _bad("rotation", text) from None
    if not 0 <= degrees <= 360 or degrees % 90:
        raise _bad("rotation", text)
    return int(degrees) % 360, mirror


def parse_quality_format(text: str) -> tuple[str, str]:
    """``quality.format`` to (quality, format)."""
    quality, _, fmt = text.rpartition(".")
    if quality not in QUALITIES or fmt not in FORMATS:
        raise _bad("quality or format", text)
    return quality, fmt


def parse(
    region: str, size: str, rotation: str, quality_format: str, width: int, height: int
) -> Plan:
    """Parse the four path parameters of an image request for a width x height image."""
    box = parse_region(region, width, height)
    out_w, out_h = parse_size(size, box.width, box.height)
    degrees, mirror = parse_rotation(rotation)
    quality, fmt = parse_quality_format(quality_format)
    return Plan(box, out_w, out_h, degrees, mirror, quality, fmt)


def render(path: str | Path, plan: Plan) -> tuple[bytes, str]:
    """Produce the image of a plan (a stored tile when one matches exactly)."""
    pyr = sources.pyramid(path)
    plain = plan.rotation == 0 and not plan.mirror and plan.quality in ("default", "color")
    match = levels.tile_of_box(pyr.width, pyr.height, plan.box, plan.out_width, plan.out_height)
    if plain and match is not None:
        return sources.tile(path, *match, fmt=plan.fmt)
    pixels = sources.region_pixels(
        path, plan.box, out_width=plan.out_width, out_height=plan.out_height
    )
    image = Image.fromarray(pixels)
    if plan.mirror:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if plan.rotation:
        # PIL rotates counter-clockwise; IIIF rotates clockwise.
        image = image.rotate(-plan.rotation, expand=True)
    if plan.quality == "bitonal":
        image = image.convert("L").point(lambda v: 255 if v >= 128 else 0)
    return sources.encode(np.asarray(image), plan.fmt, plan.quality in ("gray", "bitonal"))


def info(service_id: str, width: int, height: int) -> dict[str, Any]:
    """The info.json document of an image served at ``service_id``."""
    zooms = levels.zoom_count(width, height)
    sizes = [levels.tier_size(width, height, t) for t in reversed(range(zooms))]
    limit = sources.MAX_OUTPUT_SIDE
    area = sources.limits().max_output_pixels
    factors = [1 << t for t in range(zooms)]
    return {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": PROFILE,
        "width": width,
        "height": height,
        "maxWidth": limit,
        "maxHeight": limit,
        "maxArea": area,
        "sizes": [
            {"width": w, "height": h} for w, h in sizes if max(w, h) <= limit and w * h <= area
        ],
        "tiles": [{"width": levels.TILE, "height": levels.TILE, "scaleFactors": factors}],
        "extraFormats": EXTRA_FORMATS,
        "extraQualities": EXTRA_QUALITIES,
        "extraFeatures": EXTRA_FEATURES,
    }


__all__ = [
    "EXTRA_FEATURES",
    "EXTRA_FORMATS",
    "EXTRA_QUALITIES",
    "FORMATS",
    "PROFILE",
    "QUALITIES",
    "Plan",
    "info",
    "parse",
    "parse_quality_format",
    "parse_region",
    "parse_rotation",
    "parse_size",
    "render",
]
