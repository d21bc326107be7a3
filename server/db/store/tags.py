"""Tags (named labels any user creates) and their associations with domain objects."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import domains
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def list_tags(conn: asyncpg.Connection, params: ListParams) -> Page[c.Tag]:
    """Every tag (tags are shared by all users)."""
    return await fetch_page(conn, q.TAG_LIST, params, c.Tag)


async def _fetch(conn: asyncpg.Connection, tag_id: int) -> tuple[c.Tag, int]:
    row = await conn.fetchrow(q.TAG_BY_ID, tag_id)
    if row is None:
        raise NotFound("Tag", tag_id)
    return rows.one(row["obj"], c.Tag), int(row["associations"])


async def get(conn: asyncpg.Connection, tag_id: int) -> c.Tag:
    """One tag."""
    return (await _fetch(conn, tag_id))[0]


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Tag name must not be empty", {"missing": ["name"]})
    return value.strip()


async def create(conn: asyncpg.Connection, me: Principal, body: c.TagInput) -> tuple[c.Tag, int]:
    """Create a tag owned by the caller (users, not guests)."""
    name = _name(body.name)
    if me.is_guest:
        raise Forbidden("Guests cannot create tags")
    async with conn.transaction():
        try:
            tag_id = await conn.fetchval(q.TAG_INSERT, name, me.id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Tag {name} already exist!") from exc
        obj = await get(conn, tag_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def _changeable(conn: asyncpg.Connection, me: Principal, tag_id: int) -> tuple[c.Tag, int]:
    tag, associations = await _fetch(conn, tag_id)
    if not me.is_admin and tag.user != me.id:
        raise Forbidden(f"Only the creator of tag {tag_id} may change it")
    return tag, associations


async def update(
    conn: asyncpg.Connection, me: Principal, tag_id: int, body: c.TagInput
) -> tuple[c.Tag, int]:
    """Rename a tag: its creator, and only an admin once objects carry it."""
    name = _name(body.name)
    _, associations = await _changeable(conn, me, tag_id)
    if associations and not me.is_admin:
        raise Forbidden(f"Tag {tag_id} is in use: only an administrator may rename it")
    async with conn.transaction():
        try:
            await conn.execute(q.TAG_UPDATE, tag_id, name)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Tag {name} already exist!") from exc
        obj = await get(conn, tag_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(conn: asyncpg.Connection, me: Principal, tag_id: int) -> tuple[c.Tag, int]:
    """Delete a tag and its associations (its creator or an admin)."""
    obj, _ = await _changeable(conn, me, tag_id)
    async with conn.transaction():
        await delete_row(conn, q.TAG_DELETE, tag_id, kind="Tag")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


async def list_associations(
    conn: asyncpg.Connection,
    me: Principal,
    params: ListParams,
    target: tuple[str, int] | None = None,
) -> Page[c.TagDomainAssociation]:
    """Associations on the objects the caller reads, optionally of one object."""
    ident = None
    if target is not None:
        ident = (await domains.readable(conn, me, *target)).ident
    return await fetch_page(
        conn,
        q.TAG_DOMAIN_ASSOCIATION_LIST,
        params,
        c.TagDomainAssociation,
        me.id,
        me.is_admin,
        ident,
    )


async def _association(
    conn: asyncpg.Connection, association_id: int, target: tuple[str, int] | None = None
) -> c.TagDomainAssociation:
    """The association; 404 when missing or (with ``target``) on another object."""
    text = await conn.fetchval(q.TAG_DOMAIN_ASSOCIATION_BY_ID, association_id)
    if text is None:
        raise NotFound("TagDomainAssociation", association_id)
    obj = rows.one(text, c.TagDomainAssociation)
    if target is not None and _target(obj) != target:
        raise NotFound("TagDomainAssociation", association_id)
    return obj


def _target(obj: c.TagDomainAssociation) -> tuple[str, int]:
    return obj.domain_class_name or "", obj.domain_ident or 0


async def get_association(
    conn: asyncpg.Connection,
    me: Principal,
    association_id: int,
    target: tuple[str, int] | None = None,
) -> c.TagDomainAssociation:
    """One association on an object the caller may read (on ``target`` when given)."""
    obj = await _association(conn, association_id, target)
    await domains.readable(conn, me, *_target(obj))
    return obj


async def associate(
    conn: asyncpg.Connection, me: Principal, target: tuple[str, int], tag_id: int | None
) -> tuple[c.TagDomainAssociation, int]:
    """Put a tag on an object whose metadata the caller may change."""
    if tag_id is None:
        raise Invalid("Missing required field(s): tag", {"missing": ["tag"]})
    found = await domains.writable(conn, me, *target)
    if await conn.fetchrow(q.TAG_BY_ID, tag_id) is None:
        raise Invalid(f"tag was not found with id: {tag_id}", {"tag": tag_id})
    async with conn.transaction():
        try:
            new_id = await conn.fetchval(
                q.TAG_DOMAIN_ASSOCIATION_INSERT, tag_id, found.class_name, found.ident
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Tag {tag_id} already exist for {target[0]} {target[1]}!") from exc
        obj = await _association(conn, new_id)
        command = await record(
            conn, user_id=me.id, action="ADD", obj=obj, project_id=found.project_id
        )
    return obj, command


async def dissociate(
    conn: asyncpg.Connection,
    me: Principal,
    association_id: int,
    target: tuple[str, int] | None = None,
) -> tuple[c.TagDomainAssociation, int]:
    """Take a tag off an object (``target`` when given); answer the association as it was."""
    obj = await _association(conn, association_id, target)
    found = await domains.writable(conn, me, *_target(obj))
    async with conn.transaction():
        await delete_row(
            conn, q.TAG_DOMAIN_ASSOCIATION_DELETE, association_id, kind="TagDomainAssociation"
        )
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=found.project_id
        )
    return obj, command


__all__ = [
    "associate",
    "create",
    "delete",
    "dissociate",
    "get",
    "get_association",
    "list_associations",
    "list_tags",
    "update",
]
