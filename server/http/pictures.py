"""Cytomine picture routes: tiles, thumbnails, previews, windows, crops, associated images.

Litestar matches parameters only as whole segments, so ``12.jpg`` or ``window-1-2-3-4.png``
arrive as one string and are parsed by ``split_format`` and ``parse_window``. Every route
accepts a bearer token in the query (``<img>`` tags) and signed URLs (see ``tileurl``).
Slices render their own plane; ``zSlices``, ``timepoints`` and one ``channels`` value select
another; several channels of a multi-channel image are blended with their ``colormaps``,
``minIntensities``, ``maxIntensities`` and ``gammas``. ``mask``, ``alphaMask`` and ``draw``
windows draw the image's annotations (``window_masks``). ``filters`` applies image filters
(``tiling.filters``) to tiles, thumbnails, previews, windows and crops; the filter is part of
the ETag. Other viewer rendering parameters (bits, contrast...) are accepted and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get
from litestar.enums import HttpMethod
from litestar.params import FromPath

from contracts.errors import NotFound
from server import imaging
from server.db.store.image_files import Kind
from server.http import picture_crops, window_masks
from server.http.deps import RuntimeDep
from server.http.picture_params import (
    WINDOW,
    Params,
    body_params,
    filters_of,
    int_of,
    max_size,
    mix_of,
    parse_window,
    split_format,
)
from server.http.picture_planes import mix_tag, plane_tag, requested_plane
from server.http.route_kinds import kind_route, target
from server.picture_core import check_tile
from server.runtime import Runtime
from server.tile_request import TileRequest
from tiling import composite, crop, filters, levels, planes, sources

THUMB_SIZE = 512
PREVIEW_SIZE = 1024
_OPT = {"query_token": True}
# Catalog shapes each whole-segment route serves (the catalog coverage test reads them).
_RESOURCES = (
    "thumb.{}",
    "preview.{}",
    "window-{}-{}-{}-{}.{}",
    "camera-{}-{}-{}-{}.{}",
    "crop.{}",
    "camera.{}",
    "window_url-{}-{}-{}-{}.{}",
    "camera_url-{}-{}-{}-{}.{}",
)
_RESOURCE_OPT = {**_OPT, "segments": _RESOURCES}
_INSTANCE_OPT = {**_OPT, "segments": (*_RESOURCES, "cropgeometry.{}")}
_SUFFIXED_OPT = {**_OPT, "segments": ("{}.{}",)}
_URL = re.compile(r"^(window|camera)_url-(-?\d+)-(-?\d+)-(\d+)-(\d+)\.(\w+)$")
_PICTURE = re.compile(r"^(thumb|preview)\.(\w+)$")
_CROP = re.compile(r"^(crop|cropgeometry|camera)\.(\w+)$")


async def _tile(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: imaging.Access,
    zoom: int,
    tx: int,
    ty: int,
    fmt: str,
) -> Response[Any]:
    """One normalized tile of the requested plane; 404 outside the pyramid, before pixel work."""
    check_tile(access, zoom, tx, ty)
    params = Params(request, {})
    chosen = filters_of(params)
    plane = await requested_plane(runtime, access, params)
    mix = mix_of(params, plane)

    def render(path: Any) -> tuple[bytes, str]:
        blend = mix if mix is not None and composite.applies(path, mix) else None
        frame = planes.frame_of(path, plane)
        if chosen:

            def read(frame: int | None) -> Any:
                return sources.tile_pixels(path, zoom, tx, ty, frame)

            return filters.render(path, frame, chosen, fmt, _reader(path, blend, frame, read))
        if blend is not None:
            return composite.tile(path, zoom, tx, ty, fmt, blend)
        return sources.tile(path, zoom, tx, ty, fmt, frame=frame)

    tile = TileRequest(zoom, tx, ty, fmt, plane_tag(plane), mix_tag(mix), filters.tag(chosen))
    return await imaging.picture(request, runtime, access, tile, render)


def _reader(
    path: Any, blend: composite.Mix | None, frame: int | None, read: Callable[[int | None], Any]
) -> Callable[[], Any]:
    """The pixels to filter: the channel blend, or the plane's frame."""
    if blend is not None:
        return lambda: composite.blend(path, blend, read)
    return lambda: read(frame)


async def _slice_tile(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    zoom: FromPath[int],
    tx: FromPath[int],
    ty_fmt: FromPath[str],
) -> Response[Any]:
    """A 256-px tile of the normalized pyramid (zoom 0 = coarsest) of the route's slice kind."""
    kind, slice_id = target(request)
    ty, fmt = split_format(ty_fmt)
    access = await imaging.open_image(request, runtime, kind, slice_id)
    return await _tile(request, runtime, access, zoom, tx, int_of(ty, "ty"), fmt)


