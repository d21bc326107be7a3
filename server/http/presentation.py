"""IIIF Presentation API 3.0: manifests of image instances and projects, annotation pages.

``/iiif/presentation/imageinstance/{id}/manifest.json`` and
``/iiif/presentation/project/{id}/manifest.json`` describe images as canvases (a project's
images are its canvases, so a viewer such as Mirador opens a whole project);
``/iiif/presentation/imageinstance/{id}/annotations.json`` is an image's annotations as a W3C
AnnotationPage. They take the API's credentials; their signed twins under
``/iiif/presentation/s/{token}/…`` take none, since viewers fetch manifests, image services
and annotation pages without credentials.

A presentation token (``{reader}~{exp}~{sig}``, the same HMAC as image URLs) signs one manifest
or annotation page *for a reader* (the account that obtained it): a signed request is answered
with that account's rights at the time of the request (ACL in SQL, so removing a member also
closes the URLs they shared), until ``exp``. A manifest reached with credentials names its
signed twin as its ``id``: hand that URL to a viewer. Inside a manifest every link is signed
and expires with it: image services (``/iiif/s/{token}/{id}``, checked by the image routes),
and annotation pages. A project token covers exactly the images the SQL lists in that project.

Annotations use the motivation ``commenting`` with one ``TextualBody`` per term name (purpose
``tagging``): Mirador 3 shows ``commenting`` and ``tagging`` annotations by default (it hides
``supplementing``), lists the comment and draws the tags as chips. Targets carry an
``SvgSelector`` (what Mirador draws), or with ``?selector=wkt`` a ``WKTSelector``, in canvas
coordinates (y down, flipped in SQL). One selector per target: the Presentation 3.0 schema
(and the ``iiif-prezi3`` models) take a single selector, not a list of alternatives. A page
holds up to ``max`` annotations (default 1000, at most 10000) by id, and names the next page in
``next`` (viewers that ignore ``next`` show the first page only).
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get
from litestar.params import FromPath

from contracts.errors import Invalid
from server import signed_urls
from server.auth.provider import provide_principal
from server.db.store import presentation
from server.db.store.presentation import Canvas, Target
from server.http.deps import RuntimeDep
from server.public_url import base_url
from server.runtime import Runtime

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
JSON_LD = f'application/ld+json;profile="{CONTEXT}"'
ROOT = "/iiif/presentation"
PAGE_SIZE = 1000
MAX_PAGE_SIZE = 10000
THUMB = "full/!256,256/0/default.jpg"
_OPT = {"query_token": True}


class Reader(NamedTuple):
    """Who a (signed) request reads as, and until when its links are signed."""

    user_id: int
    admin: bool
    exp: int


def _kind(kind: str) -> str:
    """The signed kind of a presentation token (never an image kind: scopes don't mix)."""
    return f"presentation:{kind}"


def _token(runtime: Runtime, reader: Reader, kind: str, object_id: int) -> str:
    version = f"{reader.user_id}{'a' if reader.admin else ''}"
    return signed_urls.token_until(runtime.url_secret, _kind(kind), object_id, version, reader.exp)


async def _reader(
    request: Request[Any, Any, Any], runtime: Runtime, kind: str, object_id: int, token: str | None
) -> Reader:
    """The reader of a signed request (its token) or of a credentialed one (the caller)."""
    if token is None:
        me = await provide_principal(request)
        exp = int(time.time()) + signed_urls.DEFAULT_TTL_SECONDS
        return Reader(me.id, me.is_admin, exp)
    query = signed_urls.token_params(token)
    version = signed_urls.verify(runtime.url_secret, _kind(kind), object_id, query)
    return Reader(int(version.rstrip("a")), version.endswith("a"), int(query["exp"]))


def _url(base: str, runtime: Runtime, reader: Reader, kind: str, object_id: int, leaf: str) -> str:
    token = _token(runtime, reader, kind, object_id)
    return f"{base}{ROOT}/s/{token}/{kind}/{object_id}/{leaf}"


def _label(canvas: Canvas) -> dict[str, list[str]]:
    return {"none": [canvas.name if canvas.name is not None else f"Image {canvas.id}"]}


def canvas_id(base: str, image_id: int) -> str:
    """The canvas of an image: the same in every manifest, so annotation targets match."""
    return f"{base}{ROOT}/imageinstance/{image_id}/canvas"


def _canvas(base: str, runtime: Runtime, reader: Reader, canvas: Canvas) -> dict[str, Any]:
    """A canvas painted by the image's signed IIIF image service."""
    token = signed_urls.token_until(
        runtime.url_secret, "imageinstance", canvas.id, canvas.version, reader.exp
    )
    service_id = f"{base}/iiif/s/{token}/{canvas.id}"
    service = [{"id": service_id, "type": "ImageService3", "profile": "level2"}]
    cid = canvas_id(base, canvas.id)
    body = {
        "id": f"{service_id}/full/max/0/default.jpg",
        "type": "Image",
        "format": "image/jpeg",
        "width": canvas.width,
        "height": canvas.height,
        "service": service,
    }
    painting = {
        "id": f"{cid}/painting",
        "type": "Annotation",
        "motivation": "painting",
        "body": body,
        "target": cid,
    }
    thumb = {"id": f"{service_id}/{THUMB}", "type": "Image", "format": "image/jpeg"}
    annotations = _url(base, runtime, reader, "imageinstance", canvas.id, "annotations.json")
    return {
        "id": cid,
        "type": "Canvas",
        "label": _label(canvas),
        "width": canvas.width,
        "height": canvas.height,
        "thumbnail": [{**thumb, "service": service}],
        "items": [{"id": f"{cid}/page", "type": "AnnotationPage", "items": [painting]}],
        "annotations": [{"id": annotations, "type": "AnnotationPage"}],
    }


def _answer(request: Request[Any, Any, Any], doc: dict[str, Any]) -> Response[Any]:
    """The document as JSON, or JSON-LD with the Presentation profile when asked."""
    wants_ld = "application/ld+json" in request.headers.get("accept", "")
    return Response(
        content=msgspec.json.encode(doc),
        media_type=JSON_LD if wants_ld else "application/json",
        headers={"Cache-Control": "private, no-cache"},
    )


def _manifest(
    runtime: Runtime, reader: Reader, base: str, kind: str, object_id: int, label: dict[str, Any]
) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": _url(base, runtime, reader, kind, object_id, "manifest.json"),
        "type": "Manifest",
        "label": label,
    }


