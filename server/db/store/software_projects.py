"""Software-project links: which software a project offers to run.

Project members read them; writers of the project (members, managers only once it is
read-only; never guests) add and remove them, as Cytomine; admins everything.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, software
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def list_all(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.SoftwareProject]:
    """Links of every project the caller reads (every link for admins)."""
    return await fetch_page(
        conn,
        q.SOFTWARE_PROJECT_LIST,
        params,
        c.SoftwareProject,
        me.id,
        me.is_admin,
        default_sort="id",
    )


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.SoftwareProject]:
    """Links of a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn,
        q.SOFTWARE_PROJECT_LIST_BY_PROJECT,
        params,
        c.SoftwareProject,
        project_id,
        default_sort="id",
    )


async def projects_of(
    conn: asyncpg.Connection, me: Principal, software_id: int, params: ListParams
) -> Page[c.Project]:
    """Projects where a software is enabled, among those the caller reads."""
    await software.find(conn, me, software_id)
    return await fetch_page(
        conn, q.SOFTWARE_PROJECTS, params, c.Project, software_id, me.id, me.is_admin
    )


async def _find(conn: asyncpg.Connection, link_id: int) -> c.SoftwareProject:
    row = await conn.fetchrow(q.SOFTWARE_PROJECT_BY_ID, link_id)
    if row is None:
        raise NotFound("SoftwareProject", link_id)
    return rows.one(row["obj"], c.SoftwareProject)


async def get(conn: asyncpg.Connection, me: Principal, link_id: int) -> c.SoftwareProject:
    """One link of a project the caller reads."""
    obj = await _find(conn, link_id)
    await acl.readable(conn, me, obj.project)
    return obj


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.SoftwareProjectInput
) -> tuple[c.SoftwareProject, int]:
    """Enable a software in a project the caller writes to."""
    missing = [k for k in ("software", "project") if getattr(body, k) is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.software is not None and body.project is not None
    await acl.writable(conn, me, body.project)
    if await conn.fetchrow(q.SOFTWARE_BY_ID, body.software, me.id, me.is_admin) is None:
        message = f"software was not found with id: {body.software}"
        raise Invalid(message, {"software": body.software})
    async with conn.transaction():
        try:
            new_id = await conn.fetchval(q.SOFTWARE_PROJECT_INSERT, body.software, body.project)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"Software {body.software} already linked to project {body.project}"
            ) from exc
        obj = await _find(conn, new_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, link_id: int
) -> tuple[c.SoftwareProject, int]:
    """Remove a software from a project the caller writes to; answer the link as it was."""
    obj = await _find(conn, link_id)
    await acl.writable(conn, me, obj.project)
    async with conn.transaction():
        await delete_row(conn, q.SOFTWARE_PROJECT_DELETE, link_id, kind="SoftwareProject")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


__all__ = ["create", "delete", "get", "list_all", "list_by_project", "projects_of"]
