"""Term links of annotations (Cytomine's AnnotationTerm; AlgoAnnotationTerm for job output).

A link belongs to the user who made it. Linking or unlinking needs write access to the
project and, in restricted projects, ownership of the annotation (Cytomine's
"full or restricted for owner" check); reading needs read access.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from contracts import _generated as c
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl, terms_listed
from server.db.store import annotation_kinds as kinds
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def _readable(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> kinds.Located:
    """An annotation of any kind whose project the caller reads."""
    found = await kinds.locate(conn, annotation_id)
    await acl.readable(conn, me, found.project_id)
    return found


async def _user_annotation(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> kinds.Located:
    """A user annotation the caller may link terms to."""
    found = await kinds.locate(conn, annotation_id)
    if found.kind != "user":
        raise NotFound("UserAnnotation", annotation_id)
    access = await acl.project_access(conn, me, found.project_id)
    access.require_edit(found.user_id)
    return found


async def _term(conn: asyncpg.Connection, term_id: int, project_id: int) -> None:
    """A term that exists and belongs to the project's ontology."""
    if not await conn.fetchval(q.ANNOTATION_TERM_TERM_EXISTS, term_id):
        raise NotFound("Term", term_id)
    if not await conn.fetchval(q.ANNOTATION_TERMS_KNOWN, [term_id], project_id):
        raise Invalid(f"Term {term_id} is not in the ontology of project {project_id}")


async def list_links(
    conn: asyncpg.Connection,
    me: Principal,
    annotation_id: int,
    *,
    user_id: int | None = None,
    not_user_id: int | None = None,
) -> list[Any]:
    """Links of an annotation (AlgoAnnotationTerm for job annotations), oldest first."""
    found = await _readable(conn, me, annotation_id)
    if found.kind == "algo" and not_user_id is None:
        text = await conn.fetchval(q.ALGO_ANNOTATION_TERM_LIST, annotation_id, user_id)
        return decode.many(text, c.AlgoAnnotationTerm)
    text = await conn.fetchval(q.ANNOTATION_TERM_LIST, annotation_id, user_id, not_user_id)
    return decode.many(text, c.AnnotationTerm)


async def get(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, term_id: int, user_id: int | None
) -> c.AnnotationTerm:
    """One link by term (and user when given)."""
    await _readable(conn, me, annotation_id)
    text = await conn.fetchval(q.ANNOTATION_TERM_FIND, annotation_id, term_id, user_id)
    if text is None:
        raise NotFound("AnnotationTerm", f"{annotation_id}-{term_id}-{user_id}")
    return decode.one(text, c.AnnotationTerm)


async def _add(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, term_id: int
) -> tuple[c.AnnotationTerm, int]:
    """Insert the caller's link and its command (inside the caller's transaction)."""
    text = await conn.fetchval(q.ANNOTATION_TERM_ADD, annotation_id, term_id, me.id)
    if text is None:
        raise Conflict(
            f"AnnotationTerm with annotation={annotation_id} and term {term_id} "
            f"and user {me.id} already exist!"
        )
    obj = decode.one(text, c.AnnotationTerm)
    await terms_listed.relist(conn, [annotation_id])
    found = await kinds.locate(conn, annotation_id)
    command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=found.project_id)
    return obj, command


async def add(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, term_id: int
) -> tuple[c.AnnotationTerm, int]:
    """Link a term to a user annotation as the caller (409 when already linked)."""
    found = await _user_annotation(conn, me, annotation_id)
    await _term(conn, term_id, found.project_id)
    async with conn.transaction():
        return await _add(conn, me, annotation_id, term_id)


async def replace(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, term_id: int, *, for_all: bool
) -> tuple[c.AnnotationTerm, int]:
    """Remove the caller's links (everybody's with ``for_all``), then link this term."""
    found = await kinds.locate(conn, annotation_id)
    if found.kind == "algo":
        raise Invalid(f"Annotation {annotation_id} is a job annotation: its terms are fixed")
    access = await acl.project_access(conn, me, found.project_id)
    access.require_edit(found.reviewer_id if found.kind == "reviewed" else found.user_id)
    await _term(conn, term_id, found.project_id)
    everybody = for_all or found.kind == "reviewed"
    async with conn.transaction():
        await conn.execute(q.ANNOTATION_TERM_CLEAR, annotation_id, None if everybody else me.id)
        return await _add(conn, me, annotation_id, term_id)


async def remove(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, term_id: int, user_id: int | None
) -> tuple[c.AnnotationTerm, int]:
    """Remove one user's link (the caller's by default); answer it as it was."""
    found = await _user_annotation(conn, me, annotation_id)
    owner = user_id if user_id is not None else me.id
    text = await conn.fetchval(q.ANNOTATION_TERM_FIND, annotation_id, term_id, owner)
    if text is None:
        raise NotFound("AnnotationTerm", f"{annotation_id}-{term_id}-{owner}")
    obj = decode.one(text, c.AnnotationTerm)
    async with conn.transaction():
        await delete_row(conn, q.ANNOTATION_TERM_REMOVE, obj.id, kind="AnnotationTerm")
        await terms_listed.relist(conn, [annotation_id])
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=found.project_id, previous=obj
        )
    return obj, command


__all__ = ["add", "get", "list_links", "remove", "replace"]
