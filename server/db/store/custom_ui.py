"""Custom UI: which menus, tabs, panels and tools the Web UI shows to whom.

Global keys depend on the caller's roles, project keys on the caller's place in the project
(admin, manager or anyone else); a manager may override the project keys of a project.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db.store import acl
from server.principal import Principal

ROLES = ("ADMIN_PROJECT", "CONTRIBUTOR_PROJECT")


async def config(conn: asyncpg.Connection, me: Principal, project_id: int | None) -> msgspec.Raw:
    """The caller's flat key -> shown map; project keys only for an existing project."""
    target = None
    if project_id:
        try:
            target = (await acl.readable(conn, me, project_id)).project_id
        except NotFound:
            target = None  # Cytomine answers the global keys for an unknown project
    text = await conn.fetchval(q.CUSTOM_UI_CONFIG, me.id, me.is_admin, target)
    return msgspec.Raw(text.encode())


async def project_config(conn: asyncpg.Connection, me: Principal, project_id: int) -> msgspec.Raw:
    """The project keys in force in a project the caller reads."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.CUSTOM_UI_PROJECT_GET, project_id)
    return msgspec.Raw(text.encode())


async def _checked(conn: asyncpg.Connection, body: Any) -> dict[str, dict[str, bool]]:
    if not isinstance(body, dict):
        raise Invalid("The custom UI configuration must be a JSON object")
    known = {r["key"] for r in await conn.fetch(q.CUSTOM_UI_PROJECT_KEYS)}
    unknown = sorted(set(body) - known)
    if unknown:
        raise Invalid(f"Unknown custom UI key(s): {', '.join(unknown)}", {"unknown": unknown})
    wrong = sorted(
        key
        for key, setting in body.items()
        if not isinstance(setting, dict)
        or set(setting) != set(ROLES)
        or not all(isinstance(v, bool) for v in setting.values())
    )
    if wrong:
        raise Invalid(
            "Each custom UI key needs {ADMIN_PROJECT: bool, CONTRIBUTOR_PROJECT: bool}",
            {"invalid": wrong},
        )
    return body


async def save_project_config(
    conn: asyncpg.Connection, me: Principal, project_id: int, body: Any
) -> msgspec.Raw:
    """Replace the project keys of a project the caller manages; answer the keys in force."""
    await acl.manageable(conn, me, project_id)
    setting = await _checked(conn, body)
    async with conn.transaction():
        await conn.execute(
            q.CUSTOM_UI_PROJECT_SAVE, project_id, me.id, msgspec.json.encode(setting).decode()
        )
    return await project_config(conn, me, project_id)


__all__ = ["config", "project_config", "save_project_config"]
