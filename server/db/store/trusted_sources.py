"""Trusted sources (Cytomine's SoftwareUserRepository): accounts software comes from.

Every caller reads them; only admins declare, change or delete them. Lamina has no
repository scanner: a trusted source records where software comes from, and software
registered from it (``softwareUserRepository``) lists under it.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def list_all(conn: asyncpg.Connection, params: ListParams) -> Page[c.SoftwareUserRepository]:
    """Every trusted source."""
    return await fetch_page(
        conn, q.SOFTWARE_USER_REPOSITORY_LIST, params, c.SoftwareUserRepository, default_sort="id"
    )


async def get(conn: asyncpg.Connection, repository_id: int) -> c.SoftwareUserRepository:
    """One trusted source."""
    text = await conn.fetchval(q.SOFTWARE_USER_REPOSITORY_BY_ID, repository_id)
    if text is None:
        raise NotFound("SoftwareUserRepository", repository_id)
    return rows.one(text, c.SoftwareUserRepository)


def _admin(me: Principal) -> None:
    if not me.is_admin:
        raise Forbidden("Only an admin may change trusted sources")


def _values(body: c.SoftwareUserRepositoryInput) -> tuple[str, str, str, str | None]:
    given = {
        "provider": (body.provider or "").strip(),
        "username": (body.username or "").strip(),
        "dockerUsername": (body.docker_username or "").strip(),
    }
    missing = [k for k, v in given.items() if not v]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    return given["provider"], given["username"], given["dockerUsername"], body.prefix


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.SoftwareUserRepositoryInput
) -> tuple[c.SoftwareUserRepository, int]:
    """Declare a trusted source (admins)."""
    _admin(me)
    values = _values(body)
    async with conn.transaction():
        new_id = await conn.fetchval(q.SOFTWARE_USER_REPOSITORY_INSERT, *values)
        obj = await get(conn, new_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection,
    me: Principal,
    repository_id: int,
    body: c.SoftwareUserRepositoryInput,
) -> tuple[c.SoftwareUserRepository, int]:
    """Change a trusted source (admins)."""
    _admin(me)
    await get(conn, repository_id)
    values = _values(body)
    async with conn.transaction():
        await conn.execute(q.SOFTWARE_USER_REPOSITORY_UPDATE, repository_id, *values)
        obj = await get(conn, repository_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, repository_id: int
) -> tuple[c.SoftwareUserRepository, int]:
    """Forget a trusted source (admins); its software stays, without a source."""
    _admin(me)
    obj = await get(conn, repository_id)
    async with conn.transaction():
        await delete_row(
            conn, q.SOFTWARE_USER_REPOSITORY_DELETE, repository_id, kind="SoftwareUserRepository"
        )
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


__all__ = ["create", "delete", "get", "list_all", "update"]
