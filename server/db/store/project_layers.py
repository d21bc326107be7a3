"""Project representatives (contact users) and default annotation layers."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, commands
from server.db.store.project_members import require_user
from server.principal import Principal

Representative = c.ProjectRepresentativeUser
DefaultLayer = c.ProjectDefaultLayer


async def representatives(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[Representative]:
    """Representatives of a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(conn, q.PROJECT_REPRESENTATIVE_LIST, params, Representative, project_id)


async def _representative(
    conn: asyncpg.Connection, project_id: int, ident: int | None, user_id: int | None
) -> Representative:
    text = await conn.fetchval(q.PROJECT_REPRESENTATIVE_GET, project_id, ident, user_id)
    if text is None:
        raise NotFound("ProjectRepresentativeUser", ident if ident is not None else user_id)
    return rows.one(text, Representative)


async def representative(
    conn: asyncpg.Connection, me: Principal, project_id: int, ident: int
) -> Representative:
    """One representative of a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await _representative(conn, project_id, ident, None)


async def add_representative(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int
) -> tuple[Representative, int]:
    """Make a member a representative (managers and admins)."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        await require_user(conn, user_id)
        try:
            ident = await conn.fetchval(q.PROJECT_REPRESENTATIVE_INSERT, project_id, user_id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"User {user_id} is already representative of the project {project_id}"
            ) from exc
        if ident is None:
            raise _not_member(user_id, project_id)
        obj = await _representative(conn, project_id, ident, None)
        command = await commands.record(
            conn, user_id=me.id, action="ADD", obj=obj, project_id=project_id
        )
    return obj, command


async def delete_representative(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    *,
    ident: int | None = None,
    user_id: int | None = None,
) -> tuple[Representative, int]:
    """Remove a representative by id or by user; the last one cannot go."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        obj = await _representative(conn, project_id, ident, user_id)
        if await conn.fetchval(q.PROJECT_REPRESENTATIVE_DELETE, project_id, obj.id) is None:
            await _representative(conn, project_id, obj.id, None)  # gone meanwhile: NotFound
            raise Invalid(
                "You cannot remove the last representative role. Add someone else as representative"
            )
        command = await commands.record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=project_id
        )
    return obj, command


async def default_layers(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[DefaultLayer]:
    """Default layers of a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(conn, q.PROJECT_DEFAULT_LAYER_LIST, params, DefaultLayer, project_id)


async def _layer(conn: asyncpg.Connection, project_id: int, ident: int) -> DefaultLayer:
    text = await conn.fetchval(q.PROJECT_DEFAULT_LAYER_GET, project_id, ident)
    if text is None:
        raise NotFound("ProjectDefaultLayer", ident)
    return rows.one(text, DefaultLayer)


async def default_layer(
    conn: asyncpg.Connection, me: Principal, project_id: int, ident: int
) -> DefaultLayer:
    """One default layer of a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await _layer(conn, project_id, ident)


def _not_member(user_id: int | None, project_id: int) -> Invalid:
    return Invalid(f"Error: the user {user_id} is not into the project {project_id}")


def _duplicate(user_id: int | None, project_id: int) -> Conflict:
    return Conflict(f"User {user_id} has already default layer of the project {project_id}")


async def _save_layer(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    user_id: int | None,
    action: commands.Action,
    write: Awaitable[Any],
) -> tuple[DefaultLayer, int]:
    """Await an insert or update that returns the layer's id (NULL: no member); record it."""
    try:
        ident = await write
    except asyncpg.UniqueViolationError as exc:
        raise _duplicate(user_id, project_id) from exc
    if ident is None:
        raise _not_member(user_id, project_id)
    obj = await _layer(conn, project_id, ident)
    command = await commands.record(
        conn, user_id=me.id, action=action, obj=obj, project_id=project_id
    )
    return obj, command


async def add_default_layer(
    conn: asyncpg.Connection, me: Principal, project_id: int, body: c.ProjectDefaultLayerInput
) -> tuple[DefaultLayer, int]:
    """Show or hide a member's layer by default (managers and admins)."""
    assert body.user is not None
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        await require_user(conn, body.user)
        write = conn.fetchval(
            q.PROJECT_DEFAULT_LAYER_INSERT, project_id, body.user, body.hide_by_default
        )
        return await _save_layer(conn, me, project_id, body.user, "ADD", write)


async def update_default_layer(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    ident: int,
    body: c.ProjectDefaultLayerInput,
) -> tuple[DefaultLayer, int]:
    """Change a default layer (managers and admins)."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        await _layer(conn, project_id, ident)
        write = conn.fetchval(
            q.PROJECT_DEFAULT_LAYER_UPDATE, project_id, ident, body.user, body.hide_by_default
        )
        return await _save_layer(conn, me, project_id, body.user, "EDIT", write)


async def delete_default_layer(
    conn: asyncpg.Connection, me: Principal, project_id: int, ident: int
) -> tuple[DefaultLayer, int]:
    """Delete a default layer (managers and admins)."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        obj = await _layer(conn, project_id, ident)
        await commands.delete_row(
            conn, q.PROJECT_DEFAULT_LAYER_DELETE, project_id, ident, kind="ProjectDefaultLayer"
        )
        command = await commands.record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=project_id
        )
    return obj, command


__all__ = [
    "DefaultLayer",
    "Representative",
    "add_default_layer",
    "add_representative",
    "default_layer",
    "default_layers",
    "delete_default_layer",
    "delete_representative",
    "representative",
    "representatives",
    "update_default_layer",
]
