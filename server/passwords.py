"""Password hashing with Argon2id (argon2-cffi) and API key generation."""

from __future__ import annotations

import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; accounts without a password never match."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_key_pair() -> tuple[str, str]:
    """A (public, private) API key pair in Cytomine's UUID form."""
    return str(uuid.uuid4()), str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def new_password() -> str:
    """A random password for bootstrap accounts."""
    return secrets.token_urlsafe(12)


__all__ = ["hash_password", "new_key_pair", "new_password", "verify_password"]
