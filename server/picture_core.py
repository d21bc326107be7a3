"""The picture pipeline without a framework: who may read an image, and what the answer is.

The Litestar picture routes (through ``server.imaging``) and the raw-ASGI fast path
(``server.fast_tiles``) both call these functions, so the fast path is an optimisation of the
same code, never a second implementation:
- ``authorize``: a signed URL (path token or ``v``/``exp``/``sig`` query) or the caller's
  credentials (``server.auth.provider.principal_of``), then the (caller, image) decision from
  the few-second decision cache or one statement;
- ``ready``: the answer that needs no rendering (a 304, the encoded bytes from the LRU, or a
  stored JPEG tile copied through with one ``pread``), with its ETag and Cache-Control;
  ``rendered`` builds the answer around bytes a render produced.
A normalized tile is described by a ``TileRequest``; every other picture by the tuple of
values that shape it. Both give the ETag parameters; only a tile can be copied through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from contracts.errors import Forbidden
from server import signed_urls
from server.auth.caller import Caller
from server.auth.credentials import principal_of
from server.db.store import image_files
from server.db.store.image_files import ImageFile, Kind
from server.fast_caches import Decisions, decision_key
from server.tile_request import Shape, TileRequest, params_of
from tiling import etag, levels, stored

if TYPE_CHECKING:
    from server.runtime import Runtime

PRIVATE_CACHE = "private, max-age=300"
PUBLIC_CACHE = "public, max-age=31536000, immutable"

Render = Callable[[Path], tuple[bytes, str]]


class Access(msgspec.Struct, frozen=True, kw_only=True):
    """A caller's resolved, permitted access to one image file."""

    kind: Kind
    object_id: int
    file: ImageFile
    path: Path
    public: bool


class Picture(msgspec.Struct, frozen=True, gc=False):
    """A picture answer: 200 with bytes and their media type, or 304 without a body."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    media_type: str | None = None


def check_tile(access: Access, zoom: int, tx: int, ty: int) -> None:
    """TileOutOfRange (404) unless (zoom, tx, ty) is a normalized tile of the image."""
    width, height = access.file.width, access.file.height
    across, down = _grid(width, height, zoom)
    if not (0 <= tx < across and 0 <= ty < down):
        levels.check_tile(width, height, zoom, levels.zoom_count(width, height), tx, ty)


@functools.lru_cache(maxsize=1024)
def _grid(width: int, height: int, zoom: int) -> tuple[int, int]:
    """Tiles across and down at a zoom (memoized: every tile of an image asks)."""
    return levels.tiles_across(width, height, zoom, levels.zoom_count(width, height))


async def resolve(
    runtime: Runtime, kind: Kind, object_id: int, user: int, bypass: bool, fresh: bool = False
) -> ImageFile:
    """The file of an object, from the decision cache (unless ``fresh``) or one statement."""
    key = decision_key(user, bypass, kind, object_id)
    decisions: Decisions = runtime.image_decisions
    found = None if fresh else decisions.get(key)
    if found is None:
        # Acquired only on a cache miss, so warm requests never touch the pool.
        async with runtime.acquire() as conn:
            found = await image_files.resolve(conn, kind, object_id, user, bypass)
        decisions.put(key, found)
    return found


async def authorize(
    runtime: Runtime,
    kind: Kind,
    object_id: int,
    signed: Mapping[str, str],
    caller: Callable[[], Caller],
    fresh: bool = False,
) -> Access:
    """Authenticate and check read access to one image.

    ``signed``: the signature parameters of the request (a path token's or the query's);
    when they carry a signature it must be valid and it replaces the caller's credentials.
    ``caller``: reads the request's credentials, called only when no signature stands in.
    ``fresh``: decide from the database now, not from the few-second decision cache.
    """
    if signed_urls.has_signature(signed):
        version = signed_urls.verify(runtime.url_secret, kind, object_id, signed)
        file = await resolve(runtime, kind, object_id, 0, True)
        if file.version != version:
            raise Forbidden("This signed URL names an older version of the image")
        public = True
    else:
        me = await principal_of(runtime, caller())
        file = await resolve(runtime, kind, object_id, me.id, me.is_admin, fresh)
        public = False
    path = _stored_path(runtime.storage_root, file.path)
    return Access(kind=kind, object_id=object_id, file=file, path=path, public=public)


@functools.lru_cache(maxsize=1024)
def _stored_path(root: Path, relative: str) -> Path:
    """An image file's path under the storage root (memoized: built per request otherwise)."""
    return root / relative


