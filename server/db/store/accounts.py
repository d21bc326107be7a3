"""Account creation shared by the CLI, the bootstrap admin and ``POST /api/user``."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts.errors import Conflict, Invalid
from server.db import queries as q
from server.passwords import hash_password, new_key_pair
from server.principal import ADMIN, SUPER_ADMIN, USER


class NewAccount(msgspec.Struct, kw_only=True):
    """What ``lamina user create`` prints."""

    id: int
    username: str
    public_key: str = msgspec.field(name="publicKey")
    private_key: str = msgspec.field(name="privateKey")


async def create_account(
    conn: asyncpg.Connection,
    *,
    username: str,
    password: str | None = None,
    rank: int = USER,
    firstname: str | None = None,
    lastname: str | None = None,
    email: str | None = None,
    language: str | None = None,
    creator_id: int | None = None,
    origin: str = "SYSTEM",
) -> NewAccount:
    """Insert an account with a fresh key pair, every role up to ``rank`` and a storage."""
    if not username.strip():
        raise Invalid("username must not be empty")
    if rank > SUPER_ADMIN or rank < 1:
        raise Invalid(f"rank must be between 1 and {SUPER_ADMIN}")
    public, private = new_key_pair()
    hashed = hash_password(password) if password else None
    async with conn.transaction():
        try:
            user_id = await conn.fetchval(
                q.ACCOUNT_INSERT,
                username.strip(),
                firstname,
                lastname,
                email,
                hashed,
                public,
                private,
                creator_id,
                origin,
                language,
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"User {username} already exists") from exc
        await conn.execute(q.ACCOUNT_GRANT_ROLES_UP_TO, user_id, rank)
        # Cytomine gives every new account a storage of its own to upload into.
        await conn.execute(q.STORAGE_INSERT, f"{username.strip()} storage", user_id)
    return NewAccount(id=user_id, username=username.strip(), public_key=public, private_key=private)


async def count_accounts(conn: asyncpg.Connection) -> int:
    """How many accounts exist."""
    return int(await conn.fetchval(q.ACCOUNT_COUNT))


__all__ = ["ADMIN", "NewAccount", "count_accounts", "create_account"]
