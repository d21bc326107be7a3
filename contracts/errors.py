"""Domain errors shared by every layer; the server maps each family to an HTTP status once."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error a client may see; ``status`` is the HTTP status it maps to."""

    status: ClassVar[int] = 400

    def __init__(self, message: str, values: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


class Invalid(DomainError):
    """The request is malformed or breaks a rule (400)."""

    status = 400


class Unauthorized(DomainError):
    """No valid credential reached a protected route (401)."""

    status = 401


class Forbidden(DomainError):
    """The caller is known but not allowed (403)."""

    status = 403


class NotFound(DomainError):
    """The object or one of its parents does not exist (404)."""

    status = 404

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} not found with filters : {{id={ident}}}", {"id": ident})


class Conflict(DomainError):
    """The object already exists (409)."""

    status = 409


class TooLarge(DomainError):
    """The request body passes a documented size limit (413)."""

    status = 413


__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "Invalid",
    "NotFound",
    "TooLarge",
    "Unauthorized",
]
