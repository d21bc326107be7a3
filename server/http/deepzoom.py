"""DeepZoom for OpenSeadragon: ``/dzi/{id}.dzi`` and ``/dzi/{id}_files/{level}/{col}_{row}.{fmt}``.

Ids are image instance ids. ``/dzi/{id}.dzi`` takes the API's credentials (header, query
token, or a signed URL query that OpenSeadragon can append to every tile with its
``queryParams`` option); ``/dzi/s/{token}/{id}.dzi`` carries a signed URL's token in its path,
so the ``_files/`` URLs a viewer derives from it are signed too (``GET
/api/imageinstance/{id}/tileurl`` hands it out). CORS headers come from ``server.cors``.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from contracts.errors import NotFound
from server import imaging
from server.http.deps import RuntimeDep
from server.http.pictures import int_of
from server.runtime import Runtime
from tiling import deepzoom

_OPT = {"query_token": True}


async def _descriptor(
    request: Request[Any, Any, Any], runtime: Runtime, name: str, token: str | None
) -> Response[Any]:
    """The ``.dzi`` XML descriptor of an image instance."""
    stem, dot, ext = name.rpartition(".")
    if not dot or ext != "dzi":
        raise NotFound("DeepZoom image", name)
    instance_id = int_of(stem, "id")
    access = await imaging.open_image(request, runtime, "imageinstance", instance_id, token)
    xml = deepzoom.dzi_xml(access.file.width, access.file.height)
    tag = imaging.tag_of(access, "dzi")
    headers = imaging.cache_headers(access, tag)
    return Response(content=xml.encode(), media_type="application/xml", headers=headers)


async def _tile(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    files: str,
    level: int,
    tile: str,
    token: str | None,
) -> Response[Any]:
    """One DeepZoom tile (level 0 is 1x1, the last level full resolution)."""
    if not files.endswith("_files"):
        raise NotFound("DeepZoom image", files)
    instance_id = int_of(files.removesuffix("_files"), "id")
    _, col, row, fmt = deepzoom.parse_tile_path(f"{level}/{tile}")
    access = await imaging.open_image(request, runtime, "imageinstance", instance_id, token)
    deepzoom.tile_plan(access.file.width, access.file.height, level, col, row)
    return await imaging.picture(
        request,
        runtime,
        access,
        ("dzi", level, col, row, fmt),
        lambda path: deepzoom.tile(path, level, col, row, fmt),
    )


@get("/dzi/{name:str}", opt=_OPT, tags=["DeepZoom"])
async def dzi_descriptor(
    request: Request[Any, Any, Any], runtime: RuntimeDep, name: FromPath[str]
) -> Response[Any]:
    """The ``.dzi`` XML descriptor of an image instance."""
    return await _descriptor(request, runtime, name, None)


@get("/dzi/{files:str}/{level:int}/{tile:str}", opt=_OPT, tags=["DeepZoom"])
async def dzi_tile(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    files: FromPath[str],
    level: FromPath[int],
    tile: FromPath[str],
) -> Response[Any]:
    """One DeepZoom tile."""
    return await _tile(request, runtime, files, level, tile, None)


@get("/dzi/s/{token:str}/{name:str}", tags=["DeepZoom"])
async def signed_dzi_descriptor(
    request: Request[Any, Any, Any], runtime: RuntimeDep, token: FromPath[str], name: FromPath[str]
) -> Response[Any]:
    """The ``.dzi`` descriptor of a signed DeepZoom URL."""
    return await _descriptor(request, runtime, name, token)


@get("/dzi/s/{token:str}/{files:str}/{level:int}/{tile:str}", tags=["DeepZoom"])
async def signed_dzi_tile(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    files: FromPath[str],
    level: FromPath[int],
    tile: FromPath[str],
) -> Response[Any]:
    """One DeepZoom tile of a signed DeepZoom URL."""
    return await _tile(request, runtime, files, level, tile, token)


ROUTES: list[Any] = [dzi_descriptor, dzi_tile, signed_dzi_descriptor, signed_dzi_tile]

__all__ = ["ROUTES"]
