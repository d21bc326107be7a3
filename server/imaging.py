"""The Litestar side of every pixel route: the tile thread pool, caches, and requests handed
to the framework-free picture pipeline (``server.picture_core``).

The hot path of a warm tile stays on the event loop: the caller is resolved from the cached
account, the (caller, image) decision comes from a short-lived in-memory cache, the strong
ETag is computed from ids and the file version (never from pixels), and the bytes come from
an in-process LRU bounded in bytes (the ``tile_cache_bytes`` setting). A stored JPEG tile
that needs no decode is read on the loop too (one ``pread``, see ``tiling.stored``); only
real decode/encode work goes to a thread, bounded by the runtime's ``tile_limiter``. Every GET
answered here is noted in the runtime's ``served_pictures`` so ``server.fast_tiles`` can answer
it again without routing it.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response

from server import signed_urls
from server.auth.provider import caller_of
from server.db.store.image_files import Kind
from server.fast_caches import Answer, ByteLru, Decisions
from server.picture_core import (
    Access,
    Picture,
    Render,
    authorize,
    cache_headers,
    ready,
    render_work,
    rendered,
    tag_of,
)
from server.runtime import Runtime
from server.tile_request import Shape, TileRequest
from tiling import etag


async def open_image(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    kind: Kind,
    object_id: int,
    token: str | None = None,
    fresh: bool = False,
) -> Access:
    """Authenticate (signed URL or credentials) and check read access to one image.

    ``token`` is the signature carried in the path (``/iiif/s/{token}/…``); it replaces any
    query or header credentials. ``fresh``: decide from the database now, not from the
    few-second decision cache.
    """
    if token is not None:
        signed = signed_urls.token_params(token)
    else:
        signed = {k: str(v) for k, v in request.query_params.items()}
    return await authorize(runtime, kind, object_id, signed, lambda: caller_of(request), fresh)


def not_modified(request: Request[Any, Any, Any], access: Access, tag: str) -> Response[Any] | None:
    """A 304 when If-None-Match names the tag, else None."""
    if etag.matches(request.headers.get("if-none-match"), tag):
        return Response(content=b"", status_code=304, headers=cache_headers(access, tag))
    return None


async def picture(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: Access,
    shape: Shape,
    render: Render,
    extra_headers: dict[str, str] | None = None,
) -> Response[Any]:
    """Answer a picture: 304, a cache hit or stored tile on the event loop, or a render in
    the tile pool."""
    if request.method == "GET":
        _remember(request, runtime, access, shape, extra_headers)
    answer = ready(runtime, access, shape, request.headers.get("if-none-match"), extra_headers)
    if answer is None:
        work = render_work(shape, render)
        hit = await anyio.to_thread.run_sync(work, access.path, limiter=runtime.tile_limiter)
        answer = rendered(runtime, access, shape, hit, extra_headers)
    return response_of(answer)


def response_of(answer: Picture) -> Response[Any]:
    """The Litestar response of a picture answer."""
    if answer.media_type is None:
        return Response(content=b"", status_code=answer.status, headers=answer.headers)
    return Response(content=answer.body, media_type=answer.media_type, headers=answer.headers)


def _remember(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    access: Access,
    shape: Shape,
    extra_headers: dict[str, str] | None,
) -> None:
    """Note what this GET was about, for ``server.fast_tiles`` to answer it again."""
    scope = request.scope
    extra = tuple((extra_headers or {}).items())
    answer = Answer(access.kind, access.object_id, access.file.version, shape, extra)
    runtime.served_pictures.put(scope["path"], scope["query_string"], answer)


__all__ = [
    "Access",
    "ByteLru",
    "Decisions",
    "TileRequest",
    "cache_headers",
    "not_modified",
    "open_image",
    "picture",
    "response_of",
    "tag_of",
]
