"""Storages (upload spaces) and their members: READ to use one, ADMINISTRATION to manage it."""

from __future__ import annotations

import asyncpg
import msgspec

import contracts._generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import commands
from server.db.store.users import ascending_by_default
from server.db.store.users import get as get_user
from server.principal import Principal

ADMINISTRATION = "ADMINISTRATION"


class StorageAccess(msgspec.Struct, frozen=True, kw_only=True):
    """A storage and what the caller may do with it."""

    storage: c.Storage
    can_read: bool
    can_manage: bool


def require_user(me: Principal) -> None:
    """Storages are for users: guests have none and see none."""
    if me.is_guest:
        raise Forbidden("Guests have no access to storages")


async def access(conn: asyncpg.Connection, me: Principal, storage_id: int) -> StorageAccess:
    """The storage ``storage_id`` and the caller's rights on it (NotFound if it is absent)."""
    require_user(me)
    row = await conn.fetchrow(q.STORAGE_BY_ID, storage_id, me.id)
    if row is None:
        raise NotFound("Storage", storage_id)
    permission = row["access"]
    return StorageAccess(
        storage=rows.one(row["obj"], c.Storage),
        can_read=me.is_admin or permission is not None,
        can_manage=me.is_admin or permission == ADMINISTRATION,
    )


async def readable(conn: asyncpg.Connection, me: Principal, storage_id: int) -> c.Storage:
    """A storage the caller may read."""
    found = await access(conn, me, storage_id)
    if not found.can_read:
        raise Forbidden(f"You don't have the right to read storage {storage_id}")
    return found.storage


async def manageable(conn: asyncpg.Connection, me: Principal, storage_id: int) -> c.Storage:
    """A storage the caller administers."""
    found = await access(conn, me, storage_id)
    if not found.can_manage:
        raise Forbidden(f"You must administer storage {storage_id} to do this")
    return found.storage


async def list_storages(
    conn: asyncpg.Connection, me: Principal, params: ListParams, *, all_: bool
) -> Page[c.Storage]:
    """Storages the caller reads; every storage for an admin asking for ``all``."""
    require_user(me)
    ordered = msgspec.structs.replace(params, sort=params.sort or "id", order=params.order or "asc")
    return await fetch_page(conn, q.STORAGE_LIST, ordered, c.Storage, me.id, all_ and me.is_admin)


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.StorageInput
) -> tuple[c.Storage, int]:
    """Create a storage owned by the caller (an admin may name another owner)."""
    require_user(me)
    if not body.name or not body.name.strip():
        raise Invalid("Missing required field(s): name", {"missing": ["name"]})
    owner = body.user if me.is_admin and body.user is not None else me.id
    if owner != me.id:
        await get_user(conn, me, owner)
    async with conn.transaction():
        storage_id = await conn.fetchval(q.STORAGE_INSERT, body.name.strip(), owner)
        storage = await readable(conn, me, storage_id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=storage)
    return storage, command


async def update(
    conn: asyncpg.Connection, me: Principal, storage_id: int, body: c.StorageInput
) -> tuple[c.Storage, int]:
    """Rename a storage or give it to another owner (ADMINISTRATION or admin)."""
    await manageable(conn, me, storage_id)
    if body.name is not None and not body.name.strip():
        raise Invalid("name must not be empty")
    if body.user is not None:
        await get_user(conn, me, body.user)
    name = body.name.strip() if body.name else None
    async with conn.transaction():
        await conn.execute(q.STORAGE_UPDATE, storage_id, name, body.user)
        storage = (await access(conn, me, storage_id)).storage
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=storage)
    return storage, command


async def delete(conn: asyncpg.Connection, me: Principal, storage_id: int) -> tuple[c.Storage, int]:
    """Delete a storage (ADMINISTRATION or admin)."""
    storage = await manageable(conn, me, storage_id)
    async with conn.transaction():
        try:
            await commands.delete_row(conn, q.STORAGE_DELETE, storage_id, kind="Storage")
        except asyncpg.ForeignKeyViolationError as exc:
            raise Invalid(f"Storage {storage_id} still holds files and cannot be deleted") from exc
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=storage)
    return storage, command


async def members(
    conn: asyncpg.Connection, me: Principal, storage_id: int, params: ListParams
) -> Page[c.User]:
    """Users having access to a storage (the caller must read it)."""
    await readable(conn, me, storage_id)
    return await fetch_page(
        conn,
        q.STORAGE_USER_LIST,
        ascending_by_default(params),
        c.User,
        storage_id,
        me.id,
        me.is_admin,
    )


async def grant(conn: asyncpg.Connection, me: Principal, storage_id: int, user_id: int) -> None:
    """Let a user read a storage (ADMINISTRATION or admin)."""
    await get_user(conn, me, user_id)
    await manageable(conn, me, storage_id)
    await conn.execute(q.STORAGE_MEMBER_GRANT, storage_id, user_id)


async def revoke(conn: asyncpg.Connection, me: Principal, storage_id: int, user_id: int) -> None:
    """Remove a user from a storage (themselves, ADMINISTRATION or admin); never the owner."""
    await get_user(conn, me, user_id)
    found = await access(conn, me, storage_id)
    if not found.can_manage and user_id != me.id:
        raise Forbidden(f"You must administer storage {storage_id} to do this")
    if found.storage.user == user_id:
        raise Invalid("The storage owner cannot be deleted.")
    await conn.execute(q.STORAGE_MEMBER_REVOKE, storage_id, user_id)


__all__ = [
    "StorageAccess",
    "access",
    "create",
    "delete",
    "grant",
    "list_storages",
    "manageable",
    "members",
    "readable",
    "revoke",
]