_TILE = "normalized-tile/zoom/{zoom:int}/tx/{tx:int}/ty/{ty_fmt:str}"
normalized_tile = kind_route(
    _slice_tile,
    f"/api/sliceinstance/{{slice_id:int}}/{_TILE}",
    "sliceinstance",
    opt=_SUFFIXED_OPT,
    tag="Slice instance",
    summary="NormalizedTile",
    methods=(HttpMethod.GET,),
)
abstract_slice_tile = kind_route(
    _slice_tile,
    f"/api/abstractslice/{{slice_id:int}}/{_TILE}",
    "abstractslice",
    opt=_SUFFIXED_OPT,
    tag="Abstract slice",
    summary="AbstractSliceTile",
    methods=(HttpMethod.GET,),
)


@get(
    "/api/sliceinstance/{slice_id:int}/normalized-tile/zoom/{zoom:int}/ti/{ti_fmt:str}",
    opt=_SUFFIXED_OPT,
    tags=["Slice instance"],
)
async def normalized_tile_by_index(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    slice_id: FromPath[int],
    zoom: FromPath[int],
    ti_fmt: FromPath[str],
) -> Response[Any]:
    """A normalized tile addressed by tile index ``ti = ty * tilesAcross + tx``."""
    text, fmt = split_format(ti_fmt)
    ti = int_of(text, "ti")
    access = await imaging.open_image(request, runtime, "sliceinstance", slice_id)
    width, height = access.file.width, access.file.height
    across, down = levels.tiles_across(width, height, zoom, levels.zoom_count(width, height))
    if not 0 <= ti < across * down:
        raise NotFound("Tile", f"{zoom}/{ti}")
    tx, ty = levels.tile_position(ti, across)
    return await _tile(request, runtime, access, zoom, tx, ty, fmt)


async def _whole(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: imaging.Access,
    name: str,
    fmt: str,
    params: Params,
) -> Response[Any]:
    """A thumbnail or preview of one plane: the whole image fitted in maxSize (longest side)."""
    size = params.max_size(THUMB_SIZE if name == "thumb" else PREVIEW_SIZE)
    assert size is not None
    out_w, out_h = sources.fit(access.file.width, access.file.height, size)
    sources.check_output(out_w, out_h)
    chosen = filters_of(params)
    plane = await requested_plane(runtime, access, params)
    mix = mix_of(params, plane)
    whole = levels.Box(0, 0, access.file.width, access.file.height)

    def render(path: Any) -> tuple[bytes, str]:
        return _region(path, whole, size, fmt, plane, mix, chosen)

    tag = (name, size, fmt, *plane_tag(plane), *mix_tag(mix), *filters.tag(chosen))
    return await imaging.picture(request, runtime, access, tag, render)


def _region(
    path: Any,
    box: levels.Box,
    size: int | None,
    fmt: str,
    plane: planes.Plane,
    mix: composite.Mix | None,
    chosen: tuple[filters.Filter, ...],
) -> tuple[bytes, str]:
    """A window (or the whole image) of one plane or blend, fitted in size, then filtered."""
    blend = mix if mix is not None and composite.applies(path, mix) else None
    frame = planes.frame_of(path, plane)
    if chosen:

        def read(frame: int | None) -> Any:
            return sources.region_pixels(path, box, max_size=size, frame=frame)

        return filters.render(path, frame, chosen, fmt, _reader(path, blend, frame, read))
    if blend is not None:
        return composite.region(path, box, size, fmt, blend)
    return sources.region(path, box, max_size=size, fmt=fmt, frame=frame)


async def _window(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: imaging.Access,
    box: levels.Box,
    fmt: str,
    params: Params,
) -> Response[Any]:
    """A top-left window of one plane in full-resolution pixels, optionally fitted in maxSize."""
    size = params.max_size(None)
    sources.clip(box, access.file.width, access.file.height)
    out_w, out_h = box.width, box.height
    if size is not None:
        out_w, out_h = sources.fit(out_w, out_h, size)
    sources.check_output(out_w, out_h)
    plane = await requested_plane(runtime, access, params)
    mix = mix_of(params, plane)
    drawn = await window_masks.window_mask(runtime, access, box, fmt, params)
    chosen = filters_of(params)

    def render(path: Any) -> tuple[bytes, str]:
        if drawn is not None:
            frame = planes.frame_of(path, plane)
            size_, adjust = (out_w, out_h), filters.adjuster(path, frame, chosen)
            shapes, style = drawn.shapes, drawn.style
            return crop.render(path, box, size_, shapes, style, drawn.fmt, frame, adjust)
        return _region(path, box, size, fmt, plane, mix, chosen)

    drawn_tag = () if drawn is None else (drawn.key, *drawn.style, drawn.fmt)
    tag = (
        "window",
        *box,
        size,
        fmt,
        *plane_tag(plane),
        *mix_tag(mix),
        *filters.tag(chosen),
        *drawn_tag,
    )
    return await imaging.picture(request, runtime, access, tag, render)


