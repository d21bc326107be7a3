"""Relations (in practice only 'parent') and the links they make between terms."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import terms
from server.db.store.commands import delete_row, record
from server.principal import Principal

PARENT = "parent"


async def list_all(conn: asyncpg.Connection, params: ListParams) -> Page[c.Relation]:
    """Every relation kind."""
    return await fetch_page(conn, q.RELATION_LIST, params, c.Relation)


async def get(conn: asyncpg.Connection, relation_id: int) -> c.Relation:
    """One relation kind."""
    text = await conn.fetchval(q.RELATION_BY_ID, relation_id)
    if text is None:
        raise NotFound("Relation", relation_id)
    return rows.one(text, c.Relation)


async def parent_id(conn: asyncpg.Connection) -> int:
    """Id of the 'parent' relation."""
    return int(await conn.fetchval(q.RELATION_PARENT_ID))


def _admin_only(me: Principal) -> None:
    if not me.is_admin:
        raise Forbidden("Only administrators can change relations")


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Relation name must not be empty", {"missing": ["name"]})
    return value.strip()


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.RelationInput
) -> tuple[c.Relation, int]:
    """Create a relation kind (administrators only)."""
    _admin_only(me)
    name = _name(body.name)
    async with conn.transaction():
        try:
            relation_id = await conn.fetchval(q.RELATION_INSERT, name)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Relation {name} already exist!") from exc
        obj = await get(conn, relation_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def _changeable(conn: asyncpg.Connection, me: Principal, relation_id: int) -> c.Relation:
    _admin_only(me)
    current = await get(conn, relation_id)
    if current.name == PARENT:
        raise Invalid("The parent relation cannot be changed: term trees depend on it")
    return current


async def update(
    conn: asyncpg.Connection, me: Principal, relation_id: int, body: c.RelationInput
) -> tuple[c.Relation, int]:
    """Rename a relation kind other than 'parent' (administrators only)."""
    current = await _changeable(conn, me, relation_id)
    name = current.name if body.name is None else _name(body.name)
    async with conn.transaction():
        try:
            await conn.execute(q.RELATION_UPDATE, relation_id, name)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Relation {name} already exist!") from exc
        obj = await get(conn, relation_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, relation_id: int
) -> tuple[c.Relation, int]:
    """Delete a relation kind other than 'parent' and its links (administrators only)."""
    obj = await _changeable(conn, me, relation_id)
    async with conn.transaction():
        await delete_row(conn, q.RELATION_DELETE, relation_id, kind="Relation")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


async def links_of_term(
    conn: asyncpg.Connection,
    me: Principal,
    term_id: int,
    params: ListParams,
    position: int | None = None,
) -> Page[c.RelationTerm]:
    """Links of a readable term, on either side or at ``position`` (1 parent, 2 child)."""
    if position not in (None, 1, 2):
        raise NotFound("Term position", position)
    await terms.access(conn, me, term_id)
    return await fetch_page(
        conn, q.RELATION_TERM_LIST_BY_TERM, params, c.RelationTerm, term_id, position
    )


async def _find(
    conn: asyncpg.Connection, relation_id: int, term1: int, term2: int
) -> c.RelationTerm:
    text = await conn.fetchval(q.RELATION_TERM_FIND, relation_id, term1, term2)
    if text is None:
        missing = NotFound("RelationTerm", None)
        missing.values = {"relation": relation_id, "term1": term1, "term2": term2}
        missing.message = (
            "RelationTerm not found with filters : "
            f"{{relation={relation_id}, term1={term1}, term2={term2}}}"
        )
        raise missing
    return rows.one(text, c.RelationTerm)


async def find_link(
    conn: asyncpg.Connection, me: Principal, relation_id: int, term1: int, term2: int
) -> c.RelationTerm:
    """The link ``relation`` between two readable terms."""
    await get(conn, relation_id)
    await terms.access(conn, me, term1)
    await terms.access(conn, me, term2)
    return await _find(conn, relation_id, term1, term2)


async def _linkable(
    conn: asyncpg.Connection, me: Principal, body: c.RelationTermInput
) -> tuple[int, int, int]:
    term1, term2 = body.term1, body.term2
    if term1 is None or term2 is None:
        raise Invalid("Missing required field(s): term1, term2", {"missing": ["term1", "term2"]})
    relation_id = body.relation if body.relation is not None else await parent_id(conn)
    if await conn.fetchval(q.RELATION_BY_ID, relation_id) is None:
        raise Invalid(f"relation was not found with id: {relation_id}")
    sides = []
    for name, term_id in (("term1", term1), ("term2", term2)):
        if await conn.fetchval(q.TERM_BY_ID, term_id) is None:
            raise Invalid(f"{name} was not found with id: {term_id}", {name: term_id})
        sides.append((await terms.access(conn, me, term_id, write=True))["ontology_id"])
    if sides[0] != sides[1]:
        raise Invalid("Both terms must belong to the same ontology")
    if await conn.fetchval(q.RELATION_TERM_CREATES_CYCLE, relation_id, term1, term2):
        raise Invalid("A term cannot be its own ancestor: this link would close a cycle")
    return relation_id, term1, term2


async def link(
    conn: asyncpg.Connection, me: Principal, body: c.RelationTermInput
) -> tuple[c.RelationTerm, int]:
    """Link term1 (parent side) to term2 in the same ontology, refusing cycles."""
    relation_id, term1, term2 = await _linkable(conn, me, body)
    async with conn.transaction():
        try:
            await conn.execute(q.RELATION_TERM_INSERT, relation_id, term1, term2)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"RelationTerm with relation={relation_id} and term1 {term1}"
                f" and term2 {term2} already exist!"
            ) from exc
        obj = await _find(conn, relation_id, term1, term2)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def unlink(
    conn: asyncpg.Connection, me: Principal, relation_id: int, term1: int, term2: int
) -> tuple[c.RelationTerm, int]:
    """Remove one link; the caller must be allowed to change term1's ontology."""
    await get(conn, relation_id)
    await terms.access(conn, me, term1, write=True)
    await terms.access(conn, me, term2)
    obj = await _find(conn, relation_id, term1, term2)
    async with conn.transaction():
        await delete_row(conn, q.RELATION_TERM_DELETE, obj.id, kind="RelationTerm")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


__all__ = [
    "PARENT",
    "create",
    "delete",
    "find_link",
    "get",
    "link",
    "links_of_term",
    "list_all",
    "parent_id",
    "unlink",
    "update",
]
