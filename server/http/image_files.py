"""Original file downloads and signed picture URLs (``tileurl``) of images and slices.

``GET /api/{imageinstance|sliceinstance|abstractimage}/{id}/tileurl`` answers, for a caller
who may read the image, a query string ``v=<file version>&exp=<epoch s>&sig=<hmac>`` and URL
templates carrying it. Any picture route of that object (tiles, thumb, window, IIIF, DZI)
accepts the query without an Authorization header until ``exp`` and answers
``Cache-Control: public, max-age=31536000, immutable``; a new file version changes the URL.

For an image instance it also answers ``iiifBase`` (``/iiif/s/{token}/{id}``, a IIIF Image
API base), ``iiif`` (its info.json) and ``dzi`` (``/dzi/s/{token}/{id}.dzi``): the same
signature carried in the path, so that standard viewers, which build tile URLs from the base
and drop queries, stay signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import File

from contracts.errors import Forbidden
from server import imaging, signed_urls
from server.db.store.image_files import Kind
from server.http.deps import RuntimeDep
from server.public_url import base_url
from server.runtime import Runtime

_OPT = {"query_token": True}


class SignedUrls(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Signed URL query and templates of one image (``{z}``/``{x}``/``{y}`` placeholders)."""

    query: str
    expires: str
    version: str
    thumb: str
    window: str
    tile: str | None = None
    iiif: str | None = None
    iiif_base: str | None = msgspec.field(default=None, name="iiifBase")
    dzi: str | None = None


async def _download(
    request: Request[Any, Any, Any], runtime: Runtime, kind: Kind, object_id: int
) -> Response[Any] | File:
    """Stream the original file as an attachment (304 when the client has this version)."""
    # Decided now: a project that just forbade downloads does not serve one more.
    access = await imaging.open_image(request, runtime, kind, object_id, fresh=True)
    if access.public:
        raise Forbidden("A signed picture URL does not download the original file")
    if not access.file.downloadable:
        raise Forbidden("The images of this project cannot be downloaded (areImagesDownloadable)")
    tag = imaging.tag_of(access, "download")
    unchanged = imaging.not_modified(request, access, tag)
    if unchanged is not None:
        return unchanged
    return File(
        path=Path(runtime.storage_root) / access.file.original_path,
        filename=access.file.filename,
        media_type="application/octet-stream",
        headers=imaging.cache_headers(access, tag),
    )


@get("/api/imageinstance/{instance_id:int}/download", opt=_OPT, tags=["Image instance"])
async def image_instance_download(
    request: Request[Any, Any, Any], runtime: RuntimeDep, instance_id: FromPath[int]
) -> Response[Any] | File:
    """The original file of an image instance."""
    return await _download(request, runtime, "imageinstance", instance_id)


@get("/api/sliceinstance/{slice_id:int}/download", opt=_OPT, tags=["Slice instance"])
async def slice_instance_download(
    request: Request[Any, Any, Any], runtime: RuntimeDep, slice_id: FromPath[int]
) -> Response[Any] | File:
    """The original file of a slice instance's image."""
    return await _download(request, runtime, "sliceinstance", slice_id)


@get("/api/abstractimage/{image_id:int}/download", opt=_OPT, tags=["Abstract image"])
async def abstract_image_download(
    request: Request[Any, Any, Any], runtime: RuntimeDep, image_id: FromPath[int]
) -> Response[Any] | File:
    """The original file of an abstract image."""
    return await _download(request, runtime, "abstractimage", image_id)


async def _signed(
    request: Request[Any, Any, Any], runtime: Runtime, kind: Kind, object_id: int
) -> SignedUrls:
    """Sign the picture URLs of one object for a caller who may read it."""
    access = await imaging.open_image(request, runtime, kind, object_id)
    if access.public:
        raise Forbidden("A signed URL cannot be used to sign new URLs")
    query, exp = signed_urls.sign(runtime.url_secret, kind, object_id, access.file.version)
    base = base_url(request)
    root = f"{base}/api/{kind}/{object_id}"
    urls = SignedUrls(
        query=query,
        expires=str(exp * 1000),
        version=access.file.version,
        thumb=f"{root}/thumb.jpg?maxSize=512&{query}",
        window=f"{root}/window-{{x}}-{{y}}-{{w}}-{{h}}.jpg?{query}",
    )
    if kind == "sliceinstance":
        urls.tile = f"{root}/normalized-tile/zoom/{{z}}/tx/{{x}}/ty/{{y}}.jpg?{query}"
    if kind == "imageinstance":
        # Viewers derive tile URLs from these and drop queries: the signature is in the path.
        token, _ = signed_urls.sign_token(runtime.url_secret, kind, object_id, access.file.version)
        urls.iiif_base = f"{base.rstrip('/')}/iiif/s/{token}/{object_id}"
        urls.iiif = f"{urls.iiif_base}/info.json"
        urls.dzi = f"{base.rstrip('/')}/dzi/s/{token}/{object_id}.dzi"
    return urls


@get("/api/imageinstance/{instance_id:int}/tileurl", opt=_OPT, tags=["Image instance"])
async def image_instance_urls(
    request: Request[Any, Any, Any], runtime: RuntimeDep, instance_id: FromPath[int]
) -> SignedUrls:
    """Signed picture URLs of an image instance (thumb, window, IIIF, DZI)."""
    return await _signed(request, runtime, "imageinstance", instance_id)


@get("/api/sliceinstance/{slice_id:int}/tileurl", opt=_OPT, tags=["Slice instance"])
async def slice_instance_urls(
    request: Request[Any, Any, Any], runtime: RuntimeDep, slice_id: FromPath[int]
) -> SignedUrls:
    """Signed picture URLs of a slice instance (normalized tiles, thumb, window)."""
    return await _signed(request, runtime, "sliceinstance", slice_id)


@get("/api/abstractimage/{image_id:int}/tileurl", opt=_OPT, tags=["Abstract image"])
async def abstract_image_urls(
    request: Request[Any, Any, Any], runtime: RuntimeDep, image_id: FromPath[int]
) -> SignedUrls:
    """Signed picture URLs of an abstract image (thumb, window)."""
    return await _signed(request, runtime, "abstractimage", image_id)


ROUTES: list[Any] = [
    image_instance_download,
    slice_instance_download,
    abstract_image_download,
    image_instance_urls,
    slice_instance_urls,
    abstract_image_urls,
]

__all__ = ["ROUTES", "SignedUrls"]
