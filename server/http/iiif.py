"""IIIF Image API 3.0 (compliance level 2): info.json and image requests of image instances.

Two bases per image: ``/iiif/{id}`` takes the API's credentials (header, query token or a
signed URL query), and ``/iiif/s/{token}/{id}`` carries a signed URL's token in its path
(``GET /api/imageinstance/{id}/tileurl`` hands it out). Viewers derive every URL from the
info.json ``id``, dropping queries, so only the second base works in a viewer that sends no
credentials: its ``id`` and every URL built from it stay signed. An info.json reached with a
signed query names the path-signed base with that same signature as its ``id``.

``…/info.json`` arrives here as ``…/info`` (the ``.json`` suffix is stripped before routing).
CORS headers are added to every answer by ``server.cors``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from server import imaging, signed_urls
from server.http.deps import RuntimeDep
from server.public_url import base_url
from server.runtime import Runtime
from tiling import iiif

JSON_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
_OPT = {"query_token": True}


def service_id(request: Request[Any, Any, Any], instance_id: int, token: str | None = None) -> str:
    """Absolute URL of an image's IIIF service (the info.json ``id``), signed by ``token``."""
    base = base_url(request)
    return f"{base}/iiif/{instance_id}" if token is None else f"{base}/iiif/s/{token}/{instance_id}"


def _redirect(request: Request[Any, Any, Any]) -> Redirect:
    """The base URI redirects (303) to info.json, as the specification asks."""
    query = request.url.query
    suffix = f"?{query}" if query else ""
    return Redirect(f"{request.url.path.rstrip('/')}/info.json{suffix}", status_code=303)


async def _info(
    request: Request[Any, Any, Any], runtime: Runtime, instance_id: int, token: str | None
) -> Response[Any]:
    """The info.json document (JSON-LD when the client asks for it)."""
    access = await imaging.open_image(request, runtime, "imageinstance", instance_id, token)
    if token is None and access.public:
        # Signed by its query: the id carries the same signature in its path, since viewers
        # drop the query of the id when they build image URLs.
        token = signed_urls.path_token({k: str(v) for k, v in request.query_params.items()})
    sid = service_id(request, instance_id, token)
    tag = imaging.tag_of(access, "iiif-info", sid)
    unchanged = imaging.not_modified(request, access, tag)
    if unchanged is not None:
        return unchanged
    doc = iiif.info(sid, access.file.width, access.file.height)
    wants_ld = "application/ld+json" in request.headers.get("accept", "")
    return Response(
        content=msgspec.json.encode(doc),
        media_type=JSON_LD if wants_ld else "application/json",
        headers=imaging.cache_headers(access, tag),
    )


class ImageParams(NamedTuple):
    """The four path parameters of an image request."""

    region: str
    size: str
    rotation: str
    quality_format: str


def image_params(
    region: FromPath[str],
    size: FromPath[str],
    rotation: FromPath[str],
    quality_format: FromPath[str],
) -> ImageParams:
    """The image request parameters of both bases, gathered once."""
    return ImageParams(region, size, rotation, quality_format)


_IMAGE = "{region:str}/{size:str}/{rotation:str}/{quality_format:str}"
_PARAMS = {"params": Provide(image_params, sync_to_thread=False)}


async def _image(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    instance_id: int,
    token: str | None,
    params: ImageParams,
) -> Response[Any]:
    """An image request: region, size, rotation, quality and format."""
    access = await imaging.open_image(request, runtime, "imageinstance", instance_id, token)
    plan = iiif.parse(*params, access.file.width, access.file.height)
    return await imaging.picture(
        request,
        runtime,
        access,
        ("iiif", *plan.box, *plan[1:]),
        lambda path: iiif.render(path, plan),
    )


@get("/iiif/{instance_id:int}", opt=_OPT, tags=["IIIF"], status_code=303)
async def iiif_base(request: Request[Any, Any, Any], instance_id: FromPath[int]) -> Redirect:
    """The base URI redirects (303) to info.json."""
    return _redirect(request)


@get("/iiif/{instance_id:int}/info", opt=_OPT, tags=["IIIF"])
async def iiif_info(
    request: Request[Any, Any, Any], runtime: RuntimeDep, instance_id: FromPath[int]
) -> Response[Any]:
    """The info.json document."""
    return await _info(request, runtime, instance_id, None)


@get(f"/iiif/{{instance_id:int}}/{_IMAGE}", opt=_OPT, tags=["IIIF"], dependencies=_PARAMS)
async def iiif_image(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    instance_id: FromPath[int],
    params: NamedDependency[ImageParams],
) -> Response[Any]:
    """An image request."""
    return await _image(request, runtime, instance_id, None, params)


@get("/iiif/s/{token:str}/{instance_id:int}", tags=["IIIF"], status_code=303)
async def signed_iiif_base(
    request: Request[Any, Any, Any], token: FromPath[str], instance_id: FromPath[int]
) -> Redirect:
    """The signed base URI redirects (303) to its info.json."""
    return _redirect(request)


@get("/iiif/s/{token:str}/{instance_id:int}/info", tags=["IIIF"])
async def signed_iiif_info(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    instance_id: FromPath[int],
) -> Response[Any]:
    """The info.json document of a signed base; its ``id`` is the signed base."""
    return await _info(request, runtime, instance_id, token)


@get(f"/iiif/s/{{token:str}}/{{instance_id:int}}/{_IMAGE}", tags=["IIIF"], dependencies=_PARAMS)
async def signed_iiif_image(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    instance_id: FromPath[int],
    params: NamedDependency[ImageParams],
) -> Response[Any]:
    """An image request under a signed base."""
    return await _image(request, runtime, instance_id, token, params)


ROUTES: list[Any] = [
    iiif_base,
    iiif_info,
    iiif_image,
    signed_iiif_base,
    signed_iiif_info,
    signed_iiif_image,
]

__all__ = ["ROUTES"]
