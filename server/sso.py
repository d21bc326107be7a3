"""The SSO session's records and secrets, shared by the OpenID Connect routes and the store.

A leaf module (no server imports): the store keeps sessions and codes under these digests
without depending on the authentication package that issues tokens.
"""

from __future__ import annotations

import hashlib
import secrets

import msgspec

CODE_SECONDS = 60
"""Lifetime of an authorization code."""


class Account(msgspec.Struct, kw_only=True):
    """The account facts that go into tokens and the Account REST answer."""

    sid: str
    expires: int
    """End of the SSO session, epoch seconds."""
    id: int
    username: str
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    rank: int = 0
    language: str | None = None
    is_developer: bool = False


def new_secret() -> str:
    """A fresh unguessable URL-safe secret (cookie, code, session id)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 hex digest under which a browser-held secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


__all__ = ["CODE_SECONDS", "Account", "digest", "new_secret"]
