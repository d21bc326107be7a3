"""A raw-ASGI fast path in front of the app for picture GETs (tiles above all).

Litestar's routing, dependency injection and response machinery cost more than a tile that
needs no rendering. This wrapper runs the app's own picture pipeline (``server.picture_core``:
the same access decision, ETag, 304, Cache-Control, picture cache and stored-tile read) on
two kinds of GET, without the framework:
- a plain JPEG normalized tile (``/api/{sliceinstance|abstractslice}/{id}/normalized-tile/
  zoom/{z}/tx/{x}/ty/{y}.jpg`` whose query holds credentials only), read from its URL as a
  ``TileRequest``: warm ones come from the picture cache, uncached ones are copied through
  from the stored pyramid (one ``pread``);
- any other picture GET the handlers answered before (``Served``: path and query name the
  object, its file version and the picture's shape), answered from the picture cache.
Anything the pipeline cannot answer without rendering, every refusal (401, 403, 404, expired
signatures) and every other path or method goes to the app, which answers it as always: the
fast path never has an answer of its own. Credentials are read from the ASGI scope into the
same ``Caller`` the app's ``provide_principal`` builds, so signed URLs, ``CYTOMINE`` API-key
signatures and bearer tokens are checked by one implementation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple, cast
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.datastructures import State
from litestar.types import Message, Receive, Scope, Send

from contracts.errors import DomainError
from server import signed_urls
from server.auth.caller import Caller
from server.auth.credentials import CREDENTIAL_HEADERS, QUERY_TOKEN_PARAMS, query_token
from server.cors import CorsPolicy, with_headers
from server.db.pool import UNAVAILABLE
from server.db.store.image_files import Kind
from server.http.picture_planes import stored_plane
from server.picture_core import authorize, cache_headers_of, check_tile, lookup
from server.runtime import runtime_of
from server.tile_request import Shape, TileRequest
from tiling.planes import Plane

# Routes answered by open_image + picture alone: normalized tiles, thumbs, DZI and IIIF tiles.
ELIGIBLE = re.compile(
    r"^/(?:api/(?:sliceinstance|abstractslice)/\d+/normalized-tile/"
    r"|api/(?:imageinstance|sliceinstance|abstractimage|abstractslice)/\d+/(?:thumb|preview)\."
    r"|dzi/(?:s/[^/]+/)?\d+_files/|iiif/(?:s/[^/]+/)?\d+/[^/]+/[^/]+/[^/]+/[^/]+$)"
)
# A JPEG tile of the first plane, read from its URL alone (``.jpeg`` is the same format).
PLAIN_TILE = re.compile(
    r"^/api/(sliceinstance|abstractslice)/([1-9]\d{0,17})/normalized-tile/"
    r"zoom/(0|[1-9]\d{0,3})/tx/(0|[1-9]\d{0,8})/ty/(0|[1-9]\d{0,8})\.jpe?g$"
)
# A signed URL whose token is in the path (``/iiif/s/{token}/…``, ``/dzi/s/{token}/…``).
PATH_TOKEN = re.compile(r"^/(?:iiif|dzi)/s/([^/]+)/")
CREDENTIALS = frozenset((*signed_urls.SIGNED_PARAMS, *QUERY_TOKEN_PARAMS))
"""Query parameters that authenticate; a plain tile's query may hold nothing else."""
FIRST_PLANE = Plane()


class _Unsure(Exception):
    """The fast path cannot be sure to read the request as the app would: the app answers."""


