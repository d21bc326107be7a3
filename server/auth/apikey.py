"""Cytomine API keys: ``authorization: CYTOMINE <public>:<base64 HMAC-SHA1>``.

Two strings to sign are in use and both are accepted:
- ``METHOD\\nMD5\\ncontent-type\\ndate`` (cytomine-python-client 4.x);
- the same followed by ``\\n<path>[?query]`` (older clients and Cytomine's Java core).
Each is also tried with an empty content-type, as the Java core does, because some
clients sign without it. Unlike Cytomine, a Date far from the server clock is refused,
so a captured signature cannot be replayed later. A path-less signature is valid on every
path of its method within that window; ``pathless_signatures=False`` refuses it.

Browsers may not set ``Date``, so the Web UI's upload sends the signed date in ``dateFull``
(ISO-8601, as ``Date.toISOString()`` writes it) and the signed content type in
``content-type-full`` (the string ``null`` for none), as Cytomine's image server reads them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from contracts.errors import Unauthorized

SCHEME = "CYTOMINE "


class SignedRequest:
    """The parts of a request a signature may cover."""

    def __init__(
        self,
        *,
        method: str,
        content_md5: str,
        content_type: str,
        date: str,
        path_and_query: str,
        pathless: bool = True,
    ) -> None:
        self.method = method.upper()
        self.content_md5 = content_md5
        self.content_type = content_type
        self.date = date
        self.path_and_query = path_and_query
        self.pathless = pathless

    def candidates(self) -> list[str]:
        """Every accepted string to sign for this request."""
        out = []
        for ctype in dict.fromkeys((self.content_type, "")):
            head = f"{self.method}\n{self.content_md5}\n{ctype}\n{self.date}"
            out += [head, f"{head}\n{self.path_and_query}"][0 if self.pathless else 1 :]
        return out


def parse_authorization(value: str) -> tuple[str, str]:
    """Split ``CYTOMINE pub:sig`` into (public key, signature)."""
    body = value[len(SCHEME) :].strip()
    public, sep, signature = body.partition(":")
    if not sep or not public or not signature:
        raise Unauthorized("Malformed CYTOMINE authorization header")
    return public, signature


def sign(private_key: str, string_to_sign: str) -> str:
    """Base64 HMAC-SHA1 of the string, keyed with the private key (both UTF-8)."""
    digest = hmac.new(
        private_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(private_key: str, signature: str, request: SignedRequest) -> bool:
    """True when one accepted string to sign gives ``signature``."""
    return signature_scope(private_key, signature, request) is not None


def signature_scope(private_key: str, signature: str, request: SignedRequest) -> str | None:
    """What a valid signature covers beyond method, MD5, content type and date: ``""`` when a
    path-less string to sign gives ``signature`` (valid on every path), the path and query
    when only the string with the path does; None when no accepted string gives it."""
    return _scope(private_key, signature, tuple(request.candidates()), request.path_and_query)


@functools.lru_cache(maxsize=4096)
def _scope(
    private_key: str, signature: str, candidates: tuple[str, ...], path_and_query: str
) -> str | None:
    """``signature_scope`` for given strings to sign. A pure function, so it is memoized:
    a client repeats one signature for many requests (a path-less one lasts until its date
    is stale) and a changed key is another argument, never a stale answer. Every candidate
    is compared (no early exit), so the time taken does not tell which one matched."""
    found: str | None = None
    for candidate in candidates:
        if hmac.compare_digest(sign(private_key, candidate), signature) and found != "":
            found = "" if not candidate.endswith(f"\n{path_and_query}") else path_and_query
    return found


def signed_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """The date and content type a signature covers: ``dateFull``/``content-type-full`` stand
    in for the ``Date`` and ``Content-Type`` a browser cannot choose."""
    date = headers.get("date") or headers.get("datefull") or ""
    content_type = headers.get("content-type-full")
    if content_type is None:
        content_type = headers.get("content-type", "")
    return date, "" if content_type == "null" else content_type


@functools.lru_cache(maxsize=1024)
def sent_at(date: str) -> float:
    """The epoch time of an HTTP date, or of an ISO-8601 time such as
    ``2026-12-06T07:10:00.000Z`` (UTC when it names no zone; memoized: a client sends one
    date with many requests)."""
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        try:
            sent = datetime.fromisoformat(date)
        except ValueError as exc:
            raise Unauthorized(
                f"The date header is neither an HTTP date nor an ISO-8601 time: {date[:40]!r}"
            ) from exc
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return sent.timestamp()


def check_date(date: str, *, now: datetime | None = None, skew_seconds: int) -> None:
    """Refuse a missing, unreadable or stale ``date`` (or ``dateFull``) header."""
    if not date:
        raise Unauthorized("The date (or dateFull) header is required with a CYTOMINE signature")
    sent = sent_at(date)
    current = time.time() if now is None else now.timestamp()
    if abs(current - sent) > skew_seconds:
        raise Unauthorized(
            f"The signed date ({date[:40]}) is more than {skew_seconds} s away from the"
            " server clock: sign the request again"
        )


__all__ = [
    "SCHEME",
    "SignedRequest",
    "check_date",
    "parse_authorization",
    "sent_at",
    "sign",
    "signature_matches",
    "signature_scope",
    "signed_headers",
]
