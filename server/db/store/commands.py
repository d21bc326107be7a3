"""Commands: every add/edit/delete is recorded, and its id answers in the envelope.

An edit or a delete of a kind that can be undone also stores the object as it was before
(``previous``: a Struct, or JSON text from a snapshot query), which undo puts back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import asyncpg
import msgspec

from contracts.errors import NotFound
from server.db import queries as q

Action = Literal["ADD", "EDIT", "DELETE"]


async def record(
    conn: asyncpg.Connection,
    *,
    user_id: int,
    action: Action,
    obj: Any,
    project_id: int | None = None,
    previous: Any = None,
) -> int:
    """Store the command for ``obj`` (a generated Struct with ``CLASS`` and ``id``)."""
    command = int(
        await conn.fetchval(
            q.COMMAND_INSERT,
            user_id,
            project_id,
            action,
            obj.CLASS,
            obj.id,
            msgspec.json.encode(obj).decode(),
        )
    )
    if previous is not None:
        state = previous if isinstance(previous, str) else msgspec.json.encode(previous).decode()
        await conn.execute(q.COMMAND_STATE_SET, command, state)
    return command


CASCADE = ("objects", "annotations", "projects", "images", "slices", "terms", "users")
"""What a delete statement may answer for ``cascade``, in ``removed_cascade``'s order."""


async def cascade(
    conn: asyncpg.Connection, removed: asyncpg.Record | Mapping[str, Any] | None
) -> None:
    """Remove what deleted rows take with them: the ``CASCADE`` arrays a delete statement
    answered (a missing or NULL one names nothing), passed to ``removed_cascade``.

    Runs in the caller's transaction, as the statement right after the delete: the
    annotations of deleted parents, term links, group links and comments of deleted
    annotations, the properties, tags, attached files and descriptions of deleted objects go,
    and an account still named by annotations is refused (ForeignKeyViolationError).
    """
    if removed is None:
        return
    arrays = [removed.get(key) for key in CASCADE]
    if any(arrays):
        await conn.execute(q.REMOVED_CASCADE, *arrays)


async def delete_row(
    conn: asyncpg.Connection, statement: str, *args: Any, kind: str
) -> asyncpg.Record:
    """Run a ``DELETE … RETURNING id[, …]`` of one object (its id the last argument) inside
    the caller's transaction, then its ``cascade``; answer the returned row.

    Concurrent deletes of one object queue on its row lock; the row comes back to the first
    one only. The others raise NotFound before recording a command or any other side effect,
    so a delete happens, and is recorded, once.
    """
    row = await conn.fetchrow(statement, *args)
    if row is None:
        raise NotFound(kind, args[-1])
    await cascade(conn, row)
    return row


__all__ = ["CASCADE", "Action", "cascade", "delete_row", "record"]