class FastTiles:
    """ASGI wrapper: picture GETs through the shared pipeline, everything else to ``app``."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.state: State = app.state
        self.enabled = True
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer through the pipeline when it needs no rendering, else hand over to the app."""
        plain = cast("dict[str, Any]", scope)
        if self.enabled and plain["type"] == "http" and plain["method"] == "GET":
            path = plain["path"]
            tile = PLAIN_TILE.match(path)
            if tile is not None or ELIGIBLE.match(path) is not None:
                try:
                    messages = await self._answer(plain, path, tile)
                except (DomainError, _Unsure):
                    messages = None  # the app answers refusals and whatever is unusual
                except UNAVAILABLE:
                    messages = None  # the app answers 503 for the database itself
                if messages is not None:
                    self.hits += 1
                    await send(cast("Message", messages[0]))
                    await send(cast("Message", messages[1]))
                    return
        await self.app(scope, receive, send)

    async def _answer(
        self, scope: dict[str, Any], path: str, tile: re.Match[str] | None
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The ASGI messages of the pipeline's answer to a plain tile or a picture served
        before, or None."""
        runtime = runtime_of(self.state)
        raw_query = scope["query_string"]
        served = runtime.served_pictures.get(path, raw_query)
        query = _query(raw_query)
        kind: Kind
        shape: Shape
        if served is not None:
            kind, object_id, shape = served.kind, served.object_id, served.shape
        else:
            if tile is None or not query.keys() <= CREDENTIALS:
                return None
            kind, object_id = cast("Kind", tile[1]), int(tile[2])
            shape = TileRequest(int(tile[3]), int(tile[4]), int(tile[5]), "jpg")
        headers = _headers(scope)
        signed = query if path.startswith("/api/") else _signed(path, query)
        access = await authorize(
            runtime, kind, object_id, signed, lambda: _caller(scope, headers, query)
        )
        if served is not None:
            if access.file.version != served.version:
                return None  # the file changed: let the handler check the request again
            extra = served.extra_headers
        else:
            assert isinstance(shape, TileRequest)
            check_tile(access, shape.zoom, shape.tx, shape.ty)
            if await stored_plane(runtime, kind, object_id) != FIRST_PLANE:
                return None
            extra = ()
        found = lookup(runtime, access, shape, headers.get("if-none-match"))
        if found is None:
            return None
        tag, hit = found
        cors = _cors(runtime.cors_policy, headers.get("origin"))
        if hit is None:
            start = _fill(_template(access.public, None, extra, cors), tag, 0)
            return {"type": "http.response.start", "status": 304, "headers": start}, _EMPTY
        body, media_type = hit
        start = _fill(_template(access.public, media_type, extra, cors), tag, len(body))
        return (
            {"type": "http.response.start", "status": 200, "headers": start},
            {"type": "http.response.body", "body": body},
        )


_EMPTY: dict[str, Any] = {"type": "http.response.body", "body": b""}
_HEADER_NAMES = {name.encode(): name for name in ("if-none-match", "origin", *CREDENTIAL_HEADERS)}
"""The request headers the pipeline reads (conditional GET, CORS, credentials)."""


@functools.lru_cache(maxsize=4096)
def _query(raw: bytes) -> Mapping[str, str]:
    """The parameters of a query string as the app reads them (parsed once per distinct
    query); _Unsure when a credential is given twice or the query is not ASCII."""
    if not raw:
        return {}
    if not raw.isascii():
        raise _Unsure
    pairs = parse_qsl(raw.decode("ascii"), separator="&")
    names = [name for name, _ in pairs]
    if any(names.count(name) > 1 for name in CREDENTIALS):
        raise _Unsure
    return dict(pairs)


def _signed(path: str, query: Mapping[str, str]) -> Mapping[str, str]:
    """The signature parameters of a request: its path token's, else its query's."""
    in_path = PATH_TOKEN.match(path)
    return query if in_path is None else signed_urls.token_params(in_path[1])


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    """The request headers the pipeline reads, by lower-case name (the first of repeated
    ones, as the app); the others are not decoded."""
    headers: dict[str, str] = {}
    names = _HEADER_NAMES
    for key, value in scope["headers"]:
        name = names.get(key) or names.get(key.lower())
        if name is not None and name not in headers:
            headers[name] = value.decode("latin-1")
    return headers


def _caller(scope: dict[str, Any], headers: dict[str, str], query: Mapping[str, str]) -> Caller:
    """The credentials of a request, as ``provide_principal`` reads them in the app."""
    # Some servers (and test clients) leave the query string in raw_path.
    raw = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
    return Caller(
        method="GET",
        path=raw.decode("latin-1"),
        query_string=scope["query_string"].decode("latin-1"),
        headers=headers,
        query_token=query_token(query),
    )


@functools.lru_cache(maxsize=256)
def _cors(policy: CorsPolicy, origin: str | None) -> tuple[tuple[bytes, bytes], ...]:
    """The CORS headers of an answer to ``origin`` (the app adds the same in its wrapper)."""
    return tuple(policy.response_headers(origin))


class _Template(NamedTuple):
    """The response headers of every picture answer of one kind, but for two values."""

    headers: tuple[tuple[bytes, bytes], ...]
    etag_at: int
    length_at: int | None


@functools.lru_cache(maxsize=1024)
def _template(
    public: bool,
    media_type: str | None,
    extra: tuple[tuple[str, str], ...],
    cors: tuple[tuple[bytes, bytes], ...],
) -> _Template:
    """The headers the app sends with a picture answer (no ``media_type``: a 304), with its
    ETag and Content-Length left blank: built once, filled per request."""
    named = {**cache_headers_of(public, _BLANK), **dict(extra)}
    headers = [(k.lower().encode(), v.encode("latin-1")) for k, v in named.items()]
    if media_type is not None:
        headers += [(b"content-type", media_type.encode()), (b"content-length", b"")]
    final = tuple(with_headers(headers, list(cors)))
    names = [name for name, _ in final]
    length_at = names.index(b"content-length") if media_type is not None else None
    return _Template(final, names.index(b"etag"), length_at)


def _fill(template: _Template, tag: str, length: int) -> list[tuple[bytes, bytes]]:
    """A template's headers with this answer's ETag and Content-Length."""
    headers = list(template.headers)
    headers[template.etag_at] = (b"etag", tag.encode())
    if template.length_at is not None:
        headers[template.length_at] = (b"content-length", b"%d" % length)
    return headers


_BLANK = ""


def wrap(app: Litestar) -> FastTiles:
    """The app behind the fast path (serve this object with the ASGI server)."""
    return FastTiles(app)


__all__ = ["ELIGIBLE", "PLAIN_TILE", "FastTiles", "wrap"]
