"""Errors raised by the tiling package; each belongs to a contracts.errors family."""

from __future__ import annotations

from contracts.errors import Invalid, NotFound


class AssociatedImageNotFound(NotFound):
    """The slide has no associated image with that name (404)."""

    def __init__(self, name: str) -> None:
        super().__init__("AssociatedImage", name)


class RegionTooLarge(Invalid):
    """A window, crop or output size beyond the published maximum (400)."""

    def __init__(self, what: str, size: int, limit: int) -> None:
        super().__init__(
            f"{what} of {size} pixels exceeds the maximum of {limit} pixels",
            {"size": size, "limit": limit},
        )


class InvalidRegion(Invalid):
    """A region that is empty or lies outside the image (400)."""


class UnsupportedFormat(Invalid):
    """An image format or quality the server does not produce (400)."""


class UnknownFilter(Invalid):
    """An image filter the server does not implement (400, naming it)."""


class InvalidImageRequest(Invalid):
    """A malformed IIIF or DeepZoom request (400)."""


ERROR_FORMAT = 11
"""Cytomine status of an uploaded file that no reader recognises."""
ERROR_INTEGRITY = 61
"""Cytomine status of a file that opens but whose pixels cannot be read."""
ERROR_CONVERSION = 31
"""Cytomine status of a file whose conversion to a tiled pyramid failed."""


class UnreadableImage(Invalid):
    """A file no tile source can read (400); ``upload_status`` is Cytomine's upload code."""

    def __init__(self, message: str, *, upload_status: int = ERROR_FORMAT) -> None:
        super().__init__(message, {"status": upload_status})
        self.upload_status = upload_status


__all__ = [
    "ERROR_CONVERSION",
    "ERROR_FORMAT",
    "ERROR_INTEGRITY",
    "AssociatedImageNotFound",
    "InvalidImageRequest",
    "InvalidRegion",
    "RegionTooLarge",
    "UnreadableImage",
    "UnsupportedFormat",
]
