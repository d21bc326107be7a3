"""Undo kinds for user annotations and their term links (see ``undo_kinds``).

An annotation's snapshot holds its geometry as WKB (so a restored geometry is bit-for-bit the
one it had), its measures, slice and owner, and its term and track links with their ids and
users: undoing a delete brings the annotation back under its own id with the same links, and
undoing an edit puts back the geometry and the exact set of links. Writes go to the same
tables as the annotation services, through statements that keep the counters and the overview
right as theirs do.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Invalid
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl, terms_listed
from server.db.store import annotation_kinds as kinds
from server.db.store.commands import cascade
from server.principal import Principal


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One object going from its ``current`` snapshot to ``target`` (None: absent)."""

    object_id: int
    target: dict[str, Any] | None
    current: dict[str, Any] | None


async def snapshot(conn: asyncpg.Connection, annotation_id: int) -> str | None:
    """A user annotation's undo snapshot (JSON text), None when there is no such annotation."""
    text = await conn.fetchval(q.ANNOTATION_UNDO_SNAPSHOT, annotation_id)
    return None if text is None else str(text)


async def _require_edit(conn: asyncpg.Connection, me: Principal, state: dict[str, Any]) -> None:
    access = await acl.project_access(conn, me, state["project"])
    access.require_edit(state["user"])


def _links(items: list[dict[str, Any]], *keys: str) -> list[list[Any]]:
    """Column arrays of a snapshot's links: ids, the given keys, creation times."""
    return [[item[k] for item in items] for k in ("id", *keys, "created")]


class UserAnnotationKind:
    """Annotations drawn by users."""

    keys: tuple[str, ...] = ("annotation", "userannotation")

    def undoable(self, data: dict[str, Any]) -> bool:
        """A bulk add records ``{count, ids}``, not one annotation: it cannot be reversed."""
        return "ids" not in data

    async def fetch(self, conn: asyncpg.Connection, object_id: int) -> c.UserAnnotation | None:
        """The annotation's JSON, None when gone."""
        row = await conn.fetchrow(q.ANNOTATION_GET, object_id)
        return None if row is None else decode.one(row["obj"], c.UserAnnotation)

    async def snapshot(self, conn: asyncpg.Connection, object_id: int) -> str | None:
        """See ``snapshot``."""
        return await snapshot(conn, object_id)

    async def restore(self, conn: asyncpg.Connection, me: Principal, change: Change) -> None:
        """Delete, rebuild or change the annotation so that it matches ``change.target``."""
        object_id, target, current = change.object_id, change.target, change.current
        for state in (current, target):
            if state is not None:
                await _require_edit(conn, me, state)
        if target is None:
            await cascade(conn, await conn.fetchrow(q.ANNOTATION_DELETE, object_id))
            return
        if current is None:
            await _insert(conn, object_id, target)
        else:
            await conn.execute(
                q.ANNOTATION_UPDATE,
                object_id,
                bytes.fromhex(target["wkb"]),
                target["area"],
                target["areaUnit"],
                target["perimeter"],
                target["perimeterUnit"],
                target["slice"],
                target["geometryCompression"],
                target["image"],
            )
        await conn.execute(
            q.ANNOTATION_TERM_UNDO_RESTORE, object_id, *_links(target["terms"], "term", "user")
        )
        await terms_listed.relist(conn, [object_id])
        await conn.execute(
            q.ANNOTATION_TRACK_UNDO_RESTORE, object_id, *_links(target["tracks"], "track", "slice")
        )


async def _insert(conn: asyncpg.Connection, object_id: int, target: dict[str, Any]) -> None:
    """Rebuild a deleted annotation under its own id."""
    try:
        await conn.execute(
            q.ANNOTATION_UNDO_INSERT,
            object_id,
            target["created"],
            target["image"],
            target["slice"],
            target["project"],
            target["user"],
            bytes.fromhex(target["wkb"]),
            target["area"],
            target["areaUnit"],
            target["perimeter"],
            target["perimeterUnit"],
            target["geometryCompression"],
        )
    except asyncpg.ForeignKeyViolationError as exc:
        raise Invalid(
            f"Annotation {object_id} cannot be restored: its image, slice or owner is gone"
        ) from exc


class AnnotationTermKind:
    """A user's term link on a user annotation (links never change: added or removed)."""

    keys: tuple[str, ...] = ("annotationterm",)

    def undoable(self, data: dict[str, Any]) -> bool:
        """Every link command can be reversed."""
        return True

    async def fetch(self, conn: asyncpg.Connection, object_id: int) -> c.AnnotationTerm | None:
        """The link's JSON, None when gone."""
        text = await conn.fetchval(q.ANNOTATION_TERM_UNDO_GET, object_id)
        return None if text is None else decode.one(text, c.AnnotationTerm)

    async def snapshot(self, conn: asyncpg.Connection, object_id: int) -> str | None:
        """The link's JSON is all a link needs."""
        text = await conn.fetchval(q.ANNOTATION_TERM_UNDO_GET, object_id)
        return None if text is None else str(text)

    async def restore(self, conn: asyncpg.Connection, me: Principal, change: Change) -> None:
        """Remove the link, or put it back under its own id and user."""
        object_id, target, current = change.object_id, change.target, change.current
        state = target if target is not None else current
        if state is None:  # neither there nor wanted: nothing to do
            return
        found = await kinds.locate(conn, state["userannotation"])
        access = await acl.project_access(conn, me, found.project_id)
        access.require_edit(found.user_id)
        if target is None:
            await conn.execute(q.ANNOTATION_TERM_REMOVE, object_id)
        elif current is None:
            await conn.execute(
                q.ANNOTATION_TERM_UNDO_INSERT,
                object_id,
                target["userannotation"],
                target["term"],
                target["user"],
            )
        await terms_listed.relist(conn, [found.id])


__all__ = ["AnnotationTermKind", "Change", "UserAnnotationKind", "snapshot"]
