"""Terms: the classes of an ontology, readable and writable through their ontology."""

from __future__ import annotations

import re

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import ontologies
from server.db.store.commands import delete_row, record
from server.principal import Principal

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


async def access(
    conn: asyncpg.Connection, me: Principal, term_id: int, *, write: bool = False
) -> asyncpg.Record:
    """The caller's rights on a term; 404 if it does not exist, 403 if not allowed."""
    row = await conn.fetchrow(q.TERM_ACCESS, term_id, me.id, me.is_admin, me.is_guest)
    if row is None:
        raise NotFound("Term", term_id)
    if not row["writable" if write else "readable"]:
        raise ontologies.forbidden("Term", term_id)
    return row


async def list_all(conn: asyncpg.Connection, me: Principal, params: ListParams) -> Page[c.Term]:
    """Terms of every ontology the caller may read."""
    return await fetch_page(conn, q.TERM_LIST, params, c.Term, me.id, me.is_admin)


async def list_by_ontology(
    conn: asyncpg.Connection, me: Principal, ontology_id: int, params: ListParams
) -> Page[c.Term]:
    """Terms of one readable ontology."""
    await ontologies.access(conn, me, ontology_id)
    return await fetch_page(conn, q.TERM_LIST_BY_ONTOLOGY, params, c.Term, ontology_id)


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.Term]:
    """Terms of a readable project's ontology (none when it has no ontology)."""
    row = await conn.fetchrow(q.TERM_PROJECT_ACCESS, project_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("Project", project_id)
    if not row["readable"]:
        raise ontologies.forbidden("Project", project_id)
    return await fetch_page(conn, q.TERM_LIST_BY_ONTOLOGY, params, c.Term, row["ontology_id"])


async def fetch(conn: asyncpg.Connection, term_id: int) -> c.Term:
    """One term, without an access check."""
    text = await conn.fetchval(q.TERM_BY_ID, term_id)
    if text is None:
        raise NotFound("Term", term_id)
    return rows.one(text, c.Term)


async def get(conn: asyncpg.Connection, me: Principal, term_id: int) -> c.Term:
    """One term the caller may read."""
    await access(conn, me, term_id)
    return await fetch(conn, term_id)


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Term name must not be empty", {"missing": ["name"]})
    return value.strip()


def _color(value: str | None) -> str:
    if value is None or not _COLOR.match(value):
        raise Invalid(f"color must be a hex color #RRGGBB, not {value!r}", {"field": "color"})
    return value


async def _writable_ontology(conn: asyncpg.Connection, me: Principal, ontology_id: int) -> None:
    row = await conn.fetchrow(q.ONTOLOGY_ACCESS, ontology_id, me.id, me.is_admin, me.is_guest)
    if row is None:
        raise Invalid(f"ontology was not found with id: {ontology_id}", {"ontology": ontology_id})
    if not row["writable"]:
        raise ontologies.forbidden("Ontology", ontology_id)


async def create(conn: asyncpg.Connection, me: Principal, body: c.TermInput) -> tuple[c.Term, int]:
    """Create a term in an ontology the caller may change."""
    name, color = _name(body.name), _color(body.color)
    if body.ontology is None:
        raise Invalid("Missing required field(s): ontology", {"missing": ["ontology"]})
    await _writable_ontology(conn, me, body.ontology)
    async with conn.transaction():
        try:
            term_id = await conn.fetchval(q.TERM_INSERT, name, body.comment, body.ontology, color)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Term {name} already exist in this ontology!") from exc
        obj = await fetch(conn, term_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, term_id: int, body: c.TermInput
) -> tuple[c.Term, int]:
    """Change name, comment or color; absent fields keep their value."""
    row = await access(conn, me, term_id, write=True)
    if body.ontology is not None and body.ontology != row["ontology_id"]:
        raise Invalid("A term cannot move to another ontology", {"ontology": body.ontology})
    current = await fetch(conn, term_id)
    name = current.name if body.name is None else _name(body.name)
    color = current.color if body.color is None else _color(body.color)
    comment = current.comment if body.comment is None else body.comment
    async with conn.transaction():
        try:
            await conn.execute(q.TERM_UPDATE, term_id, name, comment, color)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Term {name} already exist in this ontology!") from exc
        obj = await fetch(conn, term_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(conn: asyncpg.Connection, me: Principal, term_id: int) -> tuple[c.Term, int]:
    """Delete a term and its relation links; answer the term as it was."""
    await access(conn, me, term_id, write=True)
    async with conn.transaction():
        obj = await fetch(conn, term_id)
        await delete_row(conn, q.TERM_DELETE, term_id, kind="Term")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


__all__ = [
    "access",
    "create",
    "delete",
    "fetch",
    "get",
    "list_all",
    "list_by_ontology",
    "list_by_project",
    "update",
]
