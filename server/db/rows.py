"""Turn JSON built by PostgreSQL into contract Structs (validated on the way)."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


@cache
def _decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(type_)


def one(text: str | bytes, type_: type[T]) -> T:
    """Decode one JSON object into ``type_``."""
    decoded: T = _decoder(type_).decode(text)  # type: ignore[arg-type]
    return decoded


def many(text: str | bytes | None, type_: type[T]) -> list[T]:
    """Decode a JSON array (NULL from an empty ``json_agg`` is an empty list)."""
    if text is None:
        return []
    decoded: list[T] = _decoder(list[type_]).decode(text)  # type: ignore[valid-type]
    return decoded


__all__ = ["many", "one"]
