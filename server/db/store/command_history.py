"""Reading what was done: activity logs, a project's last actions, delete commands, my commands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Forbidden
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl
from server.principal import Principal


class HistoryQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters of an activity log (times are epoch milliseconds)."""

    project_id: int | None = None
    user_id: int | None = None
    start: int | None = None
    end: int | None = None
    full_data: bool = False
    max: int = 0
    offset: int = 0


async def _page_row(conn: asyncpg.Connection, sql: str, *args: Any) -> asyncpg.Record:
    """The (size, items) row every paged statement here returns."""
    row = await conn.fetchrow(sql, *args)
    assert row is not None  # an aggregate always answers one row
    return row


def _time(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


async def actions(conn: asyncpg.Connection, me: Principal, query: HistoryQuery) -> msgspec.Raw:
    """Actions newest first as a bare JSON array (Cytomine answers this list unwrapped)."""
    projects = None
    if query.project_id is not None:
        await acl.readable(conn, me, query.project_id)
        projects = [query.project_id]
    text = await conn.fetchval(
        q.COMMAND_HISTORY_LIST,
        projects,
        query.user_id,
        _time(query.start),
        _time(query.end),
        query.max or None,
        query.offset,
        query.full_data,
        me.id,
        me.is_admin,
    )
    return msgspec.Raw(str(text).encode())


async def last_actions(
    conn: asyncpg.Connection, me: Principal, project_id: int, max_: int, offset: int
) -> Page[c.CommandHistory]:
    """A project's last ``max_`` actions as CommandHistory objects, newest first."""
    await acl.readable(conn, me, project_id)
    row = await _page_row(conn, q.COMMAND_HISTORY_LAST, project_id, max_ or None, offset)
    items = decode.many(row["items"], c.CommandHistory)
    return page(items, size=int(row["size"]), offset=offset, max_=max_)


async def delete_commands(
    conn: asyncpg.Connection,
    me: Principal,
    domain: str | None,
    after: int | None,
    max_: int,
    offset: int,
) -> Page[c.Command]:
    """Delete commands (admins), of one domain (``userAnnotation``...) and after a time."""
    if not me.is_admin:
        raise Forbidden("Only administrators may list delete commands")
    row = await _page_row(conn, q.COMMAND_DELETE_LIST, domain, _time(after), max_ or None, offset)
    items = decode.many(row["items"], c.Command)
    return page(items, size=int(row["size"]), offset=offset, max_=max_)


class SpringPage(msgspec.Struct, kw_only=True):
    """The page shape of the core's newer controllers (``CollectionResponse``)."""

    collection: msgspec.Raw
    offset: int
    per_page: int = msgspec.field(name="perPage")
    size: int
    total_pages: int = msgspec.field(name="totalPages")


async def my_commands(
    conn: asyncpg.Connection, me: Principal, page_no: int, size: int, descending: bool
) -> SpringPage:
    """The caller's commands by creation time, one page (``page`` counts from 0)."""
    row = await _page_row(conn, q.COMMAND_USER_PAGE, me.id, descending, size, page_no * size)
    total = int(row["size"])
    return SpringPage(
        collection=msgspec.Raw(str(row["items"]).encode()),
        offset=page_no * size,
        per_page=size,
        size=total,
        total_pages=-(-total // size) if size > 0 else 1,
    )


def undo_answer(command_id: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The newer undo route's answer (``HttpCommandResponse``) from an undo's results."""
    first = results[0]
    data = next((v for k, v in first.items() if k not in _META), None)
    return {
        "printMessage": True,
        "data": data,
        "commandId": command_id,
        "command": "UNDO_COMMAND",
        "message": first.get("message"),
        "subCommands": [],
    }


_META = frozenset({"success", "message", "callback", "printMessage", "command"})

__all__ = [
    "HistoryQuery",
    "SpringPage",
    "actions",
    "delete_commands",
    "last_actions",
    "my_commands",
    "undo_answer",
]
