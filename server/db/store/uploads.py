"""Uploaded files: the records behind every file put into a storage."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import commands, storages
from server.principal import Principal

UPLOADED = 0
DETECTING_FORMAT = 10
CONVERTING = 30
DEPLOYED = 100
CONVERTED = 104


class NewUpload(msgspec.Struct, frozen=True, kw_only=True):
    """What is known of a file once its bytes are on disk."""

    storage_id: int
    original_filename: str
    filename: str
    ext: str | None
    content_type: str | None
    size: int
    projects: tuple[int, ...] = ()


class UploadListFilter(msgspec.Struct, frozen=True, kw_only=True):
    """The tree filters of the uploaded file list."""

    all_: bool = False
    parent: int | None = None
    root: int | None = None
    only_roots: bool = False


async def insert(conn: asyncpg.Connection, me: Principal, new: NewUpload) -> int:
    """Create the record of an upload (status UPLOADED) and return its id."""
    return int(
        await conn.fetchval(
            q.UPLOADED_FILE_INSERT,
            me.id,
            new.storage_id,
            new.original_filename,
            new.filename,
            new.ext,
            new.content_type,
            new.size,
            list(new.projects),
        )
    )


async def set_status(
    conn: asyncpg.Connection,
    uploaded_file_id: int,
    status: int,
    *,
    message: str | None = None,
    path: str | None = None,
) -> None:
    """Move an upload to ``status`` (a readable ``message`` for errors)."""
    await conn.execute(q.UPLOADED_FILE_SET_STATUS, uploaded_file_id, status, message, path)


async def set_format(
    conn: asyncpg.Connection, uploaded_file_id: int, content_type: str, size: int | None = None
) -> None:
    """Record the format a file was recognised as (and its size once written)."""
    await conn.execute(q.UPLOADED_FILE_SET_FORMAT, uploaded_file_id, content_type, size)


async def insert_converted(
    conn: asyncpg.Connection, parent_id: int, filename: str, path: str
) -> int:
    """Record the converted copy of an upload as its child (status CONVERTING)."""
    return int(await conn.fetchval(q.UPLOADED_FILE_INSERT_CONVERTED, parent_id, filename, path))


async def get(conn: asyncpg.Connection, me: Principal, uploaded_file_id: int) -> c.UploadedFile:
    """One uploaded file the caller may read."""
    return (await get_with_message(conn, me, uploaded_file_id))[0]


async def get_with_message(
    conn: asyncpg.Connection, me: Principal, uploaded_file_id: int
) -> tuple[c.UploadedFile, str | None]:
    """One uploaded file the caller may read, and why it failed (or None)."""
    row = await conn.fetchrow(q.UPLOADED_FILE_GET, uploaded_file_id, me.id, me.is_admin)
    if row is None:
        if await conn.fetchval(q.UPLOADED_FILE_EXISTS, uploaded_file_id):
            raise Forbidden(f"You don't have the right to read uploaded file {uploaded_file_id}")
        raise NotFound("UploadedFile", uploaded_file_id)
    return rows.one(row["obj"], c.UploadedFile), row["message"]


async def list_uploads(
    conn: asyncpg.Connection, me: Principal, params: ListParams, tree: UploadListFilter
) -> Page[c.UploadedFile]:
    """Uploaded files of the storages the caller reads (every one for an admin with all)."""
    storages.require_user(me)
    return await fetch_page(
        conn,
        q.UPLOADED_FILE_LIST,
        params,
        c.UploadedFile,
        me.id,
        me.is_admin and tree.all_,
        tree.parent,
        tree.only_roots,
        tree.root,
    )


async def delete(
    conn: asyncpg.Connection, me: Principal, uploaded_file_id: int
) -> tuple[c.UploadedFile, int, str | None]:
    """Delete an upload and what came from it; answers the object, command and file path."""
    upload = await get(conn, me, uploaded_file_id)
    if upload.storage is not None:
        await storages.readable(conn, me, upload.storage)
    async with conn.transaction():
        try:
            gone = await commands.delete_row(
                conn, q.UPLOADED_FILE_DELETE, uploaded_file_id, kind="UploadedFile"
            )
        except asyncpg.ForeignKeyViolationError as exc:
            raise Forbidden(
                f"Uploaded file {uploaded_file_id} has images used in projects: remove them first"
            ) from exc
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=upload)
        path = gone["path"]
    return upload, command, path


__all__ = [
    "CONVERTED",
    "CONVERTING",
    "DEPLOYED",
    "DETECTING_FORMAT",
    "UPLOADED",
    "NewUpload",
    "UploadListFilter",
    "delete",
    "get",
    "get_with_message",
    "insert",
    "insert_converted",
    "list_uploads",
    "set_format",
    "set_status",
]
