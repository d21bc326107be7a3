"""The credentials one request carries, read without a framework.

Litestar handlers and the raw-ASGI tile fast path build the same ``Caller`` from their ASGI
scope, so ``server.auth.provider`` checks API keys and tokens with one implementation.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec


class Caller(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """What authenticates one request.

    ``path`` is the path as sent (before the ``.json`` suffix is stripped for routing), which
    an API-key signature may cover; ``headers`` reads lower-case names; ``query_token`` is the
    bearer token of the query on routes that accept one (pictures, downloads), else None.
    """

    method: str
    path: str
    query_string: str
    headers: Mapping[str, str]
    query_token: str | None = None

    @property
    def path_and_query(self) -> str:
        """The path with its query, as an API-key signature covers it."""
        return f"{self.path}?{self.query_string}" if self.query_string else self.path


__all__ = ["Caller"]
