"""Wire types of the Cytomine API: generated Structs, envelopes and domain errors."""

from __future__ import annotations

from contracts import _generated as generated
from contracts.envelopes import Page, page
from contracts.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unauthorized

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "Invalid",
    "NotFound",
    "Page",
    "Unauthorized",
    "generated",
    "page",
]