def cache_headers(access: Access, tag: str) -> dict[str, str]:
    """ETag and Cache-Control of a picture response."""
    return cache_headers_of(access.public, tag)


def cache_headers_of(public: bool, tag: str) -> dict[str, str]:
    """ETag and Cache-Control of a picture response of a signed URL (``public``) or not."""
    return {"ETag": tag, "Cache-Control": PUBLIC_CACHE if public else PRIVATE_CACHE}


def tag_of(access: Access, *params: object) -> str:
    """The strong ETag of a response about ``access`` shaped by ``params``."""
    return etag.etag(access.object_id, access.file.version, access.kind, *params)


def _tag(access: Access, shape: Shape) -> str:
    """``tag_of`` a picture, remembered for the pictures asked for again and again."""
    try:
        return _known_tag(access.object_id, access.file.version, access.kind, shape)
    except TypeError:  # a value that cannot be a key: compute it each time
        return tag_of(access, *params_of(shape))


@functools.lru_cache(maxsize=8192)
def _known_tag(object_id: int, version: str, kind: str, shape: Shape) -> str:
    return etag.etag(object_id, version, kind, *params_of(shape))


def lookup(
    runtime: Runtime, access: Access, shape: Shape, if_none_match: str | None
) -> tuple[str, tuple[bytes, str] | None] | None:
    """The answer that needs no rendering, before any header is built: the ETag with None
    for a 304, with the cached bytes or a stored tile (and its media type) for a 200; None
    when the picture must be rendered."""
    tag = _tag(access, shape)
    if if_none_match and etag.matches(if_none_match, tag):
        return tag, None
    cache = runtime.picture_cache
    hit = cache.get(tag)
    if hit is None:
        hit = _stored_tile(access, shape)
        if hit is None:
            return None
        cache.put(tag, hit)
    return tag, hit


def ready(
    runtime: Runtime,
    access: Access,
    shape: Shape,
    if_none_match: str | None,
    extra_headers: Mapping[str, str] | None = None,
) -> Picture | None:
    """``lookup``'s answer as a Picture: 304, the cached bytes or a stored tile; else None."""
    found = lookup(runtime, access, shape, if_none_match)
    if found is None:
        return None
    tag, hit = found
    headers = {**cache_headers(access, tag), **(extra_headers or {})}
    return Picture(304, headers) if hit is None else Picture(200, headers, *hit)


def rendered(
    runtime: Runtime,
    access: Access,
    shape: Shape,
    hit: tuple[bytes, str],
    extra_headers: Mapping[str, str] | None = None,
) -> Picture:
    """The answer around freshly rendered bytes, which the picture cache keeps."""
    tag = _tag(access, shape)
    runtime.picture_cache.put(tag, hit)
    return Picture(200, {**cache_headers(access, tag), **(extra_headers or {})}, *hit)


def render_work(shape: Shape, render: Render) -> Render:
    """The render to run in the tile pool; a JPEG tile's also indexes the file's stored
    tiles, so the next tiles of the file are copied through."""
    if not (isinstance(shape, TileRequest) and shape.copy_through):
        return render

    def run(path: Path) -> tuple[bytes, str]:
        stored.prepare(path)
        return render(path)

    return run


def _stored_tile(access: Access, shape: Shape) -> tuple[bytes, str] | None:
    """A stored JPEG tile (one pread, no decode), when the file has one for this tile."""
    if not (isinstance(shape, TileRequest) and shape.copy_through):
        return None
    data = stored.jpeg_tile(access.path, shape.zoom, shape.tx, shape.ty, prepare=False)
    return None if data is None else (data, "image/jpeg")


__all__ = [
    "Access",
    "Picture",
    "authorize",
    "cache_headers",
    "cache_headers_of",
    "check_tile",
    "lookup",
    "ready",
    "render_work",
    "rendered",
    "resolve",
    "tag_of",
]
