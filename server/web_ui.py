"""Serve a built Cytomine Web UI (``index.html`` + ``assets/``) from the server's own origin.

A plain ASGI wrapper in front of the app. GET and HEAD requests outside the server's own
prefixes (``/api``, ``/iam``, ``/upload``, …) are answered from the UI directory: the file
when it exists, else ``index.html`` for the UI's history routes (a last segment without a
dot, such as ``/project/14/image/68``, or any page the browser asks HTML for). Everything
else goes to the app, so a missing ``/api/…`` route keeps its JSON 404 and
``/configuration.json`` stays the server's. Vite puts a content hash in every name under
``assets/``: those are cached for a year; the other files are revalidated with their ETag
or Last-Modified date.
"""

from __future__ import annotations

import mimetypes
import os
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import anyio

from contracts.errors import Invalid

if TYPE_CHECKING:
    from collections.abc import Iterable

    from litestar.types import ASGIApp, Receive, Scope, Send

# Path prefixes that always belong to the server, even when no route of the app uses them yet.
SERVER_PREFIXES = frozenset(
    {"api", "iam", "upload", "iiif", "dzi", "schema", "server", "ws", "session", "configuration"}
)
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"
NOT_FOUND = b'{"errors":{"message":"Not Found"}}'
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
    ".ico": "image/vnd.microsoft.icon",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}


def check_directory(directory: str) -> Path:
    """The resolved UI directory; a clear error when it holds no built UI."""
    root = Path(directory).expanduser().resolve()
    if not (root / "index.html").is_file():
        raise Invalid(f"--web-ui {directory}: no index.html there (give the built dist directory)")
    return root


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _resolve(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names; None if absent or outside ``root``."""
    parts = [p for p in url_path.split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    path = root.joinpath(*parts) if parts else root / "index.html"
    if path.is_dir():
        path = path / "index.html"
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return None
    if root not in resolved.parents or not resolved.is_file():
        return None
    return resolved


def _history_route(scope: dict[str, Any], path: str) -> bool:
    """A path the UI's router handles: no file name, or a page the browser navigates to.

    Missing scripts, styles and images get a 404 rather than HTML; a history route whose last
    segment has a dot (``/advanced-search/slide.tif``) is still a page when the browser asks
    for HTML.
    """
    if path.startswith("/assets/"):
        return False
    if "." not in path.rsplit("/", 1)[-1]:
        return True
    accept = dict(scope["headers"]).get(b"accept", b"")
    return b"text/html" in accept


def _not_modified(headers: dict[bytes, bytes], etag: str, mtime: float) -> bool:
    match = headers.get(b"if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.decode("latin-1").split(",")}
        return etag in tags or "*" in tags
    since = headers.get(b"if-modified-since")
    if since is None:
        return False
    try:
        return int(mtime) <= parsedate_to_datetime(since.decode("latin-1")).timestamp()
    except (TypeError, ValueError):
        return False


class WebUi:
    """ASGI wrapper: the built UI's files and history routes, the server for the rest."""

    def __init__(self, app: ASGIApp, root: Path, route_prefixes: Iterable[str] = ()) -> None:
        self.app = app
        self.root = root
        self.prefixes = SERVER_PREFIXES | {p.removesuffix(".json") for p in route_prefixes if p}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer UI paths from the directory, hand the rest to the app."""
        plain = cast("dict[str, Any]", scope)
        if plain["type"] != "http" or plain["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        first = path.lstrip("/").split("/", 1)[0]
        if first.removesuffix(".json") in self.prefixes:
            await self.app(scope, receive, send)
            return
        await self._serve(plain, send, path)

    async def _serve(self, scope: dict[str, Any], send: Send, path: str) -> None:
        found = await anyio.to_thread.run_sync(_resolve, self.root, path)
        if found is None and _history_route(scope, path):
            found = self.root / "index.html"
        if found is None:
            await _answer(send, 404, [(b"content-type", b"application/json")], NOT_FOUND)
            return
        await self._file(scope, send, found)

    async def _file(self, scope: dict[str, Any], send: Send, path: Path) -> None:
        stat = await anyio.to_thread.run_sync(os.stat, path)
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        hashed = self.root / "assets" in path.parents
        headers = [
            (b"etag", etag.encode()),
            (b"last-modified", formatdate(stat.st_mtime, usegmt=True).encode()),
            (b"cache-control", IMMUTABLE if hashed else REVALIDATE),
        ]
        request_headers = dict(scope["headers"])
        if _not_modified(request_headers, etag, stat.st_mtime):
            await _answer(send, 304, headers, b"")
            return
        headers += [
            (b"content-type", _media_type(path).encode()),
            (b"content-length", str(stat.st_size).encode()),
            (b"x-content-type-options", b"nosniff"),
        ]
        body = b"" if scope["method"] == "HEAD" else await anyio.Path(path).read_bytes()
        await _answer(send, 200, headers, body, length_set=True)


async def _answer(
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    length_set: bool = False,
) -> None:
    if not length_set and status != 304:
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    start: Any = {"type": "http.response.start", "status": status, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


__all__ = ["IMMUTABLE", "REVALIDATE", "SERVER_PREFIXES", "WebUi", "check_directory"]
