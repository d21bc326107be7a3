"""Uploaded-file records written through the API (image servers, trees of files)."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Forbidden, Invalid
from server.db import queries as q
from server.db.store import acl, commands, storages, uploads, users
from server.principal import Principal


class UploadedFileBody(c.UploadedFileInput, kw_only=True):
    """The generated input plus ``contentType``, which Cytomine stores from the body too."""

    content_type: str | None = msgspec.field(default=None, name="contentType")


# Cytomine's UploadedFileStatus codes.
STATUS_CODES = frozenset({0, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61, 100, 102, 104, 106})


def _check_values(body: c.UploadedFileInput) -> None:
    """Refuse negative sizes, unknown statuses and blank names."""
    if body.size is not None and body.size < 0:
        raise Invalid("size must not be negative")
    if body.status is not None and body.status not in STATUS_CODES:
        raise Invalid(
            f"status {body.status} is not an uploaded file status",
            {"status": sorted(STATUS_CODES)},
        )
    for wire, value in (("originalFilename", body.original_filename), ("filename", body.filename)):
        if value is not None and not value.strip():
            raise Invalid(f"{wire} must not be empty")


async def _check_links(conn: asyncpg.Connection, me: Principal, body: c.UploadedFileInput) -> None:
    """The storage, parent and projects named by a body must be usable by the caller."""
    if body.storage is not None:
        await storages.readable(conn, me, body.storage)
    if body.parent is not None:
        await uploads.get(conn, me, body.parent)
    for project_id in dict.fromkeys(body.projects or ()):
        await acl.writable(conn, me, project_id)


async def _owner(conn: asyncpg.Connection, me: Principal, user_id: int | None) -> int:
    """Who the new record belongs to: the caller, or any user an admin names."""
    if user_id is None or user_id == me.id:
        return me.id
    if not me.is_admin:
        raise Forbidden("You cannot create an uploaded file for another user")
    return (await users.get(conn, me, user_id)).id


async def create(
    conn: asyncpg.Connection, me: Principal, body: UploadedFileBody
) -> tuple[c.UploadedFile, int]:
    """Create an uploaded-file record (no bytes: the file is not downloadable)."""
    storages.require_user(me)
    missing = [
        w
        for w, v in (("storage", body.storage), ("originalFilename", body.original_filename))
        if v is None
    ]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    _check_values(body)
    await _check_links(conn, me, body)
    owner = await _owner(conn, me, body.user)
    original = (body.original_filename or "").strip()
    async with conn.transaction():
        new_id = await conn.fetchval(
            q.UPLOADED_FILE_CREATE,
            owner,
            body.storage,
            body.parent,
            original,
            (body.filename or original).strip(),
            body.ext,
            body.content_type,
            body.size or 0,
            body.status or 0,
            list(dict.fromkeys(body.projects or ())),
        )
        created = await uploads.get(conn, me, new_id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=created)
    return created, command


async def update(
    conn: asyncpg.Connection, me: Principal, uploaded_file_id: int, body: UploadedFileBody
) -> tuple[c.UploadedFile, int]:
    """Change status, size, names, parent, storage or projects of a record."""
    current = await uploads.get(conn, me, uploaded_file_id)
    if current.storage is not None:
        await storages.readable(conn, me, current.storage)
    _check_values(body)
    await _check_links(conn, me, body)
    if body.parent is not None and await conn.fetchval(
        q.UPLOADED_FILE_IN_SUBTREE, uploaded_file_id, body.parent
    ):
        raise Invalid(f"Uploaded file {body.parent} cannot be the parent of {uploaded_file_id}")
    async with conn.transaction():
        await conn.execute(
            q.UPLOADED_FILE_UPDATE,
            uploaded_file_id,
            body.storage,
            body.parent,
            body.original_filename.strip() if body.original_filename else None,
            body.filename.strip() if body.filename else None,
            body.ext,
            body.size,
            body.status,
            list(dict.fromkeys(body.projects)) if body.projects is not None else None,
            body.content_type,
        )
        changed = await uploads.get(conn, me, uploaded_file_id)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=changed)
    return changed, command


__all__ = ["STATUS_CODES", "UploadedFileBody", "create", "update"]
