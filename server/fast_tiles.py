"""A raw-ASGI fast path in front of the app for warm picture GETs (tiles above all).

Litestar's routing, dependency injection and response machinery cost more than everything a
warm tile needs. This wrapper answers a GET only when every piece is already in memory:
- the picture handlers answered this exact path and query before (``Served``, filled by
  ``imaging.picture``), naming the object, its file version, the ETag and extra headers;
- the caller is a signed URL (HMAC check once per query, no database) or a ``CYTOMINE``
  API-key signature checked against the account cache the app uses;
- the (caller, object) access decision is in the decision cache, at the same file version;
- the client's If-None-Match names the ETag (304), or the encoded bytes are in the LRU.
Anything else (other paths, methods, bearer tokens, errors, misses) goes to the app, which
answers and fills the caches. Headers, ETags and 304 semantics are those of
``imaging.picture``; only path shapes whose handlers check nothing beyond
``imaging.open_image`` are eligible.
"""

from __future__ import annotations

import hmac
import re
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

from litestar import Litestar
from litestar.datastructures import State
from litestar.types import Message, Receive, Scope, Send

from contracts.errors import DomainError
from server import signed_urls
from server.auth import apikey
from server.cors import cors_send
from server.db import queries as q
from server.db.pool import UNAVAILABLE
from server.db.store.image_files import ImageFile
from server.fast_caches import Answer, decision_key
from server.principal import Principal
from tiling import etag

PRIVATE_CACHE = b"private, max-age=300"
PUBLIC_CACHE = b"public, max-age=31536000, immutable"
# Routes answered by open_image + picture alone: normalized tiles, thumbs, DZI and IIIF tiles.
ELIGIBLE = re.compile(
    r"^/(?:api/(?:sliceinstance|abstractslice)/\d+/normalized-tile/"
    r"|api/(?:imageinstance|sliceinstance|abstractimage|abstractslice)/\d+/(?:thumb|preview)\."
    r"|dzi/(?:s/[^/]+/)?\d+_files/|iiif/(?:s/[^/]+/)?\d+/[^/]+/[^/]+/[^/]+/[^/]+$)"
)
# A signed URL whose token is in the path (``/iiif/s/{token}/…``, ``/dzi/s/{token}/…``).
PATH_TOKEN = re.compile(r"^/(?:iiif|dzi)/s/([^/]+)/")
CACHE_ENTRIES = 10_000
_DATES: dict[str, float] = {}


class _Unsure(Exception):
    """The fast path cannot be sure to answer as the app would: let the app answer."""


