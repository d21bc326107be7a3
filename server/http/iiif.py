"""IIIF Image API 3.0 under ``/iiif/{image_instance_id}``: info.json and image requests.

``/iiif/{id}/info.json`` arrives here as ``/iiif/{id}/info`` (the ``.json`` suffix is
stripped before routing). Responses carry ``Access-Control-Allow-Origin: *`` so viewers on
other origins can load them; credentials are the same as the API's (header, query token or
a signed URL query).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect

from server import imaging
from server.public_url import base_url
from tiling import iiif

CORS = {"Access-Control-Allow-Origin": "*"}
JSON_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
_OPT = {"query_token": True}


def service_id(request: Request[Any, Any, Any], state: State, instance_id: int) -> str:
    """Absolute URL of an image's IIIF service (the info.json ``id``)."""
    return f"{base_url(request)}/iiif/{instance_id}"


@get("/iiif/{instance_id:int}", opt=_OPT, tags=["IIIF"])
async def iiif_base(request: Request[Any, Any, Any], instance_id: FromPath[int]) -> Redirect:
    """The base URI redirects (303) to info.json, as the specification asks."""
    query = request.url.query
    suffix = f"?{query}" if query else ""
    return Redirect(f"/iiif/{instance_id}/info.json{suffix}", status_code=303, headers=CORS)


@get("/iiif/{instance_id:int}/info", opt=_OPT, tags=["IIIF"])
async def iiif_info(
    request: Request[Any, Any, Any], state: State, instance_id: FromPath[int]
) -> Response[Any]:
    """The info.json document (JSON-LD when the client asks for it)."""
    access = await imaging.open_image(request, state, "imageinstance", instance_id)
    tag = imaging.tag_of(access, "iiif-info", service_id(request, state, instance_id))
    unchanged = imaging.not_modified(request, access, tag)
    if unchanged is not None:
        unchanged.headers.update(CORS)
        return unchanged
    doc = iiif.info(service_id(request, state, instance_id), access.file.width, access.file.height)
    wants_ld = "application/ld+json" in request.headers.get("accept", "")
    return Response(
        content=msgspec.json.encode(doc),
        media_type=JSON_LD if wants_ld else "application/json",
        headers={**imaging.cache_headers(access, tag), **CORS},
    )


@get(
    "/iiif/{instance_id:int}/{region:str}/{size:str}/{rotation:str}/{quality_format:str}",
    opt=_OPT,
    tags=["IIIF"],
)
async def iiif_image(
    request: Request[Any, Any, Any],
    state: State,
    instance_id: FromPath[int],
    region: FromPath[str],
    size: FromPath[str],
    rotation: FromPath[str],
    quality_format: FromPath[str],
) -> Response[Any]:
    """An image request: region, size, rotation, quality and format."""
    access = await imaging.open_image(request, state, "imageinstance", instance_id)
    plan = iiif.parse(region, size, rotation, quality_format, access.file.width, access.file.height)
    return await imaging.picture(
        request,
        state,
        access,
        ("iiif", *plan.box, *plan[1:]),
        lambda path: iiif.render(path, plan),
        extra_headers=CORS,
    )


ROUTES: list[Any] = [iiif_base, iiif_info, iiif_image]

__all__ = ["ROUTES"]
