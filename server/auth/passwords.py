"""Password hashing with Argon2id (argon2-cffi) and API key generation."""

from __future__ import annotations

import os
import secrets
import uuid

import anyio
import anyio.to_thread
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


_HASHING: list[anyio.CapacityLimiter] = []


def _hashing_slots() -> anyio.CapacityLimiter:
    """At most one hash per core but one: a flood of logins leaves a core to the event loop."""
    if not _HASHING:
        _HASHING.append(anyio.CapacityLimiter(max(1, (os.cpu_count() or 1) - 1)))
    return _HASHING[0]


async def verify_password_in_thread(password_hash: str | None, password: str) -> bool:
    """``verify_password`` in a worker thread, never more at once than ``_hashing_slots``."""
    return await anyio.to_thread.run_sync(
        verify_password, password_hash, password, limiter=_hashing_slots()
    )


def new_key_pair() -> tuple[str, str]:
    """A (public, private) API key pair in Cytomine's UUID form."""
    return str(uuid.uuid4()), str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def new_password() -> str:
    """A random password for bootstrap accounts."""
    return secrets.token_urlsafe(12)


__all__ = [
    "hash_password",
    "new_key_pair",
    "new_password",
    "verify_password",
    "verify_password_in_thread",
]
