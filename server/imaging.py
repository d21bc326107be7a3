"""Shared serving logic of every pixel route: access, ETags, caches and the tile thread pool.

The hot path of a warm tile stays on the event loop: the caller is resolved from the cached
account, the (caller, image) decision comes from a short-lived in-memory cache, the strong
ETag is computed from ids and the file version (never from pixels), and the bytes come from
an in-process LRU bounded in bytes (the ``tile_cache_bytes`` setting). A
stored JPEG tile that needs no decode is read on the loop too (one ``pread``, see
``tiling.stored``); only real decode/encode work goes to a thread, bounded by
``state.tile_limiter`` (created in the ``imaging_state`` lifespan). Every GET answered here is
noted in ``state.served_pictures`` so ``server.fast_tiles`` can answer it again from memory.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import msgspec
from litestar import Litestar, Request, Response
from litestar.datastructures import State

from contracts.errors import Forbidden
from server import signed_urls
from server.auth.provider import provide_principal
from server.db.store import image_files
from server.db.store.image_files import ImageFile, Kind
from server.fast_caches import Answer, ByteLru, Decisions, Served, decision_key
from tiling import etag, sources, stored

PRIVATE_CACHE = "private, max-age=300"
PUBLIC_CACHE = "public, max-age=31536000, immutable"

Render = Callable[[Path], tuple[bytes, str]]


class Access(msgspec.Struct, frozen=True, kw_only=True):
    """A caller's resolved, permitted access to one image file."""

    kind: str
    object_id: int
    file: ImageFile
    path: Path
    public: bool


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


async def _resolve(
    state: State, kind: Kind, object_id: int, user: int, bypass: bool, fresh: bool = False
) -> ImageFile:
    """The file of an object, from the decision cache (unless ``fresh``) or one statement."""
    key = decision_key(user, bypass, kind, object_id)
    decisions: Decisions = state.image_decisions
    found = None if fresh else decisions.get(key)
    if found is None:
        # Acquired only on a cache miss, so warm requests never touch the pool.
        async with state.pool.acquire() as conn:
            found = await image_files.resolve(conn, kind, object_id, user, bypass)
        decisions.put(key, found)
    return found


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
        query = signed_urls.token_params(token)
    else:
        query = {k: str(v) for k, v in request.query_params.items()}
    if token is not None or signed_urls.has_signature(query):
        version = signed_urls.verify(state.url_secret, kind, object_id, query)
        file = await _resolve(state, kind, object_id, 0, True)
        if file.version != version:
            raise Forbidden("This signed URL names an older version of the image")
        public = True
    else:
        me = await provide_principal(request, state)
        file = await _resolve(state, kind, object_id, me.id, me.is_admin, fresh)
        public = False
    path = Path(state.storage_root) / file.path
    return Access(kind=kind, object_id=object_id, file=file, path=path, public=public)


def cache_headers(access: Access, tag: str) -> dict[str, str]:
    """ETag and Cache-Control of a picture response."""
    control = PUBLIC_CACHE if access.public else PRIVATE_CACHE
    return {"ETag": tag, "Cache-Control": control}


def tag_of(access: Access, *params: object) -> str:
    """The strong ETag of a response about ``access`` shaped by ``params``."""
    return etag.etag(access.object_id, access.file.version, access.kind, *params)


def not_modified(request: Request[Any, Any, Any], access: Access, tag: str) -> Response[Any] | None:
    """A 304 when If-None-Match names the tag, else None."""
    if etag.matches(request.headers.get("if-none-match"), tag):
        return Response(content=b"", status_code=304, headers=cache_headers(access, tag))
    return None


async def picture(
    request: Request[Any, Any, Any],
    state: State,
    access: Access,
    params: tuple[object, ...],
    render: Render,
    extra_headers: dict[str, str] | None = None,
) -> Response[Any]:
    """Answer a picture: 304, a cache hit on the event loop, or a render in the tile pool."""
    tag = tag_of(access, *params)
    headers = {**cache_headers(access, tag), **(extra_headers or {})}
    if request.method == "GET":
        _remember(request, state, access, tag, extra_headers)
    if etag.matches(request.headers.get("if-none-match"), tag):
        return Response(content=b"", status_code=304, headers=headers)
    hit = state.picture_cache.get(tag) or _stored_tile(access, params)
    if hit is None:
        work = _indexing(render) if _is_jpeg_tile(params) else render
        hit = await anyio.to_thread.run_sync(work, access.path, limiter=state.tile_limiter)
    state.picture_cache.put(tag, hit)
    data, media_type = hit
    return Response(content=data, media_type=media_type, headers=headers)


def _is_jpeg_tile(params: tuple[object, ...]) -> bool:
    """True for a normalized JPEG tile of the default plane: ``("tile", z, x, y, "jpg")``."""
    return len(params) == 5 and params[0] == "tile" and params[4] == "jpg"


def _stored_tile(access: Access, params: tuple[object, ...]) -> tuple[bytes, str] | None:
    """A stored JPEG tile read on the event loop (one pread, no decode), when possible."""
    if not _is_jpeg_tile(params):
        return None
    zoom, tx, ty = (int(str(v)) for v in params[1:4])
    data = stored.jpeg_tile(access.path, zoom, tx, ty, prepare=False)
    return None if data is None else (data, "image/jpeg")


def _indexing(render: Render) -> Render:
    """``render`` that also indexes the file's stored tiles for the next requests."""

    def run(path: Path) -> tuple[bytes, str]:
        stored.prepare(path)
        return render(path)

    return run


def _remember(
    request: Request[Any, Any, Any],
    state: State,
    access: Access,
    tag: str,
    extra_headers: dict[str, str] | None,
) -> None:
    """Note what this GET was answered with, for ``server.fast_tiles`` to replay."""
    scope = request.scope
    extra = tuple((extra_headers or {}).items())
    answer = Answer(access.kind, access.object_id, access.file.version, tag, extra)
    state.served_pictures.put(scope["path"], scope["query_string"], answer)


__all__ = [
    "Access",
    "ByteLru",
    "Decisions",
    "cache_headers",
    "imaging_state",
    "not_modified",
    "open_image",
    "picture",
    "tag_of",
]
