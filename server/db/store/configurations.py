"""Configuration: global key/value settings, each readable by ALL, USER or ADMIN."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import commands
from server.principal import Principal

READING_ROLES = ("ALL", "USER", "ADMIN")


def _level(me: Principal) -> int:
    """1 reads ALL settings, 2 also USER ones, 3 (admin session open) every setting."""
    if me.is_admin:
        return 3
    return 1 if me.is_guest else 2


async def list_settings(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.Configuration]:
    """The settings the caller may read."""
    return await fetch_page(conn, q.CONFIGURATION_LIST, params, c.Configuration, _level(me))


async def _find(conn: asyncpg.Connection, me: Principal, key: str) -> c.Configuration | None:
    row = await conn.fetchrow(q.CONFIGURATION_BY_KEY, key, _level(me))
    if row is None:
        return None
    if not row["readable"]:
        raise Forbidden("You don't have the right to read this resource!")
    return rows.one(row["obj"], c.Configuration)


async def get(conn: asyncpg.Connection, me: Principal, key: str) -> c.Configuration:
    """One setting the caller may read."""
    found = await _find(conn, me, key)
    if found is None:
        raise NotFound("Configuration", key)
    return found


def _admin(me: Principal) -> None:
    if not me.is_admin:
        raise Forbidden("Only administrators may change the configuration")


def _text(value: str | None, field: str) -> str:
    if value is None or not value.strip():
        raise Invalid(f"Configuration {field} must not be empty", {"missing": [field]})
    return value


def _checked(body: c.ConfigurationInput, key: str | None = None) -> tuple[str, str, str]:
    """(key, value, readingRole) of a valid body; ``key`` (from the URL) wins over the body's."""
    key = _text(key if key is not None else body.key, "key")
    if "." in key:
        raise Invalid(f"Configuration key {key!r} must not contain a dot")
    role = _text(body.reading_role, "readingRole")
    if role not in READING_ROLES:
        raise Invalid(f"readingRole must be one of {', '.join(READING_ROLES)}, not {role!r}")
    return key, _text(body.value, "value"), role


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.ConfigurationInput, key: str | None = None
) -> tuple[c.Configuration, int]:
    """Create a setting (admins): body {key, value, readingRole}."""
    _admin(me)
    key, value, role = _checked(body, key)
    async with conn.transaction():
        try:
            await conn.fetchval(q.CONFIGURATION_INSERT, key, value, role)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Configuration {key} already exists") from exc
        obj = await get(conn, me, key)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, key: str, body: c.ConfigurationInput
) -> tuple[c.Configuration, int, bool]:
    """Change a setting, or create it when the key is new (admins); True when created."""
    _admin(me)
    current = await _find(conn, me, key)
    if current is None:
        obj, command = await create(conn, me, body, key)
        return obj, command, True
    _, value, role = _checked(body, key)
    async with conn.transaction():
        await conn.execute(q.CONFIGURATION_UPDATE, current.id, value, role)
        obj = await get(conn, me, key)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command, False


async def delete(conn: asyncpg.Connection, me: Principal, key: str) -> tuple[c.Configuration, int]:
    """Delete a setting (admins)."""
    _admin(me)
    obj = await get(conn, me, key)
    async with conn.transaction():
        await commands.delete_row(conn, q.CONFIGURATION_DELETE, obj.id, kind="Configuration")
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


__all__ = ["READING_ROLES", "create", "delete", "get", "list_settings", "update"]
