"""Cytomine picture routes: normalized tiles, thumbnails, previews, windows, associated images.

Litestar matches parameters only as whole segments, so ``12.jpg`` or ``window-1-2-3-4.png``
arrive as one string and are parsed by ``split_format`` and ``parse_window``. Every route
accepts a bearer token in the query (``<img>`` tags) and signed URLs (see ``tileurl``).
Viewer rendering parameters this server cannot honour yet (channels, zSlices, timepoints,
intensities, gammas, colormaps, filters, bits, contrast...) are accepted and ignored.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request, Response, get, route
from litestar.datastructures import State
from litestar.enums import HttpMethod
from litestar.params import FromPath

from contracts.errors import Invalid, NotFound
from server import imaging
from server.db.store.image_files import Kind
from tiling import levels, sources

THUMB_SIZE = 512
PREVIEW_SIZE = 1024
_OPT = {"query_token": True}
# Catalog shapes each whole-segment route serves (the catalog coverage test reads them).
_RESOURCES = ("thumb.{}", "preview.{}", "window-{}-{}-{}-{}.{}", "camera-{}-{}-{}-{}.{}")
_RESOURCE_OPT = {**_OPT, "segments": _RESOURCES}
_SUFFIXED_OPT = {**_OPT, "segments": ("{}.{}",)}
_GET_POST = [HttpMethod.GET, HttpMethod.POST]
_WINDOW = re.compile(r"^(window|camera)-(-?\d+)-(-?\d+)-(\d+)-(\d+)\.(\w+)$")
_PICTURE = re.compile(r"^(thumb|preview)\.(\w+)$")


def split_format(segment: str) -> tuple[str, str]:
    """``"12.jpg"`` -> ``("12", "jpg")``; 400 for an unknown format."""
    stem, dot, fmt = segment.rpartition(".")
    if not dot or not stem:
        raise Invalid(f"Missing image format in {segment!r}")
    fmt = "jpg" if fmt == "jpeg" else fmt
    sources.media_type(fmt)
    return stem, fmt


def int_of(text: str, what: str) -> int:
    """An integer path or query value; 400 otherwise."""
    try:
        return int(text)
    except ValueError:
        raise Invalid(f"{what} must be an integer, not {text!r}") from None


async def body_params(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Parameters sent as a JSON object in the body of a POST picture request."""
    if request.method != "POST":
        return {}
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise Invalid("The request body must be a JSON object of parameters") from None
    return data if isinstance(data, dict) else {}


def max_size(
    request: Request[Any, Any, Any], default: int | None, body: dict[str, Any]
) -> int | None:
    """The ``maxSize`` parameter (longest side) of the body or query, or the default."""
    value = body.get("maxSize", request.query_params.get("maxSize"))
    if value in (None, "", "null"):
        return default
    size = int_of(str(value), "maxSize")
    if size < 1:
        raise Invalid("maxSize must be positive")
    return size


def parse_window(resource: str) -> tuple[levels.Box, str]:
    """``window-x-y-w-h.fmt`` (top-left origin, full resolution) -> (box, format)."""
    found = _WINDOW.match(resource)
    if found is None:
        raise NotFound("Resource", resource)
    x, y, w, h = (int(v) for v in found.group(2, 3, 4, 5))
    fmt = "jpg" if found[6] == "jpeg" else found[6]
    sources.media_type(fmt)
    return levels.Box(x, y, w, h), fmt


async def _tile(
    request: Request[Any, Any, Any],
    state: State,
    access: imaging.Access,
    zoom: int,
    tx: int,
    ty: int,
    fmt: str,
) -> Response[Any]:
    """One normalized tile; 404 outside the pyramid, checked before any pixel work."""
    width, height = access.file.width, access.file.height
    levels.check_tile(width, height, zoom, levels.zoom_count(width, height), tx, ty)
    return await imaging.picture(
        request,
        state,
        access,
        ("tile", zoom, tx, ty, fmt),
        lambda path: sources.tile(path, zoom, tx, ty, fmt),
    )


