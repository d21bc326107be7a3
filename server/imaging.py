"""Shared serving logic of every pixel route: access, ETags, caches and the tile thread pool.

The hot path of a warm tile stays on the event loop: the caller is resolved from the cached
account, the (caller, image) decision comes from a short-lived in-memory cache, the strong
ETag is computed from ids and the file version (never from pixels), and the bytes come from
an in-process LRU bounded in bytes. Only real decode/encode work goes to a thread, bounded by
``state.tile_limiter`` (created in the ``imaging_state`` lifespan).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
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
from tiling import etag

DECISION_SECONDS = 5.0
PRIVATE_CACHE = "private, max-age=300"
PUBLIC_CACHE = "public, max-age=31536000, immutable"
LRU_BYTES = 64 * 1024 * 1024
LRU_ITEM_BYTES = 1024 * 1024

Render = Callable[[Path], tuple[bytes, str]]


class Access(msgspec.Struct, frozen=True, kw_only=True):
    """A caller's resolved, permitted access to one image file."""

    kind: str
    object_id: int
    file: ImageFile
    path: Path
    public: bool


class ByteLru:
    """Encoded pictures keyed by ETag, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = LRU_BYTES, max_item: int = LRU_ITEM_BYTES) -> None:
        self.max_bytes, self.max_item, self.size = max_bytes, max_item, 0
        self._items: OrderedDict[str, tuple[bytes, str]] = OrderedDict()

    def get(self, key: str) -> tuple[bytes, str] | None:
        """The cached picture of an ETag, marked as recently used."""
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        return hit

    def put(self, key: str, value: tuple[bytes, str]) -> None:
        """Keep a picture unless it is too large; evict the least recently used."""
        if len(value[0]) > self.max_item or key in self._items:
            return
        self._items[key] = value
        self.size += len(value[0])
        while self.size > self.max_bytes:
            _, (data, _) = self._items.popitem(last=False)
            self.size -= len(data)


class Decisions:
    """Granted (caller, object) accesses, remembered for a few seconds."""

    def __init__(self, ttl: float = DECISION_SECONDS) -> None:
        self.ttl = ttl
        self._items: dict[tuple[object, ...], tuple[float, ImageFile]] = {}

    def get(self, key: tuple[object, ...]) -> ImageFile | None:
        """A still valid decision, else None."""
        hit = self._items.get(key)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, key: tuple[object, ...], file: ImageFile) -> None:
        """Remember a granted access."""
        if len(self._items) > 10_000:
            self._items.clear()
        self._items[key] = (time.monotonic() + self.ttl, file)


@asynccontextmanager
async def imaging_state(app: Litestar) -> AsyncIterator[None]:
    """Tile thread limiter, caches and the URL signing secret of this worker."""
    app.state.tile_limiter = anyio.CapacityLimiter(max(2, 2 * (os.cpu_count() or 1)))
    app.state.picture_cache = ByteLru()
    app.state.image_decisions = Decisions()
    pem = app.state.signing_key.key.as_pem(private=True)
    app.state.url_secret = signed_urls.derive_secret(pem)
    yield


async def _resolve(state: State, kind: Kind, object_id: int, user: int, bypass: bool) -> ImageFile:
    """The file of an object, from the decision cache or one SQL statement."""
    key = (user, bypass, kind, object_id)
    decisions: Decisions = state.image_decisions
    found = decisions.get(key)
    if found is None:
        # Acquired only on a cache miss, so warm requests never touch the pool.
        async with state.pool.acquire() as conn:
            found = await image_files.resolve(conn, kind, object_id, user, bypass)
        decisions.put(key, found)
    return found


async def open_image(
    request: Request[Any, Any, Any], state: State, kind: Kind, object_id: int
) -> Access:
    """Authenticate (signed URL or credentials) and check read access to one image."""
    query = {k: str(v) for k, v in request.query_params.items()}
    if signed_urls.has_signature(query):
        version = signed_urls.verify(state.url_secret, kind, object_id, query)
        file = await _resolve(state, kind, object_id, 0, True)
        if file.version != version:
            raise Forbidden("This signed URL names an older version of the image")
        public = True
    else:
        me = await provide_principal(request, state)
        file = await _resolve(state, kind, object_id, me.id, me.is_admin)
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
    if etag.matches(request.headers.get("if-none-match"), tag):
        return Response(content=b"", status_code=304, headers=headers)
    hit = state.picture_cache.get(tag)
    if hit is None:
        hit = await anyio.to_thread.run_sync(render, access.path, limiter=state.tile_limiter)
        state.picture_cache.put(tag, hit)
    data, media_type = hit
    return Response(content=data, media_type=media_type, headers=headers)


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
