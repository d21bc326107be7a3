"""Rich-text descriptions of domain objects (at most one per object).

Rights follow the object the description is attached to (``domains``): reading needs read
access to it, writing needs the right to change its metadata. A missing description is a 404,
which the Web UI shows as "No description".
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import domains
from server.db.store.commands import Action, delete_row, record
from server.principal import Principal


def _missing(class_name: str, ident: int) -> NotFound:
    found = NotFound("Description", ident)
    found.message = f"Description not found for domain {class_name} {ident}"
    found.values = {"domainClassName": class_name, "domainIdent": ident}
    return found


def _data(value: str | None) -> str:
    if value is None:
        raise Invalid("Missing required field(s): data", {"missing": ["data"]})
    return value


async def _fetch(conn: asyncpg.Connection, class_name: str, ident: int) -> c.Description:
    text = await conn.fetchval(q.DESCRIPTION_GET, class_name, ident)
    if text is None:
        raise _missing(class_name, ident)
    return rows.one(text, c.Description)


async def _record(
    conn: asyncpg.Connection,
    me: Principal,
    action: Action,
    obj: c.Description,
    target: domains.Target,
    previous: c.Description | None,
) -> int:
    """The command of a description change, with the description as it was before."""
    return await record(
        conn, user_id=me.id, action=action, obj=obj, project_id=target.project_id, previous=previous
    )


async def list_all(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.Description]:
    """Every description (administrators only, as in Cytomine)."""
    if not me.is_admin:
        raise Forbidden("Only administrators may list every description")
    return await fetch_page(conn, q.DESCRIPTION_LIST, params, c.Description)


async def get(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int
) -> c.Description:
    """The description of an object the caller may read."""
    target = await domains.readable(conn, me, class_name, ident)
    return await _fetch(conn, target.class_name, ident)


async def create(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, data: str | None
) -> tuple[c.Description, int]:
    """Describe an object whose metadata the caller may change (409 when it has one)."""
    text = _data(data)
    target = await domains.writable(conn, me, class_name, ident)
    async with conn.transaction():
        made = await conn.fetchval(q.DESCRIPTION_INSERT, target.class_name, ident, text)
        if made is None:
            raise Conflict(f"Description already exists for {target.class_name} {ident}")
        obj = await _fetch(conn, target.class_name, ident)
        command = await _record(conn, me, "ADD", obj, target, None)
    return obj, command


async def create_from_body(
    conn: asyncpg.Connection, me: Principal, body: c.DescriptionInput
) -> tuple[c.Description, int]:
    """``POST /api/description.json``: the object is named in the body."""
    class_name, ident = domains.from_body(body.domain_class_name, body.domain_ident)
    return await create(conn, me, class_name, ident, body.data)


async def update(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, data: str | None
) -> tuple[c.Description, int]:
    """Change the text of an object's description."""
    text = _data(data)
    target = await domains.writable(conn, me, class_name, ident)
    async with conn.transaction():
        previous = await _fetch(conn, target.class_name, ident)
        await conn.execute(q.DESCRIPTION_UPDATE, target.class_name, ident, text)
        obj = await _fetch(conn, target.class_name, ident)
        command = await _record(conn, me, "EDIT", obj, target, previous)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int
) -> tuple[c.Description, int]:
    """Delete an object's description; answer it as it was."""
    target = await domains.writable(conn, me, class_name, ident)
    async with conn.transaction():
        obj = await _fetch(conn, target.class_name, ident)
        await delete_row(conn, q.DESCRIPTION_DELETE, target.class_name, ident, kind="Description")
        command = await _record(conn, me, "DELETE", obj, target, obj)
    return obj, command


__all__ = ["create", "create_from_body", "delete", "get", "list_all", "update"]