@get(
    "/api/sliceinstance/{slice_id:int}/normalized-tile/zoom/{zoom:int}/tx/{tx:int}/ty/{ty_fmt:str}",
    opt=_SUFFIXED_OPT,
    tags=["Slice instance"],
)
async def normalized_tile(
    request: Request[Any, Any, Any],
    state: State,
    slice_id: FromPath[int],
    zoom: FromPath[int],
    tx: FromPath[int],
    ty_fmt: FromPath[str],
) -> Response[Any]:
    """A 256-px tile of the normalized pyramid (zoom 0 = coarsest)."""
    ty, fmt = split_format(ty_fmt)
    access = await imaging.open_image(request, state, "sliceinstance", slice_id)
    return await _tile(request, state, access, zoom, tx, int_of(ty, "ty"), fmt)


@get(
    "/api/sliceinstance/{slice_id:int}/normalized-tile/zoom/{zoom:int}/ti/{ti_fmt:str}",
    opt=_SUFFIXED_OPT,
    tags=["Slice instance"],
)
async def normalized_tile_by_index(
    request: Request[Any, Any, Any],
    state: State,
    slice_id: FromPath[int],
    zoom: FromPath[int],
    ti_fmt: FromPath[str],
) -> Response[Any]:
    """A normalized tile addressed by tile index ``ti = ty * tilesAcross + tx``."""
    text, fmt = split_format(ti_fmt)
    ti = int_of(text, "ti")
    access = await imaging.open_image(request, state, "sliceinstance", slice_id)
    width, height = access.file.width, access.file.height
    across, down = levels.tiles_across(width, height, zoom, levels.zoom_count(width, height))
    if not 0 <= ti < across * down:
        raise NotFound("Tile", f"{zoom}/{ti}")
    tx, ty = levels.tile_position(ti, across)
    return await _tile(request, state, access, zoom, tx, ty, fmt)


@get(
    "/api/abstractslice/{slice_id:int}/normalized-tile/zoom/{zoom:int}/tx/{tx:int}/ty/{ty_fmt:str}",
    opt=_SUFFIXED_OPT,
    tags=["Abstract slice"],
)
async def abstract_slice_tile(
    request: Request[Any, Any, Any],
    state: State,
    slice_id: FromPath[int],
    zoom: FromPath[int],
    tx: FromPath[int],
    ty_fmt: FromPath[str],
) -> Response[Any]:
    """The same normalized tile addressed by abstract slice (storage side)."""
    ty, fmt = split_format(ty_fmt)
    access = await imaging.open_image(request, state, "abstractslice", slice_id)
    return await _tile(request, state, access, zoom, tx, int_of(ty, "ty"), fmt)


async def _whole(
    request: Request[Any, Any, Any],
    state: State,
    access: imaging.Access,
    name: str,
    fmt: str,
    body: dict[str, Any],
) -> Response[Any]:
    """A thumbnail or preview: the whole image fitted in maxSize (longest side)."""
    size = max_size(request, THUMB_SIZE if name == "thumb" else PREVIEW_SIZE, body)
    assert size is not None
    out_w, out_h = sources.fit(access.file.width, access.file.height, size)
    sources.check_output(out_w, out_h)
    return await imaging.picture(
        request,
        state,
        access,
        (name, size, fmt),
        lambda path: sources.thumbnail(path, max_size=size, fmt=fmt),
    )


async def _window(
    request: Request[Any, Any, Any],
    state: State,
    access: imaging.Access,
    resource: str,
    body: dict[str, Any],
) -> Response[Any]:
    """A top-left window in full-resolution pixels, optionally fitted in maxSize."""
    box, fmt = parse_window(resource)
    size = max_size(request, None, body)
    sources.clip(box, access.file.width, access.file.height)
    out_w, out_h = box.width, box.height
    if size is not None:
        out_w, out_h = sources.fit(out_w, out_h, size)
    sources.check_output(out_w, out_h)
    return await imaging.picture(
        request,
        state,
        access,
        ("window", *box, size, fmt),
        lambda path: sources.region(path, box, max_size=size, fmt=fmt),
    )


