"""The Litestar side of every pixel route: the tile thread pool, caches, and requests handed
to the framework-free picture pipeline (``server.picture_core``).

The hot path of a warm tile stays on the event loop: the caller is resolved from the cached
account, the (caller, image) decision comes from a short-lived in-memory cache, the strong
ETag is computed from ids and the file version (never from pixels), and the bytes come from
an in-process LRU bounded in bytes (the ``tile_cache_bytes`` setting). A stored JPEG tile
that needs no decode is read on the loop too (one ``pread``, see ``tiling.stored``); only
real decode/encode work goes to a thread, bounded by ``state.tile_limiter`` (created in the
``imaging_state`` lifespan). Every GET answered here is noted in ``state.served_pictures``
so ``server.fast_tiles`` can answer it again without routing it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from litestar import Litestar, Request, Response
from litestar.datastructures import State

from server import signed_urls
from server.auth.provider import caller_of
from server.db.store.image_files import Kind
from server.fast_caches import Answer, ByteLru, Decisions, Served
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
from server.tile_request import Shape, TileRequest
from tiling import etag, sources


@asynccontextmanager
async def imaging_state(app: Litestar) -> AsyncIterator[None]:
    """Tile thread limiter, caches, the URL signing secret and the picture cost limits."""
    app.state.tile_limiter = anyio.CapacityLimiter(max(2, 2 * (os.cpu_count() or 1)))
    size = app.state.settings.tile_cache_bytes
    app.state.picture_cache = ByteLru(size)
    app.state.image_decisions = Decisions()
    app.state.served_pictures = Served()
    pem = app.state.signing_key.key.as_pem(private=True)
    app.state.url_secret = signed_urls.derive_secret(pem)
    settings = app.state.settings
    sources.set_limits(sources.Limits(settings.max_output_pixels, settings.max_decode_pixels))
    try:
        yield
    finally:
        sources.set_limits(sources.Limits())


async def open_image(
    request: Request[Any, Any, Any],
    state: State,
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
    return await authorize(state, kind, object_id, signed, lambda: caller_of(request), fresh)


def not_modified(request: Request[Any, Any, Any], access: Access, tag: str) -> Response[Any] | None:
    """A 304 when If-None-Match names the tag, else None."""
    if etag.matches(request.headers.get("if-none-match"), tag):
        return Response(content=b"", status_code=304, headers=cache_headers(access, tag))
    return None


async def picture(
    request: Request[Any, Any, Any],
    state: State,
    access: Access,
    shape: Shape,
    render: Render,
    extra_headers: dict[str, str] | None = None,
) -> Response[Any]:
    """Answer a picture: 304, a cache hit or stored tile on the event loop, or a render in
    the tile pool."""
    if request.method == "GET":
        _remember(request, state, access, shape, extra_headers)
    answer = ready(state, access, shape, request.headers.get("if-none-match"), extra_headers)
    if answer is None:
        work = render_work(shape, render)
        hit = await anyio.to_thread.run_sync(work, access.path, limiter=state.tile_limiter)
        answer = rendered(state, access, shape, hit, extra_headers)
    return response_of(answer)


def response_of(answer: Picture) -> Response[Any]:
    """The Litestar response of a picture answer."""
    if answer.media_type is None:
        return Response(content=b"", status_code=answer.status, headers=answer.headers)
    return Response(content=answer.body, media_type=answer.media_type, headers=answer.headers)


def _remember(
    request: Request[Any, Any, Any],
    state: State,
    access: Access,
    shape: Shape,
    extra_headers: dict[str, str] | None,
) -> None:
    """Note what this GET was about, for ``server.fast_tiles`` to answer it again."""
    scope = request.scope
    extra = tuple((extra_headers or {}).items())
    answer = Answer(access.kind, access.object_id, access.file.version, shape, extra)
    state.served_pictures.put(scope["path"], scope["query_string"], answer)


__all__ = [
    "Access",
    "ByteLru",
    "Decisions",
    "TileRequest",
    "cache_headers",
    "imaging_state",
    "not_modified",
    "open_image",
    "picture",
    "response_of",
    "tag_of",
]
