"""Image instances (an abstract image placed in a project) and their slice instances."""

from __future__ import annotations

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, commands, images, users
from server.principal import Principal


class InstanceFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which image instances a list covers."""

    project: int | None = None
    base_image: int | None = None
    member: int | None = None


class ImageInstanceRow(c.ImageInstance, kw_only=True):
    """An image list row. ``tag`` is only filtered on (``tag[in]=null,3``), never answered."""

    tag: int | None | UnsetType = msgspec.field(default=UNSET, name="tag")


async def get(conn: asyncpg.Connection, me: Principal, instance_id: int) -> c.ImageInstance:
    """One image instance whose project the caller reads."""
    row = await conn.fetchrow(q.IMAGE_INSTANCE_GET, instance_id, me.id, me.is_admin)
    if row is None:
        if await conn.fetchrow(q.IMAGE_INSTANCE_PROJECT, instance_id) is not None:
            raise Forbidden(f"You don't have the right to read image instance {instance_id}")
        raise NotFound("ImageInstance", instance_id)
    return rows.one(row["obj"], c.ImageInstance)


async def list_instances(
    conn: asyncpg.Connection, me: Principal, params: ListParams, where: InstanceFilter
) -> Page[c.ImageInstance]:
    """Image instances the caller reads, narrowed by ``where``."""
    if where.project is not None:
        await acl.readable(conn, me, where.project)
    if where.base_image is not None:
        await images.get(conn, me, where.base_image)
    return await fetch_page(
        conn,
        q.IMAGE_INSTANCE_LIST,
        params,
        ImageInstanceRow,
        me.id,
        me.is_admin,
        where.project,
        where.base_image,
        where.member,
        any(field == "tag" for field, _, _ in params.filters),
    )


async def add(
    conn: asyncpg.Connection,
    me: Principal,
    base_image: int,
    project_id: int,
    instance_filename: str | None = None,
) -> tuple[c.ImageInstance, int]:
    """Put an abstract image into a project (project write access, image readable)."""
    await acl.writable(conn, me, project_id)
    await images.get(conn, me, base_image)
    async with conn.transaction():
        try:
            instance_id = await conn.fetchval(
                q.IMAGE_INSTANCE_INSERT, base_image, project_id, me.id, instance_filename
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"Image {base_image} is already in project {project_id}",
                {"baseImage": base_image, "project": project_id},
            ) from exc
        instance = await get(conn, me, instance_id)
        command = await commands.record(
            conn, user_id=me.id, action="ADD", obj=instance, project_id=project_id
        )
    return instance, command


async def update(
    conn: asyncpg.Connection, me: Principal, instance_id: int, body: c.ImageInstanceInput
) -> tuple[c.ImageInstance, int]:
    """Change the name or optics of an image instance (project write access)."""
    current = await get(conn, me, instance_id)
    (await acl.project_access(conn, me, current.project)).require_edit(current.user)
    if body.magnification is not None and body.magnification <= 0:
        raise Invalid("magnification must be positive")
    name = body.instance_filename.strip() if body.instance_filename else None
    async with conn.transaction():
        await conn.execute(
            q.IMAGE_INSTANCE_UPDATE,
            instance_id,
            name,
            body.physical_size_x,
            body.physical_size_y,
            body.physical_size_z,
            body.magnification,
            body.fps,
        )
        instance = await get(conn, me, instance_id)
        command = await commands.record(
            conn, user_id=me.id, action="EDIT", obj=instance, project_id=instance.project
        )
    return instance, command


async def delete(
    conn: asyncpg.Connection, me: Principal, instance_id: int
) -> tuple[c.ImageInstance, int]:
    """Remove an image from its project (project write access; own image if restricted)."""
    instance = await get(conn, me, instance_id)
    (await acl.project_access(conn, me, instance.project)).require_edit(instance.user)
    async with conn.transaction():
        await commands.delete_row(conn, q.IMAGE_INSTANCE_DELETE, instance_id, kind="ImageInstance")
        command = await commands.record(
            conn, user_id=me.id, action="DELETE", obj=instance, project_id=instance.project
        )
    return instance, command


async def slice_get(conn: asyncpg.Connection, me: Principal, slice_id: int) -> c.SliceInstance:
    """One slice instance whose project the caller reads."""
    text = await conn.fetchval(q.SLICE_INSTANCE_GET, slice_id, me.id, me.is_admin)
    if text is None:
        raise NotFound("SliceInstance", slice_id)
    return rows.one(text, c.SliceInstance)


async def slices(
    conn: asyncpg.Connection, me: Principal, instance_id: int, params: ListParams
) -> Page[c.SliceInstance]:
    """Slice instances of an image instance, by rank."""
    await get(conn, me, instance_id)
    ordered = msgspec.structs.replace(
        params, sort=params.sort or "rank", order=params.order or "asc"
    )
    return await fetch_page(conn, q.SLICE_INSTANCE_LIST, ordered, c.SliceInstance, instance_id)


async def slice_at(
    conn: asyncpg.Connection,
    me: Principal,
    instance_id: int,
    plane: tuple[int, int, int] | None = None,
) -> c.SliceInstance:
    """The slice at (channel, z, time), or the reference slice when ``plane`` is None."""
    await get(conn, me, instance_id)
    channel, z_stack, time = plane if plane is not None else (None, None, None)
    text = await conn.fetchval(q.SLICE_INSTANCE_AT, instance_id, channel, z_stack, time)
    if text is None:
        raise NotFound("SliceInstance", f"image={instance_id}, plane={plane}")
    return rows.one(text, c.SliceInstance)


class LightImage(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A row of a user's compact image list (blinded projects hide the filename)."""

    id: int
    project_name: str = msgspec.field(name="projectName")
    project: int
    blinded_name: int | None = msgspec.field(default=None, name="blindedName")
    instance_filename: str | None = msgspec.field(default=None, name="instanceFilename")


