"""The list parameters of a request: ``max``, ``offset``, ``sort``, ``order`` and generic
``field[op]=value`` filters, read from the query string into the store's ``ListParams``."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from litestar import Request

from contracts.errors import Invalid
from server.db.listing import ListParams

_FILTER_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\[([a-z]+)\]$")


def _int_param(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise Invalid(f"{name} must be a whole number, not {value!r}") from exc
    if number < 0:
        raise Invalid(f"{name} must not be negative")
    return number


def parse_query(query_string: str) -> ListParams:
    """Read paging, sort and filters from a raw query string.

    The JS client encodes ``name[ilike]`` twice (``name%255Bilike%255D``), so keys are
    decoded until they stop changing.
    """
    found: dict[str, Any] = {}
    filters = []
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        key = _fully_unquoted(key)
        if key in ("max", "offset"):
            found[key] = _int_param(value, key)
        elif key in ("sort", "order"):
            found[key] = value or None
        elif match := _FILTER_KEY.match(key):
            filters.append((match.group(1), match.group(2), _fully_unquoted(value)))
    return ListParams(filters=tuple(filters), **found)


def _fully_unquoted(text: str) -> str:
    for _ in range(3):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def provide_list_params(request: Request[Any, Any, Any]) -> ListParams:
    """Dependency: the list parameters of this request."""
    return parse_query(request.scope.get("query_string", b"").decode("latin-1"))


__all__ = ["parse_query", "provide_list_params"]
