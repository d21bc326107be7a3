"""Slice instances written through the API, kept consistent with their image and plane.

A slice instance ties a plane (abstract slice) to an image instance: the plane must belong
to the image instance's abstract image and the slice's project must be the image's project.
Statements insert or update only when that holds, so an inconsistent body changes nothing.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.errors import Conflict, Invalid
from server.db import queries as q
from server.db.store import acl, commands, image_instances, images
from server.principal import Principal


def _inconsistent(image_id: int, base_slice: int, project_id: int) -> Invalid:
    return Invalid(
        f"Abstract slice {base_slice} does not belong to the image of image instance "
        f"{image_id} in project {project_id}",
        {"image": image_id, "baseSlice": base_slice, "project": project_id},
    )


def _duplicate(image_id: int, base_slice: int) -> Conflict:
    return Conflict(
        f"A slice instance of abstract slice {base_slice} already exists for ImageInstance "
        f"{image_id}",
        {"image": image_id, "baseSlice": base_slice},
    )


async def _target(
    conn: asyncpg.Connection, me: Principal, body: c.SliceInstanceInput
) -> tuple[int, int, int]:
    """The (project, image, base slice) of a body, with the caller's write right checked."""
    missing = [
        wire
        for wire, value in (
            ("project", body.project),
            ("image", body.image),
            ("baseSlice", body.base_slice),
        )
        if value is None
    ]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.project is not None and body.image is not None and body.base_slice is not None
    await acl.writable(conn, me, body.project)
    await image_instances.get(conn, me, body.image)
    await images.slice_get(conn, me, body.base_slice)
    return body.project, body.image, body.base_slice


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.SliceInstanceInput
) -> tuple[c.SliceInstance, int]:
    """Add a slice instance (normally made when an image enters a project)."""
    project_id, image_id, base_slice = await _target(conn, me, body)
    async with conn.transaction():
        try:
            slice_id = await conn.fetchval(
                q.SLICE_INSTANCE_INSERT, project_id, image_id, base_slice
            )
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(image_id, base_slice) from exc
        if slice_id is None:
            raise _inconsistent(image_id, base_slice, project_id)
        made = await image_instances.slice_get(conn, me, slice_id)
        command = await commands.record(
            conn, user_id=me.id, action="ADD", obj=made, project_id=project_id
        )
    return made, command


async def _editable(conn: asyncpg.Connection, me: Principal, slice_id: int) -> c.SliceInstance:
    """A slice instance the caller may change (the image's owner in restricted projects)."""
    current = await image_instances.slice_get(conn, me, slice_id)
    owner = await conn.fetchval(q.SLICE_INSTANCE_OWNER, slice_id)
    (await acl.project_access(conn, me, current.project)).require_edit(owner)
    return current


async def update(
    conn: asyncpg.Connection, me: Principal, slice_id: int, body: c.SliceInstanceInput
) -> tuple[c.SliceInstance, int]:
    """Point a slice instance at another plane or image, keeping it consistent."""
    current = await _editable(conn, me, slice_id)
    merged = c.SliceInstanceInput(
        project=body.project or current.project,
        image=body.image or current.image,
        base_slice=body.base_slice or current.base_slice,
    )
    project_id, image_id, base_slice = await _target(conn, me, merged)
    if image_id != current.image and await conn.fetchval(q.SLICE_INSTANCE_ANNOTATED, slice_id):
        raise Invalid("A slice instance holding annotations cannot move to another image")
    async with conn.transaction():
        try:
            done = await conn.fetchval(
                q.SLICE_INSTANCE_UPDATE, slice_id, project_id, image_id, base_slice
            )
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(image_id, base_slice) from exc
        if done is None:
            raise _inconsistent(image_id, base_slice, project_id)
        changed = await image_instances.slice_get(conn, me, slice_id)
        command = await commands.record(
            conn, user_id=me.id, action="EDIT", obj=changed, project_id=project_id
        )
    return changed, command


async def delete(
    conn: asyncpg.Connection, me: Principal, slice_id: int
) -> tuple[c.SliceInstance, int]:
    """Delete a slice instance that holds no annotation."""
    current = await _editable(conn, me, slice_id)
    if await conn.fetchval(q.SLICE_INSTANCE_ANNOTATED, slice_id):
        raise Invalid(f"Slice instance {slice_id} holds annotations: delete them first")
    async with conn.transaction():
        await commands.delete_row(conn, q.SLICE_INSTANCE_DELETE, slice_id, kind="SliceInstance")
        command = await commands.record(
            conn, user_id=me.id, action="DELETE", obj=current, project_id=current.project
        )
    return current, command


__all__ = ["create", "delete", "update"]
