"""Commands: every add/edit/delete is recorded, and its id answers in the envelope."""

from __future__ import annotations

from typing import Any, Literal

import asyncpg
import msgspec

from server.db import queries as q

Action = Literal["ADD", "EDIT", "DELETE"]


async def record(
    conn: asyncpg.Connection,
    *,
    user_id: int,
    action: Action,
    obj: Any,
    project_id: int | None = None,
) -> int:
    """Store the command for ``obj`` (a generated Struct with ``CLASS`` and ``id``)."""
    return int(
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


__all__ = ["Action", "record"]
