"""The OpenAPI document, made to say what the server really answers.

Litestar documents a 400 in its own validation shape and no other failure; every failure of
this server is Cytomine's ``{"errors": {"message": ...}, "errorValues": ...}`` (see
``server.errors``). ``document_errors`` sets, in one place, the error statuses each route can
give and the security it needs; ``OpenApiJson`` serves the document with the list envelopes
named after their item type (``TagPage`` rather than ``Page_contracts._generated.Tag_``).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, Reference, SecurityScheme
from litestar.routes import HTTPRoute

from contracts.envelopes import ErrorBody

_AUTHENTICATED = frozenset({"me", "conn"})
# Imaging routes read the credential (or a signed URL) and the pool themselves.
_SELF_CHECKED = frozenset({"runtime"})
_DATABASE = frozenset({"conn", "anonymous_conn", "runtime"})
_CONTEXT = frozenset({"me", "conn", "anonymous_conn", "runtime", "list_params", "request"})
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CREATES = frozenset({"POST", "PUT"})

_DESCRIPTIONS = {
    400: "Malformed request or broken rule",
    401: "No valid credential",
    403: "Not allowed for the caller",
    404: "Object (or one of its parents) not found",
    409: "Object already exists",
    500: "Unexpected server error",
    503: "Query cancelled (took too long)",
}

SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    "cytomineSignature": SecurityScheme(
        type="apiKey",
        name="Authorization",
        security_scheme_in="header",
        description="`CYTOMINE <public key>:<HMAC-SHA1 signature>` with a `date` header",
    ),
    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
}
COMPONENTS = Components(security_schemes=SECURITY_SCHEMES)
_SECURITY: list[dict[str, list[str]]] = [{"cytomineSignature": []}, {"bearer": []}]


def error_statuses(handler: HTTPRouteHandler, path_has_params: bool) -> list[int]:
    """Error statuses a route may answer, from what it depends on and how it is called."""
    params = set(handler.parsed_fn_signature.parameters)
    methods = set(handler.http_methods)
    statuses = [400, 500]
    if params & (_AUTHENTICATED | _SELF_CHECKED):
        statuses += [401, 403]
    elif "anonymous_conn" in params:
        statuses.append(401)  # the sign-in routes refuse bad credentials
    # Objects are named by the path, the body or a query parameter (``?idProject=``).
    if path_has_params or methods & _WRITES or params - _CONTEXT:
        statuses.append(404)
    if methods & _CREATES and params & _DATABASE:
        statuses.append(409)
    if params & _DATABASE:
        statuses.append(503)
    return sorted(statuses)


def document_errors(app: Litestar) -> None:
    """Give every documented route its error responses and security requirement."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            statuses = error_statuses(handler, bool(route.path_parameters))
            specs = {
                status: ResponseSpec(
                    data_container=ErrorBody,
                    description=_DESCRIPTIONS[status],
                    generate_examples=False,
                )
                for status in statuses
            }
            handler.responses = {**specs, **(handler.responses or {})}
            params = set(handler.parsed_fn_signature.parameters)
            if params & _AUTHENTICATED and not handler.security:
                handler.security = _SECURITY


_PAGE = re.compile(r"^Page_.*_$")
_REF = "#/components/schemas/"


def _page_name(schema: dict[str, Any]) -> str:
    """``<item component>Page``; ``IntegerPage``, ``ObjectPage``... for plain items."""
    items = schema.get("properties", {}).get("collection", {}).get("items", {})
    ref = items.get("$ref") if isinstance(items, dict) else None
    if isinstance(ref, str) and ref.startswith(_REF):
        return ref[len(_REF) :] + "Page"
    kind = items.get("type") if isinstance(items, dict) else None
    if isinstance(kind, str):
        return kind.capitalize() + "Page"
    return "AnyPage"


def _rename(node: Any, names: dict[str, str]) -> Any:
    """Rename references; unions become ``anyOf``, as their members may overlap (an empty
    page is both a ``Page[Ontology]`` and a ``Page[OntologyLight]``)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF) and ref[len(_REF) :] in names:
            return {**node, "$ref": _REF + names[ref[len(_REF) :]]}
        return {
            "anyOf" if key == "oneOf" else key: _rename(value, names) for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename(value, names) for value in node]
    return node


def name_pages(document: dict[str, Any]) -> dict[str, Any]:
    """``Page[T]`` components renamed ``TPage`` (and every reference with them)."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    names: dict[str, str] = {}
    for key, schema in schemas.items():
        if _PAGE.match(key):
            names[key] = _page_name(schema)
    clash = set(names.values()) & (set(schemas) - set(names))
    if clash or len(set(names.values())) != len(names):
        raise ValueError(f"list envelope component names clash: {sorted(clash)}")
    renamed: dict[str, Any] = _rename(document, names)
    renamed["components"]["schemas"] = {
        names.get(key, key): {**value, "title": names[key]} if key in names else value
        for key, value in renamed["components"]["schemas"].items()
    }
    return renamed


class OpenApiJson(JsonRenderPlugin):
    """``/schema/openapi.json`` with the list envelopes named after their item type."""

    def __init__(self) -> None:
        super().__init__()
        self._source: dict[str, Any] | None = None
        self._document: dict[str, Any] = {}

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if openapi_schema is not self._source:
            self._document = name_pages(openapi_schema)
            self._source = openapi_schema
        return super().render(request, self._document)


__all__ = ["COMPONENTS", "OpenApiJson", "document_errors", "error_statuses", "name_pages"]
