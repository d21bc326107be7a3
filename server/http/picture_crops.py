"""Crops of a geometry's region (plain, drawn, masked, alpha) and the camera/URL window routes.

Geometries come in Cytomine's bottom-left pixel frame; ``spatial.crops`` turns them into a
top-left box and shapes, ``tiling.crop`` renders them. Without ``maxSize`` the crop is read at
``zoom`` (0 = full resolution, each step halves), as Cytomine's image server ``level`` does.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from litestar import Request, Response

from contracts.errors import Invalid
from server import imaging, signed_urls
from server.http.picture_params import Params, filters_of, parse_window
from server.http.picture_planes import plane_tag, requested_plane
from server.public_url import base_url
from server.runtime import Runtime
from spatial import crops
from tiling import crop, filters, levels, planes, sources

_TYPES = {"crop": "crop", "draw": "draw", "mask": "mask", "alphamask": "alphamask"}
MAX_ZOOM = 30
_FLAGS = (("draw", "draw"), ("mask", "mask"), ("alphaMask", "alphamask"))


class CropOptions(NamedTuple):
    """What a crop request asks for, parsed once."""

    mode: str
    fmt: str
    style: crop.Style
    max_size: int | None
    zoom: int
    increase_area: float | None
    square: bool
    safe: bool


def mode_of(params: Params, forced: str | None = None) -> str:
    """crop, draw, mask or alphamask: the route's, else ``type``, else the boolean flags."""
    if forced is not None:
        return forced
    kind = params.text("type")
    if kind is not None:
        if kind.lower() not in _TYPES:
            raise Invalid(f"type must be crop, draw, mask or alphaMask, not {kind!r}")
        return _TYPES[kind.lower()]
    for name, mode in _FLAGS:
        if params.flag(name):
            return mode
    return "crop"


def crop_options(
    params: Params, fmt: str, *, forced: str | None = None, default_size: int | None = None
) -> CropOptions:
    """Parse the crop parameters of a request (400 on malformed values)."""
    mode = mode_of(params, forced)
    if mode == "alphamask" and fmt == "jpg":
        fmt = "png"  # Cytomine falls back to the first format that keeps transparency
    alpha = params.integer("alpha")
    if alpha is not None and not 0 <= alpha <= 100:
        raise Invalid("alpha must be between 0 and 100")
    thickness = params.integer("thickness") or 1
    if not 1 <= thickness <= 100:
        raise Invalid("thickness must be between 1 and 100")
    transparency = 100 if alpha is None else alpha
    style = crop.Style(mode, crop.parse_color(params.text("color")), thickness, transparency)
    zoom = params.integer("zoom") or 0
    if zoom < 0:
        raise Invalid("zoom must not be negative")
    return CropOptions(
        mode=mode,
        fmt=fmt,
        style=style,
        max_size=params.max_size(default_size),
        zoom=zoom,
        increase_area=params.number("increaseArea"),
        square=params.flag("square"),
        safe=params.flag("safe"),
    )


def output_size(width: int, height: int, options: CropOptions) -> tuple[int, int]:
    """Crop output size: fitted in maxSize, else the box at ``zoom``; SAFE resizes big ones."""
    if options.max_size is not None:
        out = sources.fit(width, height, options.max_size)
    else:
        if options.zoom > MAX_ZOOM:
            raise Invalid(f"zoom must be at most {MAX_ZOOM}")
        # The box as the pyramid tier ``zoom`` holds it (halved ``zoom`` times, rounded up).
        w, h = levels.tier_size(width, height, options.zoom)
        out = (max(1, w), max(1, h))
    if options.safe:
        out = sources.fit_output(*out)
    sources.check_output(*out)
    return out


def geometry_key(wkt: str) -> str:
    """A short digest of a geometry for ETags."""
    return hashlib.blake2b(wkt.encode(), digest_size=8).hexdigest()


async def render_crop(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: imaging.Access,
    wkt: str,
    options: CropOptions,
    params: Params,
) -> Response[Any]:
    """Answer the crop of a bottom-left WKT geometry in the image behind ``access``."""
    geometry = crops.parse_wkt(wkt)
    region = crops.crop_region(
        geometry, access.file.height, increase_area=options.increase_area, square=options.square
    )
    box = levels.Box(region.left, region.top, region.width, region.height)
    size = output_size(box.width, box.height, options)
    plane = await requested_plane(runtime, access, params)
    style, fmt = options.style, options.fmt
    chosen = filters_of(params)
    tag = ("crop", *box, *size, *style, fmt, geometry_key(wkt), *plane_tag(plane))
    tag += filters.tag(chosen)

    def render(path: Any) -> tuple[bytes, str]:
        frame = planes.frame_of(path, plane)
        adjust = filters.adjuster(path, frame, chosen)
        return crop.render(path, box, size, region.shapes, style, fmt, frame, adjust)

    return await imaging.picture(request, runtime, access, tag, render)


async def image_crop(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: imaging.Access,
    fmt: str,
    params: Params,
) -> Response[Any]:
    """``crop.fmt`` / ``cropgeometry.fmt`` of an image: the region of ``geometry``/``location``."""
    wkt = params.text("geometry") or params.text("location")
    if wkt is None:
        raise Invalid("A crop needs a geometry (or location) parameter in WKT")
    return await render_crop(request, runtime, access, wkt, crop_options(params, fmt), params)


def camera_box(params: Params) -> levels.Box:
    """The top-left x, y, w, h of a POSTed camera request; 400 when one is missing."""
    values = [params.integer(name) for name in ("x", "y", "w", "h")]
    if any(v is None for v in values):
        raise Invalid("A camera picture needs x, y, w and h (top-left pixels)")
    x, y, w, h = (int(v or 0) for v in values)
    return levels.Box(x, y, w, h)


def picture_url(
    request: Request[Any, Any, Any], runtime: Runtime, access: imaging.Access, name: str
) -> dict[str, str]:
    """``window_url-…`` / ``camera_url-…``: the signed URL of the equivalent window picture."""
    box, fmt = parse_window(name.replace("_url-", "-", 1))
    sources.clip(box, access.file.width, access.file.height)
    query, _ = signed_urls.sign(
        runtime.url_secret, access.kind, access.object_id, access.file.version
    )
    base = base_url(request)
    window = f"window-{box.left}-{box.top}-{box.width}-{box.height}.{fmt}"
    return {"url": f"{base}/api/{access.kind}/{access.object_id}/{window}?{query}"}


__all__ = [
    "CropOptions",
    "camera_box",
    "crop_options",
    "geometry_key",
    "image_crop",
    "mode_of",
    "output_size",
    "picture_url",
    "render_crop",
]
