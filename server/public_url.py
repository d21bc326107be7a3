"""The public base URL of a request: ``LAMINA_PUBLIC_URL`` when set, else the request's origin.

Behind a same-origin front (the Web UI and the API on one host), absolute URLs in answers
(thumbnails, crops, the OIDC issuer, IIIF ids) must name the origin the browser used, which
the front reports in ``Forwarded``/``X-Forwarded-Host``/``X-Forwarded-Proto`` or ``Host``.

Most of those URLs are built by PostgreSQL from the ``image_server`` row, which holds
``settings.base_url`` (the explicit public URL, or ``http://host:port``). When no public URL
is configured, ``follow_origin`` rewrites that stored base in JSON and CSV answers to the
request's origin, so views and listings need not know about requests.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from litestar.enums import ScopeType

from server.runtime import request_runtime

if TYPE_CHECKING:
    from collections.abc import Iterable

    from litestar import Request
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

    from server.settings import Settings

_HOST = re.compile(r"^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")
_SCHEMES = {"http": "http", "https": "https", "ws": "http", "wss": "https"}


def _headers(scope: Scope) -> dict[bytes, str]:
    """First value of each request header, by lower-case name."""
    out: dict[bytes, str] = {}
    for name, value in scope.get("headers") or ():
        out.setdefault(name.lower(), value.decode("latin-1"))
    return out


def _first(value: str | None) -> str:
    return (value or "").split(",", 1)[0].strip()


def _forwarded(value: str) -> tuple[str, str]:
    """``host`` and ``proto`` of the first element of an RFC 7239 ``Forwarded`` header."""
    host = proto = ""
    for pair in _first(value).split(";"):
        key, _, item = pair.strip().partition("=")
        item = item.strip().strip('"')
        if key.lower() == "host":
            host = item
        elif key.lower() == "proto":
            proto = item.lower()
    return host, proto


def request_origin(scope: Scope) -> str:
    """``scheme://host[:port]`` (plus the ASGI root path) the client used for this request."""
    headers = _headers(scope)
    host, proto = _forwarded(headers.get(b"forwarded", ""))
    host = host or _first(headers.get(b"x-forwarded-host")) or headers.get(b"host", "").strip()
    proto = proto or _first(headers.get(b"x-forwarded-proto")).lower()
    scheme = _SCHEMES.get(proto) or _SCHEMES.get(str(scope.get("scheme", "http")), "http")
    if not _HOST.match(host):
        name, port = scope.get("server") or ("127.0.0.1", 80)
        name = f"[{name}]" if ":" in str(name) else str(name)
        host = f"{name}:{port}" if port is not None else name
    return f"{scheme}://{host}{scope.get('root_path', '')}".rstrip("/")


def public_base(settings: Settings, scope: Scope) -> str:
    """Base URL for absolute URLs in an answer: the configured one wins over the origin."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return request_origin(scope)


def base_url(request: Request[Any, Any, Any]) -> str:
    """``public_base`` of a Litestar request."""
    return public_base(request_runtime(request).settings, request.scope)


def _rewritable(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """JSON and CSV bodies that are not compressed."""
    mime = b""
    for name, value in headers:
        if name.lower() == b"content-encoding":
            return False
        if name.lower() == b"content-type":
            mime = value.lower().split(b";", 1)[0].strip()
    return b"json" in mime or mime == b"text/csv"


def follow_origin(app: ASGIApp, settings: Settings) -> ASGIApp:
    """Wrap ``app`` so that JSON and CSV answers name the request's origin, not the stored base.

    Without an explicit public URL only; a configured ``LAMINA_PUBLIC_URL`` is used as is.
    """
    if settings.public_url:
        return app
    stored = b'"' + settings.base_url.encode()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] == "HEAD":
            await app(scope, receive, send)
            return
        wanted = b'"' + request_origin(scope).encode()
        if wanted == stored:
            await app(scope, receive, send)
            return
        await app(scope, receive, _Rewriting(send, stored, wanted))

    return wrapped


class _Rewriting:
    """A ``send`` that replaces ``stored`` by ``wanted`` in JSON and CSV bodies.

    A body in one message (every JSON answer built in memory) gets its new Content-Length; a
    streamed one (exports) is rewritten chunk by chunk and sent without one. A match cut by a
    chunk boundary is completed by the next chunk: ``stored`` holds one quote, its first
    byte, so the partial match held back never overlaps a whole one.
    """

    def __init__(self, send: Send, stored: bytes, wanted: bytes) -> None:
        self.send = send
        self.stored = stored
        self.wanted = wanted
        self.start: dict[str, Any] | None = None
        self.started = False
        self.carry = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and _rewritable(message["headers"]):
            self.start = dict(message)
            return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        data = self.carry + message.get("body", b"")
        more = message.get("more_body", False)
        keep = _partial_end(data, self.stored) if more else 0
        data, self.carry = data[: len(data) - keep], data[len(data) - keep :]
        body = data.replace(self.stored, self.wanted)
        if not self.started:
            await self._send_start(None if more else len(body))
        await self.send({"type": "http.response.body", "body": body, "more_body": more})

    async def _send_start(self, length: int | None) -> None:
        assert self.start is not None
        headers = [(k, v) for k, v in self.start["headers"] if k.lower() != b"content-length"]
        if length is not None:
            headers.append((b"content-length", str(length).encode()))
        self.started = True
        await self.send(cast("Message", {**self.start, "headers": headers}))


def _partial_end(data: bytes, pattern: bytes) -> int:
    """Length of the end of ``data`` that is a proper beginning of ``pattern`` (0 if none)."""
    start = data.rfind(pattern[:1], max(0, len(data) - len(pattern) + 1))
    if start < 0:
        return 0
    return len(data) - start if pattern.startswith(data[start:]) else 0


__all__ = ["base_url", "follow_origin", "public_base", "request_origin"]
