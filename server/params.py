"""Query and body values as Cytomine's clients send them: booleans, id lists and JSON bodies."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from contracts.errors import Invalid

T = TypeVar("T")

# Ids are ASCII digits within PostgreSQL's bigint: str.isdigit() also accepts '²' (which int()
# refuses) and int() accepts other scripts' digits, so neither is used to recognise an id.
_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def flag(value: str | bool | None, *, default: bool = False, name: str = "flag") -> bool:
    """A boolean query value as either client sends it (``true``/``True``/``1``...)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Invalid(f"{name} must be true or false, not {value!r}")


def as_id(value: Any) -> int | None:
    """``value`` as an id (a JSON integer or ASCII digits, within bigint), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(text := value.strip()):
        number = int(text)
    else:
        return None
    return number if 0 <= number <= MAX_ID else None


def parse_id(value: Any, *, name: str) -> int:
    """One id; 400 when ``value`` is not one."""
    number = as_id(value)
    if number is None:
        raise Invalid(f"{name} must be an id, not {value!r}")
    return number


def ids(value: Any, *, name: str) -> list[int]:
    """Ids from JSON (a list or a number) or text (``1,2,3``); blank items are skipped."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    found = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        number = as_id(item)
        if number is None:
            raise Invalid(f"{name} must be a list of ids, not {value!r}")
        found.append(number)
    return found


def id_filter(value: Any, *, name: str) -> list[int] | None:
    """The ids of an optional filter; None when it is absent or names no id."""
    return ids(value, name=name) or None


OBJECT: msgspec.json.Decoder[dict[str, Any]] = msgspec.json.Decoder(dict[str, Any])
"""The decoder of a body that is a JSON object of any fields (``json_body(raw, OBJECT)``)."""


def json_body(raw: bytes, decoder: msgspec.json.Decoder[T]) -> T:
    """A JSON body, or 400 saying why it cannot be read."""
    try:
        return decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise Invalid(f"Bad request body: {exc}") from exc


__all__ = ["MAX_ID", "OBJECT", "as_id", "flag", "id_filter", "ids", "json_body", "parse_id"]
