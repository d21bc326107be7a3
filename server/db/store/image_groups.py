"""Image groups: image instances of one project gathered and browsed together."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, arrays
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def _group(conn: asyncpg.Connection, group_id: int) -> asyncpg.Record:
    row = await conn.fetchrow(q.IMAGE_GROUP_BY_ID, group_id)
    if row is None:
        raise NotFound("ImageGroup", group_id)
    return row


async def readable(conn: asyncpg.Connection, me: Principal, group_id: int) -> c.ImageGroup:
    """An image group of a project the caller reads."""
    row = await _group(conn, group_id)
    await acl.readable(conn, me, row["project_id"])
    return rows.one(row["obj"], c.ImageGroup)


async def editable(conn: asyncpg.Connection, me: Principal, group_id: int) -> c.ImageGroup:
    """An image group the caller may change (restricted projects: only its creator)."""
    row = await _group(conn, group_id)
    (await acl.project_access(conn, me, row["project_id"])).require_edit(row["user_id"])
    return rows.one(row["obj"], c.ImageGroup)


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.ImageGroup]:
    """Image groups of one project, each with its images."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(conn, q.IMAGE_GROUP_LIST, params, c.ImageGroup, project_id)


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Image group name must not be empty", {"missing": ["name"]})
    return value.strip()


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.ImageGroupInput
) -> tuple[c.ImageGroup, int]:
    """Create an image group in a project the caller writes in."""
    name = _name(body.name)
    if body.project is None:
        raise Invalid("Missing required field(s): project", {"missing": ["project"]})
    await acl.writable(conn, me, body.project)
    async with conn.transaction():
        group_id = await conn.fetchval(q.IMAGE_GROUP_INSERT, name, body.project, me.id)
        obj = rows.one((await _group(conn, group_id))["obj"], c.ImageGroup)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
    return obj, command


async def create_many(
    conn: asyncpg.Connection, me: Principal, bodies: list[c.ImageGroupInput]
) -> BulkResult:
    """Create every image group of an array, or none when one is refused."""
    return await arrays.create_all(conn, me, bodies, create, "imagegroups")


async def update(
    conn: asyncpg.Connection, me: Principal, group_id: int, body: c.ImageGroupInput
) -> tuple[c.ImageGroup, int]:
    """Rename an image group; it stays in its project."""
    current = await editable(conn, me, group_id)
    if body.project is not None and body.project != current.project:
        raise Invalid("An image group cannot move to another project", {"project": body.project})
    name = current.name if body.name is None else _name(body.name)
    async with conn.transaction():
        await conn.execute(q.IMAGE_GROUP_UPDATE, group_id, name)
        obj = rows.one((await _group(conn, group_id))["obj"], c.ImageGroup)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj, project_id=obj.project)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, group_id: int
) -> tuple[c.ImageGroup, int]:
    """Delete an image group with its memberships and annotation groups; answer it as it was."""
    obj = await editable(conn, me, group_id)
    async with conn.transaction():
        await delete_row(conn, q.IMAGE_GROUP_DELETE, group_id, kind="ImageGroup")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


async def images(
    conn: asyncpg.Connection, me: Principal, group_id: int, params: ListParams
) -> Page[c.ImageInstance]:
    """Image instances of one image group."""
    await readable(conn, me, group_id)
    return await fetch_page(
        conn, q.IMAGE_GROUP_IMAGES, params, c.ImageInstance, group_id, me.id, me.is_admin
    )


async def _image_project(conn: asyncpg.Connection, image_id: int) -> int:
    project_id = await conn.fetchval(q.IMAGE_INSTANCE_PROJECT, image_id)
    if project_id is None:
        raise NotFound("ImageInstance", image_id)
    return int(project_id)


async def memberships(
    conn: asyncpg.Connection, me: Principal, image_id: int, params: ListParams
) -> Page[c.ImageGroupImageInstance]:
    """The image groups one image instance belongs to."""
    await acl.readable(conn, me, await _image_project(conn, image_id))
    return await fetch_page(
        conn, q.IMAGE_GROUP_MEMBER_LIST, params, c.ImageGroupImageInstance, image_id
    )


async def _member(
    conn: asyncpg.Connection, group_id: int, image_id: int
) -> c.ImageGroupImageInstance:
    text = await conn.fetchval(q.IMAGE_GROUP_MEMBER_BY_PAIR, group_id, image_id)
    if text is None:
        raise NotFound("ImageGroupImageInstance", f"group={group_id}, image={image_id}")
    return rows.one(text, c.ImageGroupImageInstance)


async def add_image(
    conn: asyncpg.Connection, me: Principal, group_id: int, image_id: int
) -> tuple[c.ImageGroupImageInstance, int]:
    """Put an image of the group's project into the group."""
    group = await editable(conn, me, group_id)
    if await _image_project(conn, image_id) != group.project:
        raise Invalid("Group and image are not in the same project!", {"image": image_id})
    async with conn.transaction():
        try:
            await conn.execute(q.IMAGE_GROUP_MEMBER_INSERT, group_id, image_id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Image {image_id} is already in image group {group_id}") from exc
        obj = await _member(conn, group_id, image_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=group.project)
    return obj, command


async def remove_image(
    conn: asyncpg.Connection, me: Principal, group_id: int, image_id: int
) -> tuple[c.ImageGroupImageInstance, int]:
    """Take an image out of a group; answer the membership as it was."""
    group = await editable(conn, me, group_id)
    async with conn.transaction():
        obj = await _member(conn, group_id, image_id)
        await delete_row(conn, q.IMAGE_GROUP_MEMBER_DELETE, obj.id, kind="ImageGroupImageInstance")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=group.project
        )
    return obj, command


async def neighbour(
    conn: asyncpg.Connection,
    me: Principal,
    group_id: int,
    image_id: int,
    *,
    step: int,
    circular: bool,
) -> msgspec.Raw:
    """The next (step 1) or previous (step -1) image of a group by name; [] past an end."""
    await readable(conn, me, group_id)
    await _member(conn, group_id, image_id)
    text = await conn.fetchval(
        q.IMAGE_GROUP_NEIGHBOUR, group_id, image_id, step, circular, me.id, me.is_admin
    )
    if text is None:
        return msgspec.Raw(b"[]")
    return msgspec.Raw(msgspec.json.encode(rows.one(text, c.ImageInstance)))


__all__ = [
    "add_image",
    "create",
    "create_many",
    "delete",
    "editable",
    "images",
    "list_by_project",
    "memberships",
    "neighbour",
    "readable",
    "remove_image",
    "update",
]
