"""Files attached to projects, images, annotations and other domain objects.

Cytomine's rules: reading follows the object's read right; attaching and deleting follow
its metadata rights (``checkUserAccessRightsForMeta``), except on an abstract image where
reading it is enough (guests excepted). Bytes live under the storage root
(``server.attachments``); rows keep the name, key and owner object.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, NotFound
from server import attachments
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import domains
from server.db.store.commands import delete_row, record
from server.principal import Principal
from server.stored_files import Received


class NewAttachment(msgspec.Struct, frozen=True, kw_only=True):
    """What an upload names: the owner object, the name to show and an optional key."""

    domain_class_name: str
    domain_ident: int
    filename: str
    key: str | None = None


class Stored(msgspec.Struct, frozen=True, kw_only=True):
    """An attached file, its owner object and where its bytes are."""

    obj: c.AttachedFile
    domain_class_name: str
    domain_ident: int
    path: str
    content_type: str | None


async def list_all(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.AttachedFile]:
    """Attached files of every object the caller may read."""
    return await fetch_page(conn, q.ATTACHED_FILE_LIST, params, c.AttachedFile, me.id, me.is_admin)


async def list_for(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, params: ListParams
) -> Page[c.AttachedFile]:
    """Attached files of one object the caller may read."""
    await domains.readable(conn, me, class_name, ident)
    return await fetch_page(conn, q.ATTACHED_FILE_LIST_BY_DOMAIN, params, c.AttachedFile, ident)


async def _stored(conn: asyncpg.Connection, file_id: int) -> Stored:
    row = await conn.fetchrow(q.ATTACHED_FILE_BY_ID, file_id)
    if row is None:
        raise NotFound("AttachedFile", file_id)
    found = dict(row)
    return Stored(obj=rows.one(found.pop("obj"), c.AttachedFile), **found)


async def get(conn: asyncpg.Connection, me: Principal, file_id: int) -> Stored:
    """An attached file whose object the caller may read."""
    stored = await _stored(conn, file_id)
    await domains.readable(conn, me, stored.domain_class_name, stored.domain_ident)
    return stored


async def _attachable(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int
) -> domains.Target:
    """The object, when the caller may attach files to it or remove them."""
    if class_name != domains.ABSTRACT_IMAGE:
        return await domains.writable(conn, me, class_name, ident)
    target = await domains.readable(conn, me, class_name, ident)
    if me.is_guest:
        raise Forbidden("Guests cannot attach files")
    return target


async def create(
    conn: asyncpg.Connection, me: Principal, new: NewAttachment, item: Received, root: Path
) -> c.AttachedFile:
    """Attach a received file to an object; its bytes move under the storage root."""
    target = await _attachable(conn, me, new.domain_class_name, new.domain_ident)
    async with conn.transaction():
        file_id = await conn.fetchval(
            q.ATTACHED_FILE_INSERT,
            target.class_name,
            new.domain_ident,
            new.filename,
            new.key,
            item.size,
            item.content_type,
            me.id,
        )
        relative = attachments.relative_path(file_id, new.filename)
        await conn.execute(q.ATTACHED_FILE_SET_PATH, file_id, relative)
        await attachments.keep(item, root, relative)
    return (await _stored(conn, file_id)).obj


async def delete(
    conn: asyncpg.Connection, me: Principal, file_id: int, root: Path
) -> tuple[c.AttachedFile, int]:
    """Delete an attached file and its bytes; answer it as it was."""
    stored = await _stored(conn, file_id)
    target = await _attachable(conn, me, stored.domain_class_name, stored.domain_ident)
    async with conn.transaction():
        await delete_row(conn, q.ATTACHED_FILE_DELETE, file_id, kind="AttachedFile")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=stored.obj, project_id=target.project_id
        )
    await attachments.remove(root, stored.path)
    return stored.obj, command


__all__ = ["NewAttachment", "Stored", "create", "delete", "get", "list_all", "list_for"]
