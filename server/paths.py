"""Cytomine URLs end in ``.json``; Litestar matches parameters only as whole segments.

So the suffix is stripped from ``path`` and ``raw_path`` before routing, in a plain ASGI
wrapper around Litestar's handler (Litestar middleware runs after routing). The original
path is kept in the scope for API-key signatures, which may cover it.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

ORIGINAL_PATH = "lamina.original_path"
_SUFFIX = ".json"
# The OpenAPI document is a real file name, not a Cytomine route.
_KEEP = "/schema/"


def strip_json_suffix(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that ``/api/project/1.json`` is routed as ``/api/project/1``."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            path: str = scope["path"]
            # Some servers (and test clients) leave the query string in raw_path.
            raw: bytes = (scope.get("raw_path") or path.encode()).split(b"?", 1)[0]
            extensions: dict[str, Any] = scope.setdefault("extensions", {}) or {}
            extensions[ORIGINAL_PATH] = raw.decode("latin-1")
            scope["extensions"] = extensions
            if path.endswith(_SUFFIX) and not path.startswith(_KEEP):
                scope["path"] = path[: -len(_SUFFIX)]
                if raw.endswith(b".json"):
                    scope["raw_path"] = raw[: -len(_SUFFIX)]
            else:
                scope["raw_path"] = raw
        await app(scope, receive, send)

    return wrapped


__all__ = ["ORIGINAL_PATH", "strip_json_suffix"]
