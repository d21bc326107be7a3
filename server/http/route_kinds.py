"""One handler serving the same route shape for several kinds, the kind being route data.

The picture and crop routes of image instances, slices, abstract images and annotation kinds
differ only by the kind they open: each is one ``route(...)`` of a shared handler whose
``opt`` carries the kind and the name of its id path parameter (read back by ``target``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from litestar import Request, route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler

GET_POST = (HttpMethod.GET, HttpMethod.POST)
_ID_PARAM = re.compile(r"\{(\w+):int\}")


def kind_route(
    handler: Callable[..., Any],
    path: str,
    kind: str,
    *,
    opt: dict[str, Any],
    tag: str,
    summary: str,
    methods: Sequence[HttpMethod] = GET_POST,
    name: str | None = None,
) -> HTTPRouteHandler:
    """``handler`` routed at ``path`` for ``kind`` (the first int parameter is the object id)."""
    found = _ID_PARAM.search(path)
    assert found is not None, path
    return route(
        path,
        http_method=list(methods),
        status_code=200,
        opt={**opt, "kind": kind, "id_param": found[1]},
        tags=[tag],
        summary=summary,
        name=name,
    )(handler)


def target(request: Request[Any, Any, Any]) -> tuple[Any, int]:
    """The kind and the object id of the route a request came through."""
    opt = request.route_handler.opt
    return opt["kind"], int(request.path_params[opt["id_param"]])


__all__ = ["GET_POST", "kind_route", "target"]