class OpenedImage(msgspec.Struct, kw_only=True):
    """A row of the last-opened image list."""

    id: int
    date: str
    thumb: str
    instance_filename: str | None = msgspec.field(default=None, name="instanceFilename")
    project: int


async def neighbour(
    conn: asyncpg.Connection, me: Principal, instance_id: int, *, older: bool
) -> msgspec.Raw:
    """Cytomine's next (older) or previous (newer) image of the same project; {} if none."""
    await get(conn, me, instance_id)
    sql = q.IMAGE_INSTANCE_NEXT if older else q.IMAGE_INSTANCE_PREVIOUS
    text = await conn.fetchval(sql, instance_id, me.id, me.is_admin)
    if text is None:
        return msgspec.Raw(b"{}")
    return msgspec.Raw(msgspec.json.encode(rows.one(text, c.ImageInstance)))


async def bounds(conn: asyncpg.Connection, me: Principal, project_id: int) -> msgspec.Raw:
    """Min/max and choices of image fields in a project, for the Web UI filters."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.IMAGE_INSTANCE_BOUNDS, project_id, me.id, me.is_admin)
    return msgspec.Raw(text.encode())


async def light_by_user(
    conn: asyncpg.Connection, me: Principal, user_id: int, params: ListParams
) -> Page[LightImage]:
    """Compact list of the images of a user's projects (that user or an admin only)."""
    if user_id not in (0, me.id) and not me.is_admin:
        raise Forbidden(
            "You don't have the right to read this resource! You must be the same user!"
        )
    target = me.id if user_id == 0 else (await users.get(conn, me, user_id)).id
    ordered = msgspec.structs.replace(
        params, sort=params.sort or "instanceFilename", order=params.order or "asc"
    )
    return await fetch_page(
        conn, q.IMAGE_INSTANCE_LIGHT_BY_USER, ordered, LightImage, target, me.is_admin
    )


async def last_opened(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[OpenedImage]:
    """The images the caller opened, once each, most recently opened first."""
    ordered = msgspec.structs.replace(
        params, sort=params.sort or "date", order=params.order or "desc"
    )
    return await fetch_page(conn, q.IMAGE_INSTANCE_LAST_OPENED, ordered, OpenedImage, me.id)


__all__ = [
    "InstanceFilter",
    "LightImage",
    "OpenedImage",
    "add",
    "bounds",
    "delete",
    "get",
    "last_opened",
    "light_by_user",
    "list_instances",
    "neighbour",
    "slice_at",
    "slice_get",
    "slices",
    "update",
]
