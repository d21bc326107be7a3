"""Ontologies: the term tree widget object, its access rules and its commands."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store.commands import delete_row, record
from server.principal import Principal


class OntologyLight(msgspec.Struct, kw_only=True):
    """An item of ``/api/ontology.json?light=true``: id and name only."""

    id: int
    name: str


def forbidden(kind: str, ident: int) -> Forbidden:
    """Cytomine's refusal for an object the caller may not read or change."""
    return Forbidden(
        f"You don't have the right to read or modify this resource! {kind} {ident}",
        {"id": ident},
    )


async def access(
    conn: asyncpg.Connection, me: Principal, ontology_id: int, *, write: bool = False
) -> asyncpg.Record:
    """The caller's rights on an ontology; 404 if it does not exist, 403 if not allowed."""
    row = await conn.fetchrow(q.ONTOLOGY_ACCESS, ontology_id, me.id, me.is_admin, me.is_guest)
    if row is None:
        raise NotFound("Ontology", ontology_id)
    if not row["writable" if write else "readable"]:
        raise forbidden("Ontology", ontology_id)
    return row


async def check_write(conn: asyncpg.Connection, me: Principal, ontology_id: int) -> asyncpg.Record:
    """Like ``access`` but also require the right to change the ontology."""
    return await access(conn, me, ontology_id, write=True)


async def list_all(conn: asyncpg.Connection, me: Principal, params: ListParams) -> Page[c.Ontology]:
    """Ontologies the caller may read, with their term trees."""
    return await fetch_page(conn, q.ONTOLOGY_LIST, params, c.Ontology, me.id, me.is_admin)


async def list_light(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[OntologyLight]:
    """Ontologies the caller may read, as id and name."""
    return await fetch_page(
        conn, q.ONTOLOGY_LIST_LIGHT, params, OntologyLight, me.id, me.is_admin, default_sort="id"
    )


async def fetch(conn: asyncpg.Connection, ontology_id: int) -> c.Ontology:
    """One ontology, without an access check."""
    text = await conn.fetchval(q.ONTOLOGY_BY_ID, ontology_id)
    if text is None:
        raise NotFound("Ontology", ontology_id)
    return rows.one(text, c.Ontology)


async def get(conn: asyncpg.Connection, me: Principal, ontology_id: int) -> c.Ontology:
    """One ontology the caller may read."""
    await access(conn, me, ontology_id)
    return await fetch(conn, ontology_id)


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Ontology name must not be empty", {"missing": ["name"]})
    return value.strip()


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.OntologyInput
) -> tuple[c.Ontology, int]:
    """Create an ontology owned by the caller (the body's ``user`` is ignored)."""
    if me.is_guest:
        raise Forbidden("Guests cannot create ontologies")
    name = _name(body.name)
    async with conn.transaction():
        try:
            ontology_id = await conn.fetchval(q.ONTOLOGY_INSERT, name, me.id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Ontology {name} already exist!") from exc
        obj = await fetch(conn, ontology_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, ontology_id: int, body: c.OntologyInput
) -> tuple[c.Ontology, int]:
    """Rename an ontology; an absent name keeps the current one, the owner never changes."""
    await check_write(conn, me, ontology_id)
    async with conn.transaction():
        if body.name is not None:
            name = _name(body.name)
            try:
                await conn.execute(q.ONTOLOGY_UPDATE, ontology_id, name)
            except asyncpg.UniqueViolationError as exc:
                raise Conflict(f"Ontology {name} already exist!") from exc
        obj = await fetch(conn, ontology_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, ontology_id: int
) -> tuple[c.Ontology, int]:
    """Delete an unused ontology and its terms; answer the object as it was."""
    row = await check_write(conn, me, ontology_id)
    if row["in_use"]:
        raise Invalid("Ontology is linked with project. Cannot delete ontology!")
    async with conn.transaction():
        obj = await fetch(conn, ontology_id)
        await delete_row(conn, q.ONTOLOGY_DELETE, ontology_id, kind="Ontology")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


async def users(
    conn: asyncpg.Connection, me: Principal, ontology_id: int, params: ListParams
) -> Page[c.User]:
    """Members of the projects that use the ontology."""
    await access(conn, me, ontology_id)
    return await fetch_page(conn, q.ONTOLOGY_USER_LIST, params, c.User, ontology_id)


__all__ = [
    "OntologyLight",
    "access",
    "check_write",
    "create",
    "delete",
    "fetch",
    "forbidden",
    "get",
    "list_all",
    "list_light",
    "update",
    "users",
]
