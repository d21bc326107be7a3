"""Abstract slices written through the API: one channel/z/time plane of an abstract image."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import BulkResult
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.store import arrays, commands, images, storages, users
from server.principal import Principal


def _check_plane(body: c.AbstractSliceInput) -> None:
    """Channel, z and time indexes are 0-based."""
    for wire, value in (("channel", body.channel), ("zStack", body.z_stack), ("time", body.time)):
        if value is not None and value < 0:
            raise Invalid(f"{wire} must not be negative")


async def _writable_image(conn: asyncpg.Connection, me: Principal, image_id: int) -> None:
    """Writing slices of an image needs its storage."""
    await images.get(conn, me, image_id)
    await storages.readable(conn, me, await images.storage_of(conn, image_id))


def _duplicate(exc: Exception, image_id: int | None) -> Conflict:
    return Conflict(
        f"This abstract slice (channel, zStack, time) already exists for AbstractImage {image_id}",
        {"image": image_id},
    )


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.AbstractSliceInput
) -> tuple[c.AbstractSlice, int]:
    """Add a plane to an abstract image."""
    if body.image is None:
        raise Invalid("Missing required field(s): image", {"missing": ["image"]})
    _check_plane(body)
    await _writable_image(conn, me, body.image)
    async with conn.transaction():
        try:
            slice_id = await conn.fetchval(
                q.ABSTRACT_SLICE_INSERT,
                body.image,
                body.mime,
                body.channel or 0,
                body.z_stack or 0,
                body.time or 0,
                body.channel_name,
                body.channel_color,
                body.z_name,
            )
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(exc, body.image) from exc
        made = await images.slice_get(conn, me, slice_id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=made)
    return made, command


async def create_many(
    conn: asyncpg.Connection, me: Principal, bodies: list[c.AbstractSliceInput]
) -> BulkResult:
    """Add every plane of an array, or none when one is refused (status inside the answer)."""
    return await arrays.create_all(conn, me, bodies, create, "abstractslices")


async def _usage(conn: asyncpg.Connection, slice_id: int) -> list[str]:
    """Names of the projects whose slice instances use an abstract slice."""
    row = await conn.fetchrow(q.ABSTRACT_SLICE_USAGE, slice_id)
    if row is None:
        raise NotFound("AbstractSlice", slice_id)
    return list(row["projects"])


async def update(
    conn: asyncpg.Connection, me: Principal, slice_id: int, body: c.AbstractSliceInput
) -> tuple[c.AbstractSlice, int]:
    """Change a plane's coordinates, names or colour (its image only while unused)."""
    current = await images.slice_get(conn, me, slice_id)
    _check_plane(body)
    await _writable_image(conn, me, current.image)
    if body.image is not None and body.image != current.image:
        await _writable_image(conn, me, body.image)
        if await _usage(conn, slice_id):
            raise Invalid("An abstract slice used in projects cannot move to another image")
    async with conn.transaction():
        try:
            await conn.execute(
                q.ABSTRACT_SLICE_UPDATE,
                slice_id,
                body.image,
                body.mime,
                body.channel,
                body.z_stack,
                body.time,
                body.channel_name,
                body.channel_color,
                body.z_name,
            )
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(exc, body.image or current.image) from exc
        changed = await images.slice_get(conn, me, slice_id)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=changed)
    return changed, command


async def delete(
    conn: asyncpg.Connection, me: Principal, slice_id: int
) -> tuple[c.AbstractSlice, int]:
    """Delete a plane that no project uses."""
    current = await images.slice_get(conn, me, slice_id)
    await _writable_image(conn, me, current.image)
    projects = await _usage(conn, slice_id)
    if projects:
        raise Forbidden(
            f"Abstract slice has instances in active projects: {', '.join(projects)}",
            {"projectNames": projects},
        )
    async with conn.transaction():
        await commands.delete_row(conn, q.ABSTRACT_SLICE_DELETE, slice_id, kind="AbstractSlice")
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=current)
    return current, command


async def at(
    conn: asyncpg.Connection, me: Principal, image_id: int, plane: tuple[int, int, int]
) -> c.AbstractSlice:
    """The abstract slice of an image at (channel, z, time)."""
    await images.get(conn, me, image_id)
    text = await conn.fetchval(q.ABSTRACT_SLICE_AT, image_id, *plane)
    if text is None:
        channel, z_stack, time = plane
        raise NotFound("AbstractSlice", f"image={image_id}, c={channel}, z={z_stack}, t={time}")
    return rows.one(text, c.AbstractSlice)


async def uploader(conn: asyncpg.Connection, me: Principal, slice_id: int) -> c.User:
    """The user who uploaded the file behind an abstract slice."""
    found = await images.slice_get(conn, me, slice_id)
    user_id = await conn.fetchval(q.ABSTRACT_IMAGE_UPLOADER, found.image)
    return await users.get(conn, me, int(user_id))


__all__ = ["at", "create", "create_many", "delete", "update", "uploader"]
