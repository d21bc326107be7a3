"""Errors raised by spatial functions; each is a contracts DomainError the server maps once."""

from __future__ import annotations

from contracts.errors import Invalid, NotFound


class InvalidGeometry(Invalid):
    """A geometry (WKT location) cannot be accepted; ``values`` holds ``{"reason": code}``."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, {"reason": reason})
        self.reason = reason


class InvalidBbox(Invalid):
    """A ``bbox`` filter is neither four ordered numbers nor a usable polygon."""


class InvalidResolution(Invalid):
    """A physical resolution (micrometres per pixel) is not a finite positive number."""


class TileOutOfRange(NotFound):
    """A z/x/y tile lies outside the image's tile pyramid."""

    def __init__(self, z: int, x: int, y: int) -> None:
        super().__init__("Tile", f"{z}/{x}/{y}")
        self.values = {"z": z, "x": x, "y": y}


__all__ = ["InvalidBbox", "InvalidGeometry", "InvalidResolution", "TileOutOfRange"]
