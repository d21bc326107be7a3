"""Errors raised by spatial functions; each is a contracts DomainError the server maps once."""

from __future__ import annotations

from contracts.errors import Invalid


class InvalidGeometry(Invalid):
    """A geometry (WKT location) cannot be accepted; ``values`` holds ``{"reason": code}``."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, {"reason": reason})
        self.reason = reason


class InvalidBbox(Invalid):
    """A ``bbox`` filter is neither four ordered numbers nor a usable polygon."""


class InvalidResolution(Invalid):
    """A physical resolution (micrometres per pixel) is not a finite positive number."""


__all__ = ["InvalidBbox", "InvalidGeometry", "InvalidResolution"]
