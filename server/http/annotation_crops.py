"""Annotation crops: crop, mask and alpha mask of user, algo and reviewed annotations.

All kinds live in the ``annotation`` table; a kind-specific route answers 404 for an id of another
kind, the generic ``/api/annotation`` routes take any. The crop is the annotation's bounding box
read from its slice (so from its plane); a ``geometry`` parameter replaces the annotation's shape,
as in Cytomine. Reading needs read access to the annotation's project.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response, get, route
from litestar.params import FromPath

from contracts.errors import NotFound
from server import imaging
from server.auth.provider import provide_principal
from server.db.store import pictures
from server.http.deps import RuntimeDep
from server.http.picture_crops import crop_options, render_crop
from server.http.picture_params import Params, body_params, split_format
from server.http.route_kinds import GET_POST, kind_route
from server.runtime import Runtime

GENERIC_SIZE = 256
"""Default maxSize of the generic annotation crop routes (Cytomine's)."""
_KINDS = {"userannotation": "user", "algoannotation": "algo", "reviewedannotation": "reviewed"}
_KIND_NAME = re.compile(r"^(crop|mask|alphamask)\.(\w+)$")
_GENERIC_NAME = re.compile(r"^(crop|cropMin)\.(\w+)$")
_KIND_OPT = {"query_token": True, "segments": ("crop.{}", "mask.{}", "alphamask.{}")}
_GENERIC_OPT = {"query_token": True, "segments": ("crop.{}", "cropMin.{}")}


async def _source(
    request: Request[Any, Any, Any], runtime: Runtime, annotation_id: int, kind: str | None
) -> pictures.CropSource:
    """Where a readable annotation lies; 404 (or of another kind), 403 if not readable."""
    me = await provide_principal(request)
    async with runtime.acquire() as conn:
        return await pictures.crop_source(conn, me, annotation_id, kind)


async def _crop(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    annotation_id: int,
    kind: str | None,
    fmt: str,
    *,
    forced: str | None = None,
    default_size: int | None = None,
) -> Response[Any]:
    """Render the crop of one annotation from its slice."""
    slice_id, location = await _source(request, runtime, annotation_id, kind)
    params = Params(request, await body_params(request))
    options = crop_options(params, fmt, forced=forced, default_size=default_size)
    access = await imaging.open_image(request, runtime, "sliceinstance", slice_id)
    wkt = params.text("geometry") or location
    return await render_crop(request, runtime, access, wkt, options, params)


async def _kind_crop(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    annotation_id: FromPath[int],
    name: FromPath[str],
) -> Response[Any]:
    """Crop, mask or alpha mask of an annotation of the route's kind."""
    found = _KIND_NAME.match(name)
    if found is None:
        raise NotFound("Resource", name)
    fmt = split_format(name)[1]
    forced = None if found[1] == "crop" else found[1]
    kind = request.route_handler.opt["kind"]
    return await _crop(request, runtime, annotation_id, kind, fmt, forced=forced)


def _kind_route(path: str, service: str) -> Any:
    """The crop/mask/alphamask route of one annotation kind (``userannotation``...)."""
    kind = _KINDS[path]
    return kind_route(
        _kind_crop,
        f"/api/{path}/{{annotation_id:int}}/{{name:str}}",
        kind,
        opt=_KIND_OPT,
        tag=service,
        summary=f"{kind.title()}AnnotationCrop",
        name=f"{kind}_annotation_crop",
    )


user_annotation_crop = _kind_route("userannotation", "User annotation")
algo_annotation_crop = _kind_route("algoannotation", "Algo annotation")
reviewed_annotation_crop = _kind_route("reviewedannotation", "Reviewed annotation")


@route(
    "/api/annotation/{annotation_id:int}/{name:str}",
    http_method=list(GET_POST),
    status_code=200,
    opt=_GENERIC_OPT,
    tags=["Annotation (generic)"],
)
async def annotation_crop(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    annotation_id: FromPath[int],
    name: FromPath[str],
) -> Response[Any]:
    """Crop of any annotation (``crop.fmt``) or a small one (``cropMin.fmt``), 256 px by default."""
    if _GENERIC_NAME.match(name) is None:
        raise NotFound("Resource", name)
    fmt = split_format(name)[1]
    return await _crop(request, runtime, annotation_id, None, fmt, default_size=GENERIC_SIZE)


@get("/api/annotation/{annotation_id:int}/cropParameters", tags=["Annotation (generic)"])
async def crop_parameters(
    request: Request[Any, Any, Any], runtime: RuntimeDep, annotation_id: FromPath[int]
) -> dict[str, Any]:
    """The image-server parameters a crop of this annotation would use (legacy)."""
    _, location = await _source(request, runtime, annotation_id, None)
    params = Params(request, {})
    options = crop_options(params, "png", default_size=GENERIC_SIZE)
    annotation: dict[str, Any] = {"geometry": params.text("geometry") or location}
    found: dict[str, Any] = {
        "length": options.max_size,
        "context_factor": options.increase_area,
        "gammas": params.number("gamma"),
        "annotations": annotation,
    }
    if options.max_size is None:
        found["level"] = options.zoom
    if options.mode == "draw":
        found["try_square"] = options.square
        annotation["stroke_color"] = "#{:02x}{:02x}{:02x}".format(*options.style.color)
        annotation["stroke_width"] = options.style.thickness
    elif options.mode == "mask":
        annotation["fill_color"] = "#fff"
    else:
        alpha = options.mode == "alphamask"
        found["background_transparency"] = options.style.transparency if alpha else 0
    found["contrast"] = params.number("contrast")
    found["jpegQuality"] = params.integer("jpegQuality")
    return found


ROUTES: list[Any] = [
    user_annotation_crop,
    algo_annotation_crop,
    reviewed_annotation_crop,
    annotation_crop,
    crop_parameters,
]

__all__ = ["ROUTES"]