async def _image_manifest(
    request: Request[Any, Any, Any], runtime: Runtime, image_id: int, token: str | None
) -> Response[Any]:
    reader = await _reader(request, runtime, "imageinstance", image_id, token)
    async with runtime.acquire() as conn:
        canvas = await presentation.image(conn, image_id, reader.user_id, reader.admin)
    base = base_url(request)
    doc = _manifest(runtime, reader, base, "imageinstance", image_id, _label(canvas))
    item = _canvas(base, runtime, reader, canvas)
    doc["thumbnail"] = item["thumbnail"]
    doc["items"] = [item]
    return _answer(request, doc)


async def _project_manifest(
    request: Request[Any, Any, Any], runtime: Runtime, project_id: int, token: str | None
) -> Response[Any]:
    reader = await _reader(request, runtime, "project", project_id, token)
    async with runtime.acquire() as conn:
        name, canvases = await presentation.project(conn, project_id, reader.user_id, reader.admin)
    base = base_url(request)
    doc = _manifest(runtime, reader, base, "project", project_id, {"none": [name]})
    items = [_canvas(base, runtime, reader, canvas) for canvas in canvases]
    if items:
        doc["thumbnail"] = items[0]["thumbnail"]
    doc["behavior"] = ["individuals"]
    doc["items"] = items
    return _answer(request, doc)


class Paging(NamedTuple):
    """An annotation page request: ids above ``after``, ``limit`` of them, which selector."""

    after: int | None
    limit: int
    selector: str

    def query(self, after: int | None) -> str:
        """The query of the page after ``after`` (empty for the default first page)."""
        params: dict[str, object] = {} if after is None else {"after": after}
        if self.limit != PAGE_SIZE:
            params["max"] = self.limit
        if self.selector != "svg":
            params["selector"] = self.selector
        return f"?{urlencode(params)}" if params else ""


def _selector(target: Target, kind: str) -> dict[str, str]:
    """The target's shape: an SVG path or circle (y down), or its WKT twin."""
    if kind == "wkt":
        return {"type": "WKTSelector", "value": target.wkt}
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{target.svg}</svg>'
    return {"type": "SvgSelector", "value": svg}


