"""Companion files: extra files attached to an abstract image (HDF5 profiles...)."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import commands, images, storages, uploads, users
from server.principal import Principal


class Found(msgspec.Struct, frozen=True, kw_only=True):
    """A readable companion file, its image's storage and the uploader of its file."""

    file: c.CompanionFile
    storage_id: int
    uploader_id: int | None
    downloadable: bool


async def find(conn: asyncpg.Connection, me: Principal, file_id: int) -> Found:
    """One companion file whose abstract image the caller may read."""
    row = await conn.fetchrow(q.COMPANION_FILE_GET, file_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("CompanionFile", file_id)
    if not row["allowed"]:
        raise Forbidden(f"You don't have the right to read companion file {file_id}")
    return Found(
        file=rows.one(row["obj"], c.CompanionFile),
        storage_id=row["storage_id"],
        uploader_id=row["uploader_id"],
        downloadable=row["downloadable"],
    )


async def list_readable(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.CompanionFile]:
    """Companion files of every abstract image the caller may read."""
    storages.require_user(me)
    return await fetch_page(
        conn, q.COMPANION_FILE_LIST_READABLE, params, c.CompanionFile, me.id, me.is_admin
    )


async def _check(conn: asyncpg.Connection, me: Principal, body: c.CompanionFileInput) -> None:
    """The image (storage write) and uploaded file of a body, and no duplicate."""
    if body.progress is not None and not 0 <= body.progress <= 100:
        raise Invalid("progress must be between 0 and 100")
    if body.image is not None:
        await images.get(conn, me, body.image)
        await storages.readable(conn, me, await images.storage_of(conn, body.image))
    if body.uploaded_file is not None:
        await uploads.get(conn, me, body.uploaded_file)


async def _refuse_duplicate(
    conn: asyncpg.Connection, image_id: int, uploaded_file: int | None, current: int | None
) -> None:
    if uploaded_file is not None and await conn.fetchval(
        q.COMPANION_FILE_DUPLICATE, image_id, uploaded_file, current
    ):
        raise Conflict(
            f"Companion file already exists for AbstractImage {image_id}",
            {"image": image_id, "uploadedFile": uploaded_file},
        )


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.CompanionFileInput
) -> tuple[c.CompanionFile, int]:
    """Attach a companion file to an abstract image."""
    required = (
        ("image", body.image),
        ("originalFilename", body.original_filename),
        ("filename", body.filename),
        ("type", body.type),
    )
    missing = [wire for wire, value in required if value is None or value == ""]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.image is not None
    await _check(conn, me, body)
    await _refuse_duplicate(conn, body.image, body.uploaded_file, None)
    async with conn.transaction():
        file_id = await conn.fetchval(
            q.COMPANION_FILE_INSERT,
            body.image,
            body.uploaded_file,
            body.original_filename,
            body.filename,
            body.type,
            body.progress or 0,
        )
        made = (await find(conn, me, file_id)).file
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=made)
    return made, command


async def update(
    conn: asyncpg.Connection, me: Principal, file_id: int, body: c.CompanionFileInput
) -> tuple[c.CompanionFile, int]:
    """Change a companion file (progress, names, type...)."""
    current = await find(conn, me, file_id)
    await storages.readable(conn, me, current.storage_id)
    for wire, value in (("originalFilename", body.original_filename), ("type", body.type)):
        if value is not None and not value.strip():
            raise Invalid(f"{wire} must not be empty")
    await _check(conn, me, body)
    image_id = body.image or current.file.image
    await _refuse_duplicate(
        conn, image_id, body.uploaded_file or current.file.uploaded_file, file_id
    )
    async with conn.transaction():
        await conn.execute(
            q.COMPANION_FILE_UPDATE,
            file_id,
            body.image,
            body.uploaded_file,
            body.original_filename,
            body.filename,
            body.type,
            body.progress,
        )
        changed = (await find(conn, me, file_id)).file
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=changed)
    return changed, command


async def delete(
    conn: asyncpg.Connection, me: Principal, file_id: int
) -> tuple[c.CompanionFile, int]:
    """Detach a companion file (its uploaded file stays)."""
    current = await find(conn, me, file_id)
    await storages.readable(conn, me, current.storage_id)
    async with conn.transaction():
        await commands.delete_row(conn, q.COMPANION_FILE_DELETE, file_id, kind="CompanionFile")
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=current.file)
    return current.file, command


async def uploader(conn: asyncpg.Connection, me: Principal, file_id: int) -> c.User:
    """Who uploaded the file of a companion file."""
    found = await find(conn, me, file_id)
    if found.uploader_id is None:
        raise NotFound("User", f"companionFile={file_id}")
    return await users.get(conn, me, found.uploader_id)


async def request_profile(conn: asyncpg.Connection, me: Principal, image_id: int) -> None:
    """Check a profile request; computing HDF5 profiles is not something this server does."""
    image = await images.get(conn, me, image_id)
    await storages.readable(conn, me, await images.storage_of(conn, image_id))
    if await conn.fetchval(q.COMPANION_FILE_PROFILE, image_id):
        raise Invalid(f"Abstract image {image_id} already has a profile")
    if image.depth <= 1 and image.duration <= 1:
        raise Invalid(f"Abstract image {image_id} has a single plane: a profile needs z or time")
    raise Invalid(
        "This image server cannot compute spectral profiles (HDF5 companion files); "
        "attach one with POST /api/companionfile.json instead",
        {"image": image_id},
    )


__all__ = ["Found", "create", "delete", "find", "list_readable", "request_profile", "uploader"]
