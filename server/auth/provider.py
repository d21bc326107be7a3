"""Resolve the caller of an ``/api`` request: the ``me`` dependency of every handler.

The request is read into a ``Caller`` and checked by ``server.auth.credentials``. On routes that
declare ``opt={"query_token": True}`` (images, downloads), a bearer token in the ``auth``/
``Authorization``/``authorization`` query parameter is accepted too, for ``<img>`` tags and
downloads that cannot set headers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from server.auth.caller import Caller
from server.auth.credentials import principal_of, query_token
from server.paths import ORIGINAL_PATH
from server.principal import Principal
from server.runtime import request_runtime


def _query_token(request: Request[Any, Any, Any]) -> str | None:
    if not request.route_handler.opt.get("query_token"):
        return None
    return query_token(request.query_params)


def caller_of(request: Request[Any, Any, Any]) -> Caller:
    """The credentials of a Litestar request."""
    extensions = request.scope.get("extensions") or {}
    return Caller(
        method=request.method,
        path=str(extensions.get(ORIGINAL_PATH) or request.url.path),
        query_string=request.scope.get("query_string", b"").decode("latin-1"),
        headers=request.headers,
        query_token=_query_token(request),
    )


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The authenticated caller; 401 in Cytomine's JSON shape otherwise."""
    return await principal_of(request_runtime(request), caller_of(request))


__all__ = ["caller_of", "provide_principal"]
