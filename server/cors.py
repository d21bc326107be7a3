"""Cross-origin access (CORS) for every answer: one raw-ASGI wrapper outside everything else.

The API and the picture routes authenticate by header or by a signed URL, never by cookie,
so any allowed origin may read them and no answer ever says ``Allow-Credentials``: a page on
another origin cannot ride on a browser session (the login provider's cookie routes under
``/iam`` included). ``LAMINA_CORS_ORIGINS`` is ``*`` (any origin, the default) or a comma
separated list of origins; with a list, the matching origin is echoed and ``Vary: Origin``
keeps shared caches from mixing the answers of two origins.

Headers are added as the response starts, so errors (401, 403, 404, 500), 304s and the
answers of ``server.fast_tiles`` carry them too. A preflight (``OPTIONS`` with
``Access-Control-Request-Method``) is answered here, before routing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

ANY = "*"
METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
# What Cytomine's clients and common viewers send; a preflight may ask for more (echoed).
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Accept",
    "Date",
    "dateFull",
    "content-type-full",
    "Content-MD5",
    "X-Requested-With",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "Cache-Control",
)
# What a script may read on a cross-origin answer beyond the always-safe ones.
EXPOSED = (
    b"ETag, Content-Length, Content-Type, Content-Disposition, Cache-Control, Location, "
    b"Last-Modified, Accept-Ranges, Content-Range"
)
MAX_AGE = b"7200"
"""Seconds a browser may reuse a preflight answer (Chromium's own upper bound)."""
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class CorsPolicy(msgspec.Struct, frozen=True):
    """Which origins may read answers; ``origins`` is ``("*",)`` for any origin."""

    origins: tuple[str, ...] = (ANY,)

    @classmethod
    def parse(cls, text: str) -> CorsPolicy:
        """A policy from ``*`` or a comma separated origin list (``https://a.org,https://b``)."""
        items = tuple(item.strip().rstrip("/") for item in text.split(",") if item.strip())
        if not items or ANY in items:
            return cls()
        bad = [item for item in items if not re.match(r"^https?://[^/\s]+$", item)]
        if bad:
            raise ValueError(f"CORS origins must look like https://host[:port], not {bad[0]!r}")
        return cls(items)

    @property
    def any_origin(self) -> bool:
        return self.origins == (ANY,)

    def allow_origin(self, origin: str | None) -> bytes | None:
        """The ``Access-Control-Allow-Origin`` value for a request from ``origin``."""
        if self.any_origin:
            return b"*"
        if origin is not None and origin.rstrip("/") in self.origins:
            return origin.encode("latin-1")
        return None

    def response_headers(self, origin: str | None) -> list[tuple[bytes, bytes]]:
        """Headers every non-preflight answer carries."""
        allowed = self.allow_origin(origin)
        headers = [] if self.any_origin else [(b"vary", b"Origin")]
        if allowed is not None:
            headers += [
                (b"access-control-allow-origin", allowed),
                (b"access-control-expose-headers", EXPOSED),
            ]
        return headers

    def preflight_headers(self, origin: str | None, requested: str) -> list[tuple[bytes, bytes]]:
        """Headers of a preflight answer (no Allow-* at all for an origin not allowed)."""
        allowed = self.allow_origin(origin)
        headers = [] if self.any_origin else [(b"vary", b"Origin")]
        if allowed is None:
            return headers
        names = list(ALLOWED_HEADERS)
        known = {name.lower() for name in names}
        for name in (part.strip() for part in requested.split(",")):
            if name and _TOKEN.match(name) and name.lower() not in known:
                names.append(name)
                known.add(name.lower())
        return headers + [
            (b"access-control-allow-origin", allowed),
            (b"access-control-allow-methods", METHODS),
            (b"access-control-allow-headers", ", ".join(names).encode("latin-1")),
            (b"access-control-max-age", MAX_AGE),
        ]


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    """One request header by lower-case name (the first one), or None."""
    found = next((v for k, v in scope.get("headers", ()) if k == name), None)
    return None if found is None else bytes(found).decode("latin-1")


def with_headers(
    headers: Iterable[tuple[bytes, bytes]], extra: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """Response headers with the CORS ones set: a handler's own ``Access-Control-*`` and
    ``Vary`` values are replaced or merged so that no answer repeats them."""
    out: list[tuple[bytes, bytes]] = []
    vary: list[bytes] = []
    for key, value in headers:
        low = key.lower()
        if low.startswith(b"access-control-"):
            continue
        if low == b"vary":
            vary.append(value)
            continue
        out.append((key, value))
    vary += [value for key, value in extra if key == b"vary"]
    words: list[bytes] = []
    for value in vary:
        for word in (w.strip() for w in value.split(b",")):
            if word and word.lower() not in {w.lower() for w in words}:
                words.append(word)
    if words:
        out.append((b"vary", b", ".join(words)))
    return out + [(key, value) for key, value in extra if key != b"vary"]


def cors_send(policy: CorsPolicy, scope: Scope, send: Send) -> Send:
    """``send`` that adds the policy's headers to the start of the response."""
    extra = policy.response_headers(_header(cast("dict[str, Any]", scope), b"origin"))

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            plain = cast("dict[str, Any]", message)
            message = cast("Message", {**plain, "headers": with_headers(plain["headers"], extra)})
        await send(message)

    return sending


def is_preflight(scope: Scope) -> bool:
    """An ``OPTIONS`` request a browser sends before a cross-origin request."""
    plain = cast("dict[str, Any]", scope)
    return (
        plain["method"] == "OPTIONS"
        and _header(plain, b"origin") is not None
        and _header(plain, b"access-control-request-method") is not None
    )


async def preflight(policy: CorsPolicy, scope: Scope, send: Send) -> None:
    """Answer a preflight: 204 with the allowed methods, headers and how long to keep them."""
    plain = cast("dict[str, Any]", scope)
    requested = _header(plain, b"access-control-request-headers") or ""
    headers = policy.preflight_headers(_header(plain, b"origin"), requested)
    headers.append((b"content-length", b"0"))
    start = {"type": "http.response.start", "status": 204, "headers": headers}
    await send(cast("Message", start))
    await send(cast("Message", {"type": "http.response.body", "body": b""}))


def cors(app: ASGIApp, policy: CorsPolicy) -> ASGIApp:
    """Wrap ``app`` so every HTTP answer carries the policy's CORS headers."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
        elif is_preflight(scope):
            await preflight(policy, scope, send)
        else:
            await app(scope, receive, cors_send(policy, scope, send))

    return wrapped


__all__ = ["ALLOWED_HEADERS", "EXPOSED", "CorsPolicy", "cors", "cors_send", "with_headers"]