Serve = Callable[[imaging.Access, Params], Awaitable[Response[Any]]]


def _handler(
    request: Request[Any, Any, Any], runtime: Runtime, kind: Kind, name: str
) -> Serve | None:
    """The renderer of one resource segment of an image, None when the kind has no such one."""
    if (found := _PICTURE.match(name)) is not None:
        fmt = split_format(name)[1]
        return lambda access, params: _whole(request, runtime, access, found[1], fmt, params)
    if WINDOW.match(name) is not None:
        box, fmt = parse_window(name)
        return lambda access, params: _window(request, runtime, access, box, fmt, params)
    if _URL.match(name) is not None:
        return lambda access, _: _json(picture_crops.picture_url(request, runtime, access, name))
    crop = _CROP.match(name)
    if crop is None or (crop[1] == "cropgeometry" and kind != "imageinstance"):
        return None
    fmt = split_format(name)[1]
    if crop[1] == "camera":
        return lambda access, params: _window(
            request, runtime, access, picture_crops.camera_box(params), fmt, params
        )
    return lambda access, params: picture_crops.image_crop(request, runtime, access, fmt, params)


async def _json(content: dict[str, Any]) -> Response[Any]:
    """A JSON answer (no cache headers) from a picture route."""
    return Response(content=content)


async def resource(
    request: Request[Any, Any, Any], runtime: Runtime, kind: Kind, object_id: int, name: str
) -> Response[Any]:
    """Dispatch thumb, preview, window, camera, crop and *_url resources of an image."""
    serve = _handler(request, runtime, kind, name)
    if serve is None:
        raise NotFound("Resource", name)
    access = await imaging.open_image(request, runtime, kind, object_id)
    return await serve(access, Params(request, await body_params(request)))


async def _picture(
    request: Request[Any, Any, Any], runtime: RuntimeDep, name: FromPath[str]
) -> Response[Any]:
    """Thumb, preview, window, camera or crop picture of the route's image or slice."""
    kind, object_id = target(request)
    return await resource(request, runtime, kind, object_id, name)


image_instance_picture = kind_route(
    _picture,
    "/api/imageinstance/{instance_id:int}/{name:str}",
    "imageinstance",
    opt=_INSTANCE_OPT,
    tag="Image instance",
    summary="ImageInstancePicture",
)
slice_instance_picture = kind_route(
    _picture,
    "/api/sliceinstance/{slice_id:int}/{name:str}",
    "sliceinstance",
    opt=_RESOURCE_OPT,
    tag="Slice instance",
    summary="SliceInstancePicture",
)
abstract_image_picture = kind_route(
    _picture,
    "/api/abstractimage/{image_id:int}/{name:str}",
    "abstractimage",
    opt=_RESOURCE_OPT,
    tag="Abstract image",
    summary="AbstractImagePicture",
)
abstract_slice_picture = kind_route(
    _picture,
    "/api/abstractslice/{slice_id:int}/{name:str}",
    "abstractslice",
    opt=_RESOURCE_OPT,
    tag="Abstract slice",
    summary="AbstractSlicePicture",
)


async def _associated(
    request: Request[Any, Any, Any], runtime: RuntimeDep, label_fmt: FromPath[str]
) -> Response[Any]:
    """An associated image (label, macro, thumbnail) of the route's slide, fitted in maxSize."""
    kind, object_id = target(request)
    label, fmt = split_format(label_fmt)
    access = await imaging.open_image(request, runtime, kind, object_id)
    size = max_size(request, None, await body_params(request))
    return await imaging.picture(
        request,
        runtime,
        access,
        ("associated", label, size, fmt),
        lambda path: sources.associated(path, label, max_size=size, fmt=fmt),
    )


image_instance_associated = kind_route(
    _associated,
    "/api/imageinstance/{instance_id:int}/associated/{label_fmt:str}",
    "imageinstance",
    opt=_SUFFIXED_OPT,
    tag="Image instance",
    summary="ImageInstanceAssociated",
)
abstract_image_associated = kind_route(
    _associated,
    "/api/abstractimage/{image_id:int}/associated/{label_fmt:str}",
    "abstractimage",
    opt=_SUFFIXED_OPT,
    tag="Abstract image",
    summary="AbstractImageAssociated",
)


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