def _annotation(base: str, cid: str, target: Target, selector: str) -> dict[str, Any]:
    """A Cytomine annotation as a W3C Web Annotation on its canvas."""
    comment = {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": f"Annotation {target.id}",
        "format": "text/plain",
    }
    tags = [
        {"type": "TextualBody", "purpose": "tagging", "value": name, "format": "text/plain"}
        for name in target.terms
    ]
    return {
        "id": f"{base}/api/annotation/{target.id}.json",
        "type": "Annotation",
        "motivation": "commenting",
        "body": [comment, *tags],
        "target": {
            "type": "SpecificResource",
            "source": {"id": cid, "type": "Canvas"},
            "selector": _selector(target, selector),
        },
    }


def _paging(request: Request[Any, Any, Any]) -> Paging:
    """``after`` (last id of the previous page), ``max`` and ``selector`` from the query."""
    query = request.query_params
    try:
        after = int(query["after"]) if "after" in query else None
        limit = int(query.get("max") or PAGE_SIZE)
    except ValueError:
        raise Invalid("after and max must be integers") from None
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(f"max must be between 1 and {MAX_PAGE_SIZE}")
    selector = query.get("selector") or "svg"
    if selector not in ("svg", "wkt"):
        raise Invalid("selector must be svg or wkt")
    return Paging(after, limit, selector)


async def _annotation_page(
    request: Request[Any, Any, Any], runtime: Runtime, image_id: int, token: str | None
) -> Response[Any]:
    paging = _paging(request)
    reader = await _reader(request, runtime, "imageinstance", image_id, token)
    async with runtime.acquire() as conn:
        await presentation.image(conn, image_id, reader.user_id, reader.admin)
        targets = await presentation.targets(
            conn, image_id, reader.user_id, reader.admin, paging.after, paging.limit
        )
    base = base_url(request)
    page = f"{base}{request.url.path}"
    if token is None:
        page = _url(base, runtime, reader, "imageinstance", image_id, "annotations.json")
    cid = canvas_id(base, image_id)
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{page}{paging.query(paging.after)}",
        "type": "AnnotationPage",
        "items": [_annotation(base, cid, target, paging.selector) for target in targets],
    }
    if len(targets) == paging.limit:
        doc["next"] = {"id": f"{page}{paging.query(targets[-1].id)}", "type": "AnnotationPage"}
    return _answer(request, doc)


@get(f"{ROOT}/imageinstance/{{image_id:int}}/manifest", opt=_OPT, tags=["IIIF"])
async def image_manifest(
    request: Request[Any, Any, Any], runtime: RuntimeDep, image_id: FromPath[int]
) -> Response[Any]:
    """The manifest of one image instance (one canvas)."""
    return await _image_manifest(request, runtime, image_id, None)


@get(f"{ROOT}/project/{{project_id:int}}/manifest", opt=_OPT, tags=["IIIF"])
async def project_manifest(
    request: Request[Any, Any, Any], runtime: RuntimeDep, project_id: FromPath[int]
) -> Response[Any]:
    """The manifest of a project: one canvas per image, by id."""
    return await _project_manifest(request, runtime, project_id, None)


@get(f"{ROOT}/imageinstance/{{image_id:int}}/annotations", opt=_OPT, tags=["IIIF"])
async def image_annotations(
    request: Request[Any, Any, Any], runtime: RuntimeDep, image_id: FromPath[int]
) -> Response[Any]:
    """The image's annotations the caller may see, as an AnnotationPage."""
    return await _annotation_page(request, runtime, image_id, None)


@get(f"{ROOT}/s/{{token:str}}/imageinstance/{{image_id:int}}/manifest", tags=["IIIF"])
async def signed_image_manifest(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    image_id: FromPath[int],
) -> Response[Any]:
    """The manifest of one image instance, signed for its reader."""
    return await _image_manifest(request, runtime, image_id, token)


@get(f"{ROOT}/s/{{token:str}}/project/{{project_id:int}}/manifest", tags=["IIIF"])
async def signed_project_manifest(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    project_id: FromPath[int],
) -> Response[Any]:
    """The manifest of a project, signed for its reader."""
    return await _project_manifest(request, runtime, project_id, token)


@get(f"{ROOT}/s/{{token:str}}/imageinstance/{{image_id:int}}/annotations", tags=["IIIF"])
async def signed_image_annotations(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    token: FromPath[str],
    image_id: FromPath[int],
) -> Response[Any]:
    """An image's annotations as an AnnotationPage, signed for its reader."""
    return await _annotation_page(request, runtime, image_id, token)


ROUTES: list[Any] = [
    image_manifest,
    project_manifest,
    image_annotations,
    signed_image_manifest,
    signed_project_manifest,
    signed_image_annotations,
]

__all__ = ["ROUTES", "canvas_id"]
