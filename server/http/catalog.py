"""Match served routes to the catalog's endpoints (operation ids, coverage checks)."""

from __future__ import annotations

import re
from typing import Any

from contracts._generated import ENDPOINTS, Endpoint

_PARAM = re.compile(r"\{[^}]*\}")


def shape(path: str) -> str:
    """Route shape with parameter names erased and the ``.json`` suffix dropped."""
    return _PARAM.sub("{}", path).removesuffix(".json")


INDEX: dict[tuple[str, str], Endpoint] = {}
for _ep in ENDPOINTS:
    INDEX.setdefault((_ep.method, shape(_ep.path)), _ep)


def lookup(method: str, path: str) -> Endpoint | None:
    """The catalog endpoint served by ``method path``, if any."""
    return INDEX.get((method.upper(), shape(path)))


def operation_id_creator(handler: Any, method: str, components: list[Any]) -> str:
    """Catalog operation id of a route; other routes get one from their path."""
    path = "/" + "/".join(c if isinstance(c, str) else "{" + c.name + "}" for c in components)
    found = lookup(method, path)
    if found is not None:
        return found.operation_id
    words = re.sub(r"[^A-Za-z0-9]+", "_", _PARAM.sub(lambda m: "by_" + m.group(0)[1:-1], path))
    return f"{method.lower()}_{words.strip('_')}"


__all__ = ["INDEX", "lookup", "operation_id_creator", "shape"]