class FastTiles:
    """ASGI wrapper: warm picture GETs from memory, everything else to ``app``."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.state: State = app.state
        self.enabled = True
        self.hits = 0
        self._signatures: dict[tuple[str, int, bytes], tuple[str, int] | None] = {}
        self._pathless: set[tuple[str, ...]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from memory when possible, else hand the request to the app."""
        plain = cast("dict[str, Any]", scope)
        if self._eligible(plain):
            try:
                answer = await self._answer(plain)
            except UNAVAILABLE:
                answer = None  # the app answers 503 for the database itself
            if answer is not None:
                self.hits += 1
                # The app adds CORS headers in its own handler; answers from here add the same.
                send = cors_send(self.state.cors_policy, scope, send)
                await send(cast("Message", answer[0]))
                await send(cast("Message", answer[1]))
                return
        await self.app(scope, receive, send)

    def _eligible(self, scope: dict[str, Any]) -> bool:
        """A GET of an eligible path shape, with the fast path on."""
        return (
            self.enabled
            and scope["type"] == "http"
            and scope["method"] == "GET"
            and ELIGIBLE.match(scope["path"]) is not None
        )

    async def _answer(self, scope: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The two ASGI messages of a response from memory, or None."""
        served = getattr(self.state, "served_pictures", None)
        found: Answer | None = (
            None if served is None else served.get(scope["path"], scope["query_string"])
        )
        if found is None:
            return None
        try:
            file, public = await self._grant(scope, found)
        except (DomainError, _Unsure):
            return None
        if file is None or file.version != found.version:
            return None
        return _messages(scope, self.state, found, public)

    async def _grant(self, scope: dict[str, Any], found: Answer) -> tuple[ImageFile | None, bool]:
        """The caller's cached access decision to the object, and whether it is public."""
        decisions = self.state.image_decisions
        signed = self._signature(_signed_query(scope), found)
        if signed is not None:
            if signed[1] < time.time():
                return None, True  # expired: the app answers 403
            file = decisions.get(decision_key(0, True, found.kind, found.object_id))
            return (file if file is not None and file.version == signed[0] else None), True
        me = await self._principal(scope)
        if me is None:
            return None, False
        return decisions.get(decision_key(me.id, me.is_admin, found.kind, found.object_id)), False

    def _signature(self, query: bytes, found: Answer) -> tuple[str, int] | None:
        """(version, expiry) of a signed query, None without one; each query is parsed once."""
        # Forbidden for a wrong signature, _Unsure where the app might read the query
        # differently (non-ASCII, a signed parameter given twice): the app answers those.
        if not query:
            return None
        key = (found.kind, found.object_id, query)
        if key in self._signatures:
            return self._signatures[key]
        if not query.isascii():
            raise _Unsure
        pairs = parse_qsl(query.decode("ascii"), separator="&")  # as Litestar parses it
        names = [name for name, _ in pairs]
        if any(names.count(name) > 1 for name in signed_urls.SIGNED_PARAMS):
            raise _Unsure
        values = dict(pairs)
        known = None
        if signed_urls.has_signature(values):
            version = signed_urls.verify(self.state.url_secret, key[0], key[1], values)
            known = (version, int(values["exp"]))
        if len(self._signatures) > CACHE_ENTRIES:
            self._signatures.clear()
        self._signatures[key] = known
        return known

    async def _principal(self, scope: dict[str, Any]) -> Principal | None:
        """The caller of a CYTOMINE API-key signature, from the account cache; else None."""
        headers = _headers(scope)
        header = headers.get("authorization", "")
        if not header.startswith(apikey.SCHEME):
            return None
        public, signature = apikey.parse_authorization(header)
        date = headers.get("date", "")
        if not _recent(date, self.state.settings.date_skew_seconds):
            return None
        row = await self.state.accounts.get(self.state.pool, q.PRINCIPAL_BY_PUBLIC_KEY, public)
        if row is None or not row["enabled"]:
            return None
        if not self._signature_ok(scope, headers, row["private_key"], signature):
            return None
        return Principal(
            id=row["id"],
            username=row["username"],
            rank=row["rank"],
            admin_session=row["admin_session"],
        )

    def _signature_ok(
        self, scope: dict[str, Any], headers: dict[str, str], private_key: str, signature: str
    ) -> bool:
        """Check an API-key signature; those that cover no path are remembered as valid."""
        key = tuple(
            headers.get(n, "") for n in ("authorization", "date", "content-md5", "content-type")
        )
        if key in self._pathless:
            return True
        raw = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
        path, query = raw.decode("latin-1"), scope["query_string"].decode("latin-1")
        signed = apikey.SignedRequest(
            method="GET",
            content_md5=key[2],
            content_type=key[3],
            date=key[1],
            path_and_query=f"{path}?{query}" if query else path,
        )
        candidates = signed.candidates()
        allowed = self.state.settings.pathless_signatures
        pathless = [c for c in candidates if c.count("\n") == 3]
        if allowed and _any_matches(private_key, signature, pathless):
            if len(self._pathless) > CACHE_ENTRIES:
                self._pathless.clear()
            self._pathless.add(key)
            return True
        return _any_matches(private_key, signature, [c for c in candidates if c not in pathless])


def _signed_query(scope: dict[str, Any]) -> bytes:
    """The query that signs a request: its path token's, as a query, or its own query."""
    in_path = PATH_TOKEN.match(scope["path"])
    if in_path is None:
        return cast("bytes", scope["query_string"])
    return urlencode(signed_urls.token_params(in_path[1])).encode("ascii")


def _any_matches(private_key: str, signature: str, candidates: list[str]) -> bool:
    """True when one string to sign gives ``signature`` (constant-time comparisons)."""
    found = False
    for candidate in candidates:
        found |= hmac.compare_digest(apikey.sign(private_key, candidate), signature)
    return found


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    """The request headers this path reads, by lower-case name."""
    wanted = (b"authorization", b"date", b"if-none-match", b"content-md5", b"content-type")
    return {k.decode(): v.decode("latin-1") for k, v in scope["headers"] if k in wanted}


def _recent(date: str, skew: float) -> bool:
    """True when an HTTP date is within ``skew`` seconds of now (parsed dates are cached)."""
    sent = _DATES.get(date)
    if sent is None:
        try:
            parsed = parsedate_to_datetime(date)
        except (TypeError, ValueError):
            return False
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if len(_DATES) > 1000:
            _DATES.clear()
        sent = _DATES[date] = parsed.timestamp()
    return abs(time.time() - sent) <= skew


def _messages(
    scope: dict[str, Any], state: State, found: Answer, public: bool
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A 304 when If-None-Match names the tag, the cached bytes, or None on a miss."""
    tag = found.tag
    headers = [
        (b"etag", tag.encode()),
        (b"cache-control", PUBLIC_CACHE if public else PRIVATE_CACHE),
    ]
    headers += [(k.lower().encode(), v.encode("latin-1")) for k, v in found.extra_headers]
    inm = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
    if inm is not None and etag.matches(inm.decode("latin-1"), tag):
        return _start(304, headers), {"type": "http.response.body", "body": b""}
    hit = state.picture_cache.get(tag)
    if hit is None:
        return None
    data, media_type = hit
    headers += [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(data)).encode()),
    ]
    return _start(200, headers), {"type": "http.response.body", "body": data}


def _start(status: int, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http.response.start", "status": status, "headers": headers}


def wrap(app: Litestar) -> FastTiles:
    """The app behind the fast path (serve this object with the ASGI server)."""
    return FastTiles(app)


__all__ = ["ELIGIBLE", "FastTiles", "wrap"]