async def resource(
    request: Request[Any, Any, Any], state: State, kind: Kind, object_id: int, name: str
) -> Response[Any]:
    """Dispatch ``thumb.fmt``, ``preview.fmt``, ``window-…`` and ``camera-…`` of an image."""
    whole = _PICTURE.match(name)
    if whole is None and _WINDOW.match(name) is None:
        raise NotFound("Resource", name)
    access = await imaging.open_image(request, state, kind, object_id)
    body = await body_params(request)
    if whole is not None:
        _, fmt = split_format(name)
        return await _whole(request, state, access, whole[1], fmt, body)
    return await _window(request, state, access, name, body)


@route(
    "/api/imageinstance/{instance_id:int}/{name:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_RESOURCE_OPT,
    tags=["Image instance"],
)
async def image_instance_picture(
    request: Request[Any, Any, Any], state: State, instance_id: FromPath[int], name: FromPath[str]
) -> Response[Any]:
    """Thumb, preview, window or camera picture of an image instance."""
    return await resource(request, state, "imageinstance", instance_id, name)


@route(
    "/api/sliceinstance/{slice_id:int}/{name:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_RESOURCE_OPT,
    tags=["Slice instance"],
)
async def slice_instance_picture(
    request: Request[Any, Any, Any], state: State, slice_id: FromPath[int], name: FromPath[str]
) -> Response[Any]:
    """Thumb, window or camera picture of a slice instance."""
    return await resource(request, state, "sliceinstance", slice_id, name)


@route(
    "/api/abstractimage/{image_id:int}/{name:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_RESOURCE_OPT,
    tags=["Abstract image"],
)
async def abstract_image_picture(
    request: Request[Any, Any, Any], state: State, image_id: FromPath[int], name: FromPath[str]
) -> Response[Any]:
    """Thumb, preview, window or camera picture of an abstract image."""
    return await resource(request, state, "abstractimage", image_id, name)


@route(
    "/api/abstractslice/{slice_id:int}/{name:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_RESOURCE_OPT,
    tags=["Abstract slice"],
)
async def abstract_slice_picture(
    request: Request[Any, Any, Any], state: State, slice_id: FromPath[int], name: FromPath[str]
) -> Response[Any]:
    """Thumb, window or camera picture of an abstract slice."""
    return await resource(request, state, "abstractslice", slice_id, name)


async def _associated(
    request: Request[Any, Any, Any], state: State, kind: Kind, object_id: int, label_fmt: str
) -> Response[Any]:
    """An associated image (label, macro, thumbnail) of the slide, fitted in maxSize."""
    label, fmt = split_format(label_fmt)
    access = await imaging.open_image(request, state, kind, object_id)
    size = max_size(request, None, await body_params(request))
    return await imaging.picture(
        request,
        state,
        access,
        ("associated", label, size, fmt),
        lambda path: sources.associated(path, label, max_size=size, fmt=fmt),
    )


@route(
    "/api/imageinstance/{instance_id:int}/associated/{label_fmt:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_SUFFIXED_OPT,
    tags=["Image instance"],
)
async def image_instance_associated(
    request: Request[Any, Any, Any],
    state: State,
    instance_id: FromPath[int],
    label_fmt: FromPath[str],
) -> Response[Any]:
    """Associated image of an image instance."""
    return await _associated(request, state, "imageinstance", instance_id, label_fmt)


@route(
    "/api/abstractimage/{image_id:int}/associated/{label_fmt:str}",
    http_method=_GET_POST,
    status_code=200,
    opt=_SUFFIXED_OPT,
    tags=["Abstract image"],
)
async def abstract_image_associated(
    request: Request[Any, Any, Any], state: State, image_id: FromPath[int], label_fmt: FromPath[str]
) -> Response[Any]:
    """Associated image of an abstract image."""
    return await _associated(request, state, "abstractimage", image_id, label_fmt)


ROUTES: list[Any] = [
    normalized_tile,
    normalized_tile_by_index,
    abstract_slice_tile,
    abstract_slice_picture,
    image_instance_picture,
    slice_instance_picture,
    abstract_image_picture,
    image_instance_associated,
    abstract_image_associated,
]

__all__ = ["ROUTES", "int_of", "max_size", "parse_window", "split_format"]
