"""Software: registered analysis programs, global to the server.

Cytomine's rules: every caller reads software; users (not guests) register it; its creator
and admins change or delete it. Lamina runs a software's execute command itself, so only
admins may set or change that command (and the pulling command): a plain user registers a
software that cannot run until an admin gives it one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server import attachments
from server.auth.principal import Principal
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.commands import record
from server.ingest import Received, remove_stored, safe_name

SOURCE_FOLDER = "software"


class Found(msgspec.Struct, frozen=True, kw_only=True):
    """A software, whether the caller may change it, and its stored source package."""

    obj: c.Software
    can_edit: bool
    source_path: str | None


async def list_all(
    conn: asyncpg.Connection, params: ListParams, *, executable_only: bool = False
) -> Page[c.Software]:
    """Every software (those that can run only, when asked)."""
    return await fetch_page(
        conn, q.SOFTWARE_LIST, params, c.Software, executable_only, default_sort="id"
    )


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.Software]:
    """Software enabled in a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn, q.SOFTWARE_LIST_BY_PROJECT, params, c.Software, project_id, default_sort="id"
    )


async def list_by_repository(
    conn: asyncpg.Connection, repository_id: int, params: ListParams
) -> Page[c.Software]:
    """Software found in a trusted source (deprecated versions left out)."""
    if await conn.fetchval(q.SOFTWARE_USER_REPOSITORY_BY_ID, repository_id) is None:
        raise NotFound("SoftwareUserRepository", repository_id)
    return await fetch_page(
        conn, q.SOFTWARE_LIST_BY_REPOSITORY, params, c.Software, repository_id, default_sort="id"
    )


async def find(conn: asyncpg.Connection, me: Principal, software_id: int) -> Found:
    """A software (any caller reads it); NotFound when it does not exist."""
    row = await conn.fetchrow(q.SOFTWARE_BY_ID, software_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("Software", software_id)
    return Found(
        obj=rows.one(row["obj"], c.Software),
        can_edit=bool(row["can_edit"]),
        source_path=row["source_path"],
    )


async def get(conn: asyncpg.Connection, me: Principal, software_id: int) -> c.Software:
    """One software."""
    return (await find(conn, me, software_id)).obj


async def editable(conn: asyncpg.Connection, me: Principal, software_id: int) -> Found:
    """A software the caller may change (its creator or an admin)."""
    found = await find(conn, me, software_id)
    if not found.can_edit:
        raise Forbidden(f"Only the creator of software {software_id} or an admin may change it")
    return found


def _values(me: Principal, body: c.SoftwareInput, before: c.Software | None) -> list[Any]:
    """The stored columns of a create or full update, checked."""
    name = (body.name or "").strip()
    if not name:
        raise Invalid("Software name must not be empty", {"missing": ["name"]})
    command = _blank_to_none(body.execute_command)
    pulling = _blank_to_none(body.pulling_command)
    old = (before.execute_command, before.pulling_command) if before else (None, None)
    if (command, pulling) != old and not me.is_admin:
        raise Forbidden("Only an admin may set the command that runs a software")
    return [
        name,
        _blank_to_none(body.software_version),
        body.software_user_repository,
        body.default_processing_server,
        body.result_name,
        command,
        pulling,
        bool(body.deprecated),
    ]


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


async def _check_repository(conn: asyncpg.Connection, repository_id: int | None) -> None:
    if repository_id is None:
        return
    if await conn.fetchval(q.SOFTWARE_USER_REPOSITORY_BY_ID, repository_id) is None:
        raise Invalid(
            f"softwareUserRepository was not found with id: {repository_id}",
            {"softwareUserRepository": repository_id},
        )


def _conflict(values: list[Any]) -> Conflict:
    version = f" {values[1]}" if values[1] else ""
    return Conflict(f"Software {values[0]}{version} already exist!")


async def create(
    conn: asyncpg.Connection,
    me: Principal,
    body: c.SoftwareInput,
    descriptor: dict[str, Any] | None = None,
) -> tuple[c.Software, int]:
    """Register a software owned by the caller; a new version joins the old one's projects."""
    if me.is_guest:
        raise Forbidden("Guests cannot register software")
    values = _values(me, body, None)
    await _check_repository(conn, body.software_user_repository)
    encoded = None if descriptor is None else msgspec.json.encode(descriptor).decode()
    async with conn.transaction():
        try:
            new_id = await conn.fetchval(
                q.SOFTWARE_INSERT, *values[:2], me.id, *values[2:], encoded
            )
        except asyncpg.UniqueViolationError as exc:
            raise _conflict(values) from exc
        if values[1] is not None:
            await conn.execute(q.SOFTWARE_LINK_NEW_VERSION, new_id)
            await conn.execute(q.SOFTWARE_DEPRECATE_OLDER, new_id)
        obj = await get(conn, me, new_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, software_id: int, body: c.SoftwareInput
) -> tuple[c.Software, int]:
    """Change a software (its creator or an admin; the command: admins only)."""
    before = (await editable(conn, me, software_id)).obj
    values = _values(me, body, before)
    await _check_repository(conn, body.software_user_repository)
    async with conn.transaction():
        try:
            await conn.execute(q.SOFTWARE_UPDATE, software_id, *values)
        except asyncpg.UniqueViolationError as exc:
            raise _conflict(values) from exc
        obj = await get(conn, me, software_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def create_with_source(
    conn: asyncpg.Connection, me: Principal, body: c.SoftwareInput, item: Received, root: Path
) -> tuple[c.Software, int]:
    """Register a software with its uploaded source package (``software/<id>/<name>``)."""
    async with conn.transaction():
        obj, command = await create(conn, me, body)
        relative = f"{SOURCE_FOLDER}/{obj.id}/{safe_name(item.original_filename)}"
        await conn.execute(q.SOFTWARE_SET_SOURCE, obj.id, relative)
        await attachments.keep(item, root, relative)
        obj = await get(conn, me, obj.id)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, software_id: int, root: Path
) -> tuple[c.Software, int]:
    """Delete a software with its parameters, project links and source package.

    A software that has runs stays (409): their results would lose their origin.
    """
    found = await editable(conn, me, software_id)
    async with conn.transaction():
        try:
            await conn.execute(q.SOFTWARE_DELETE, software_id)
        except asyncpg.ForeignKeyViolationError as exc:
            raise Conflict(
                f"Software {software_id} has jobs: delete them before the software",
                {"software": software_id},
            ) from exc
        command = await record(conn, user_id=me.id, action="DELETE", obj=found.obj)
    await remove_stored(root, found.source_path)
    return found.obj, command


async def stats_in_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, software_id: int
) -> dict[str, int]:
    """Job counters of a software in a project the caller reads."""
    await acl.readable(conn, me, project_id)
    await find(conn, me, software_id)
    row = await conn.fetchrow(q.SOFTWARE_STATS_IN_PROJECT, project_id, software_id)
    assert row is not None
    return {k: int(v) for k, v in dict(row).items()}


__all__ = [
    "SOURCE_FOLDER",
    "Found",
    "create",
    "delete",
    "editable",
    "find",
    "get",
    "list_all",
    "list_by_project",
    "list_by_repository",
    "create_with_source",
    "stats_in_project",
    "update",
]
