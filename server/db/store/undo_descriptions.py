"""Undo kind for rich-text descriptions (see ``undo_kinds``): its JSON is its whole snapshot."""

from __future__ import annotations

from typing import Any

import asyncpg
from asyncpg.exceptions import UniqueViolationError

from contracts import _generated as c
from contracts.errors import Conflict
from server.db import queries as q
from server.db import rows as decode
from server.db.store import domains
from server.db.store.undo_annotations import Change
from server.principal import Principal


class DescriptionKind:
    """The description of a domain object; changing it needs the right to change its metadata."""

    keys: tuple[str, ...] = ("description",)

    def undoable(self, data: dict[str, Any]) -> bool:
        """Every description command can be reversed."""
        return True

    async def fetch(self, conn: asyncpg.Connection, object_id: int) -> c.Description | None:
        """The description's JSON, None when gone."""
        text = await conn.fetchval(q.DESCRIPTION_UNDO_GET, object_id)
        return None if text is None else decode.one(text, c.Description)

    async def snapshot(self, conn: asyncpg.Connection, object_id: int) -> str | None:
        """The description's JSON."""
        text = await conn.fetchval(q.DESCRIPTION_UNDO_GET, object_id)
        return None if text is None else str(text)

    async def restore(self, conn: asyncpg.Connection, me: Principal, change: Change) -> None:
        """Remove the description, put it back under its own id, or set its text back."""
        state = change.target if change.target is not None else change.current
        if state is None:
            return
        cls, ident = state["domainClassName"], state["domainIdent"]
        await domains.writable(conn, me, cls, ident)
        if change.target is None:
            await conn.execute(q.DESCRIPTION_UNDO_DELETE, change.object_id)
            return
        try:
            await conn.execute(
                q.DESCRIPTION_UNDO_PUT, change.object_id, cls, ident, change.target["data"]
            )
        except UniqueViolationError as exc:
            raise Conflict(f"{cls} {ident} has another description now") from exc


__all__ = ["DescriptionKind"]
