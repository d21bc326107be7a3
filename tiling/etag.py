"""Strong ETags for image responses, computed from identifiers, never from pixels."""

from __future__ import annotations

import hashlib

ETAG_SCHEME = "1"
"""Bump when the bytes produced for the same parameters change (codec, quality, padding)."""


def etag(image_id: int, version: str | int, *params: object) -> str:
    """A quoted strong ETag from the image id, its file version and the request parameters.

    ``version`` must change whenever the file's pixels may change (for example its
    modification time in nanoseconds or its upload id); ``params`` are every value that shapes
    the response (route kind, zoom, tile, region, size, format...).
    """
    text = "\x1f".join(str(p) for p in (ETAG_SCHEME, image_id, version, *params))
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """True when an If-None-Match header names this tag (or is ``*``): answer 304."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates or f"W/{tag}" in candidates


__all__ = ["ETAG_SCHEME", "etag", "matches"]
