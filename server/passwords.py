"""Password hashing with Argon2id (argon2-cffi) and API key generation."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

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


def _lower_priority() -> None:
    """Hashing threads yield the processor to request handling (Linux: per-thread nice)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _HASHING_NICENESS)


_HASHING_NICENESS = 10
# At most one hash per core but one, at a lower priority: a flood of logins leaves the event
# loop a core and the processor first (checking a password costs ~0.2 s of one core).
_HASHING = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 1) - 1),
    thread_name_prefix="password-hashing",
    initializer=_lower_priority,
)


async def verify_password_in_thread(password_hash: str | None, password: str) -> bool:
    """``verify_password`` in one of the few low-priority hashing threads."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_HASHING, verify_password, password_hash, password)


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
