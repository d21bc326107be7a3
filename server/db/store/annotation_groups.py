"""Annotation groups: annotations of one object followed across the images of an image group."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, image_groups
from server.db.store.commands import delete_row, record
from server.principal import Principal

DEFAULT_TYPE = "SAME_OBJECT"


async def _group(conn: asyncpg.Connection, group_id: int) -> asyncpg.Record:
    row = await conn.fetchrow(q.ANNOTATION_GROUP_BY_ID, group_id)
    if row is None:
        raise NotFound("AnnotationGroup", group_id)
    return row


async def readable(conn: asyncpg.Connection, me: Principal, group_id: int) -> c.AnnotationGroup:
    """An annotation group of a project the caller reads."""
    row = await _group(conn, group_id)
    await acl.readable(conn, me, row["project_id"])
    return rows.one(row["obj"], c.AnnotationGroup)


async def editable(conn: asyncpg.Connection, me: Principal, group_id: int) -> c.AnnotationGroup:
    """An annotation group the caller may change (restricted projects: only its creator)."""
    row = await _group(conn, group_id)
    (await acl.project_access(conn, me, row["project_id"])).require_edit(row["user_id"])
    return rows.one(row["obj"], c.AnnotationGroup)


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.AnnotationGroup]:
    """Annotation groups of one project."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn, q.ANNOTATION_GROUP_LIST, params, c.AnnotationGroup, project_id, None
    )


async def list_by_image_group(
    conn: asyncpg.Connection, me: Principal, image_group_id: int, params: ListParams
) -> Page[c.AnnotationGroup]:
    """Annotation groups of one image group."""
    await image_groups.readable(conn, me, image_group_id)
    return await fetch_page(
        conn, q.ANNOTATION_GROUP_LIST, params, c.AnnotationGroup, None, image_group_id
    )


def _type(value: str | None) -> str:
    if value is None:
        return DEFAULT_TYPE
    if not value.strip():
        raise Invalid("Annotation group type must not be empty", {"type": value})
    return value.strip()


async def _image_group_in(
    conn: asyncpg.Connection, me: Principal, image_group_id: int, project_id: int
) -> None:
    group = await image_groups.readable(conn, me, image_group_id)
    if group.project != project_id:
        raise Invalid(
            "Image group and annotation group are not in the same project!",
            {"imageGroup": image_group_id, "project": project_id},
        )


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.AnnotationGroupInput
) -> tuple[c.AnnotationGroup, int]:
    """Create an annotation group for an image group of a project the caller writes in."""
    given = (("project", body.project), ("imageGroup", body.image_group))
    missing = [wire for wire, value in given if value is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.project is not None and body.image_group is not None
    kind = _type(body.type)
    await acl.writable(conn, me, body.project)
    await _image_group_in(conn, me, body.image_group, body.project)
    async with conn.transaction():
        group_id = await conn.fetchval(
            q.ANNOTATION_GROUP_INSERT, body.project, body.image_group, kind, me.id
        )
        obj = rows.one((await _group(conn, group_id))["obj"], c.AnnotationGroup)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
    return obj, command


async def _save(
    conn: asyncpg.Connection, me: Principal, group_id: int, image_group_id: int, kind: str
) -> tuple[c.AnnotationGroup, int]:
    await conn.execute(q.ANNOTATION_GROUP_UPDATE, group_id, image_group_id, kind)
    obj = rows.one((await _group(conn, group_id))["obj"], c.AnnotationGroup)
    command = await record(conn, user_id=me.id, action="EDIT", obj=obj, project_id=obj.project)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, group_id: int, body: c.AnnotationGroupInput
) -> tuple[c.AnnotationGroup, int]:
    """Change the image group (same project) or the type of an annotation group."""
    current = await editable(conn, me, group_id)
    if body.project is not None and body.project != current.project:
        raise Invalid(
            "An annotation group cannot move to another project", {"project": body.project}
        )
    image_group_id = current.image_group if body.image_group is None else body.image_group
    if image_group_id != current.image_group:
        await _image_group_in(conn, me, image_group_id, current.project)
    kind = current.type if body.type is None else _type(body.type)
    async with conn.transaction():
        return await _save(conn, me, group_id, image_group_id, kind)


async def delete(
    conn: asyncpg.Connection, me: Principal, group_id: int
) -> tuple[c.AnnotationGroup, int]:
    """Delete an annotation group and its links; answer it as it was."""
    obj = await editable(conn, me, group_id)
    async with conn.transaction():
        await delete_row(conn, q.ANNOTATION_GROUP_DELETE, group_id, kind="AnnotationGroup")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


async def merge(
    conn: asyncpg.Connection, me: Principal, group_id: int, merged_id: int
) -> tuple[c.AnnotationGroup, int]:
    """Move the links of ``merged_id`` into ``group_id`` and delete ``merged_id``."""
    target = await editable(conn, me, group_id)
    merged = await editable(conn, me, merged_id)
    same = (target.project, target.image_group, target.type) == (
        merged.project,
        merged.image_group,
        merged.type,
    )
    if group_id == merged_id or not same:
        raise Invalid(
            f"Annotation groups {group_id} and {merged_id} are incompatible to be merged.",
            {"id": group_id, "mergedId": merged_id},
        )
    async with conn.transaction():
        await conn.execute(q.ANNOTATION_LINK_REGROUP, group_id, merged_id)
        await conn.execute(q.ANNOTATION_GROUP_DELETE, merged_id)
        return await _save(conn, me, group_id, target.image_group, target.type)


__all__ = [
    "DEFAULT_TYPE",
    "create",
    "delete",
    "editable",
    "list_by_image_group",
    "list_by_project",
    "merge",
    "readable",
    "update",
]
