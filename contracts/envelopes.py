"""Hand-written wire shapes that compose the generated types."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

from contracts._generated import User

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """Cytomine's list envelope."""

    collection: list[T]
    offset: int
    per_page: int = msgspec.field(name="perPage")
    size: int
    total_pages: int = msgspec.field(name="totalPages")


def page(items: list[T], *, size: int, offset: int, max_: int) -> Page[T]:
    """Wrap one page of items, ``max_ == 0`` meaning unpaged."""
    total_pages = -(-size // max_) if max_ > 0 else min(size, 1)
    return Page(
        collection=items,
        offset=offset,
        per_page=len(items),
        size=size,
        total_pages=total_pages,
    )


class ErrorBody(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Cytomine's error shape: ``{"errors": {"message": ...}, "errorValues": ...}``."""

    errors: dict[str, str]
    error_values: Any = msgspec.field(default=None, name="errorValues")


class Message(msgspec.Struct, kw_only=True):
    """``{"message": ...}`` inside the ``data`` of ACL changes."""

    message: str


class DataMessage(msgspec.Struct, kw_only=True):
    """``{"data": {"message": "OK"}}``: the answer of membership changes."""

    data: Message


class BulkResult(msgspec.Struct, kw_only=True):
    """Answer to an array POST: HTTP 200 with the real status inside."""

    data: dict[str, Any]
    status: int


class CurrentUser(User, kw_only=True):
    """``/api/user/current.json``: the same object, where ``user`` is a role flag.

    ``job`` is the run of a user job account (null for people).
    """

    user: bool | int | None = None
    job: int | None = None


__all__ = ["BulkResult", "CurrentUser", "DataMessage", "ErrorBody", "Message", "Page", "page"]
