"""Signed, versioned image URLs: an expiring HMAC token that stands in for credentials.

A token grants read access to every picture route of one object (``kind``/``id``) at one file
version until ``exp`` (epoch seconds), so a tile URL template can be signed once. The query
carries ``v`` (file version), ``exp`` and ``sig``; the secret is derived from the server's
signing key, so every worker of a deployment accepts the same URLs.

Standard viewers (IIIF, DeepZoom) build tile URLs from a base URL and drop any query, so the
same three values can also travel as one path segment, ``{v}~{exp}~{sig}`` (a *path token*):
``/iiif/s/{token}/{id}`` is then a base from which every derived URL stays signed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from contracts.errors import Forbidden

SIGNED_PARAMS = ("v", "exp", "sig")
PATH_SEPARATOR = "~"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600


def derive_secret(key_material: bytes) -> bytes:
    """The HMAC secret of image URLs, derived from the server's private signing key."""
    return hashlib.sha256(b"lamina image urls\x00" + key_material).digest()


@functools.lru_cache(maxsize=4096)
def _mac(secret: bytes, kind: str, object_id: int, version: str, exp: int) -> str:
    """The token over one object, file version and expiry (memoized: a pure function that
    every tile of a signed template repeats)."""
    text = f"{kind}\n{object_id}\n{version}\n{exp}".encode()
    digest = hmac.new(secret, text, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(
    secret: bytes, kind: str, object_id: int, version: str, ttl: int = DEFAULT_TTL_SECONDS
) -> tuple[str, int]:
    """The query string (``v=&exp=&sig=``) that signs an object's picture URLs, and its expiry."""
    exp = int(time.time()) + ttl
    sig = _mac(secret, kind, object_id, version, exp)
    return urlencode({"v": version, "exp": exp, "sig": sig}), exp


def sign_token(
    secret: bytes, kind: str, object_id: int, version: str, ttl: int = DEFAULT_TTL_SECONDS
) -> tuple[str, int]:
    """The path token (``{v}~{exp}~{sig}``) that signs an object's picture URLs, and its expiry."""
    exp = int(time.time()) + ttl
    sig = _mac(secret, kind, object_id, version, exp)
    return PATH_SEPARATOR.join((version, str(exp), sig)), exp


def token_until(secret: bytes, kind: str, object_id: int, version: str, exp: int) -> str:
    """The path token of an object valid until ``exp``: tokens minted under another one
    (the images of a signed manifest) expire with it."""
    return PATH_SEPARATOR.join((version, str(exp), _mac(secret, kind, object_id, version, exp)))


def token_params(token: str) -> dict[str, str]:
    """The signed parameters a path token carries; Forbidden when it is not one."""
    parts = token.rsplit(PATH_SEPARATOR, 2)
    if len(parts) != 3 or not all(parts):
        raise Forbidden("Invalid URL signature")
    return dict(zip(SIGNED_PARAMS, parts, strict=True))


def path_token(query: dict[str, str]) -> str:
    """The path token carrying the same signature as a signed query."""
    return PATH_SEPARATOR.join(str(query.get(name) or "") for name in SIGNED_PARAMS)


def has_signature(query: Mapping[str, str]) -> bool:
    """True when a request carries a signature (it must then be valid)."""
    return bool(query.get("sig"))


def verify(secret: bytes, kind: str, object_id: int, query: Mapping[str, str]) -> str:
    """The signed file version of a request; Forbidden when tampered or expired."""
    version = str(query.get("v") or "")
    exp = _valid_until(secret, kind, object_id, version, query.get("exp"), query.get("sig"))
    if exp < time.time():
        raise Forbidden("This signed URL has expired")
    return version


@functools.lru_cache(maxsize=4096)
def _valid_until(
    secret: bytes, kind: str, object_id: int, version: str, exp_text: object, sig: object
) -> int:
    """The expiry of a genuine signature; Forbidden otherwise (never remembered). Memoized:
    every tile of a signed template repeats the same check, and only the expiry depends on
    the time, so only the expiry is compared per request."""
    try:
        exp = int(str(exp_text or ""))
    except ValueError:
        raise Forbidden("Invalid URL signature") from None
    expected = _mac(secret, kind, object_id, version, exp)
    if not hmac.compare_digest(expected, str(sig or "")):
        raise Forbidden("Invalid URL signature")
    return exp


__all__ = [
    "DEFAULT_TTL_SECONDS",
    "derive_secret",
    "has_signature",
    "path_token",
    "sign",
    "sign_token",
    "token_params",
    "token_until",
    "verify",
]
