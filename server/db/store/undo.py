"""Undo and redo of recorded commands, with Cytomine's per-user stacks.

Every command goes on its author's undo stack when recorded (migration 0026); undoing moves it
to the redo stack and redoing moves it back, each move written in the history. Only the
author may reverse a command. Reversing swaps the object's current snapshot with the one the
command stores, through the kind registered for its domain class (``undo_kinds``); a kind
that is not registered answers 400.
"""

from __future__ import annotations

from typing import Any, Literal

import asyncpg
import msgspec

from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db.store.undo_kinds import KINDS, Change, UndoKind
from server.principal import Principal

Direction = Literal["UNDO", "REDO"]
_OTHER: dict[Direction, Direction] = {"UNDO": "REDO", "REDO": "UNDO"}
_NOTHING = {"UNDO": "Nothing to undo", "REDO": "Nothing to redo"}
# Whether reversing a command of this type in this direction rebuilds or keeps the object
# (so a state must have been recorded), rather than removing it.
_NEEDS_STATE = {
    ("UNDO", "ADD"): False,
    ("UNDO", "EDIT"): True,
    ("UNDO", "DELETE"): True,
    ("REDO", "ADD"): True,
    ("REDO", "EDIT"): True,
    ("REDO", "DELETE"): False,
}
_VERBS = {"added": "Add", "edited": "Edit", "deleted": "Delete"}


class Command(msgspec.Struct, frozen=True, kw_only=True):
    """A recorded command, with what reversing it needs."""

    id: int
    user_id: int | None
    project_id: int | None
    type: str
    class_name: str
    object_id: int
    data: str | None
    state: str | None

    @property
    def simple(self) -> str:
        """The domain class without its package."""
        return self.class_name.rsplit(".", 1)[-1]


async def command(conn: asyncpg.Connection, command_id: int) -> Command:
    """One command; NotFound when absent."""
    row = await conn.fetchrow(q.COMMAND_UNDO_GET, command_id)
    if row is None:
        raise NotFound("Command", command_id)
    return Command(**dict(row))


def kind_of(found: Command) -> UndoKind:
    """The registered kind of a command's object; 400 when it cannot be undone."""
    kind = KINDS.get(found.class_name)
    data = msgspec.json.decode(found.data) if found.data else {}
    if kind is None or not kind.undoable(data if isinstance(data, dict) else {}):
        raise Invalid(
            f"Command {found.id} ({found.type} of {found.simple} {found.object_id}) cannot be "
            "undone or redone",
            {"command": found.id, "domainClassName": found.class_name},
        )
    return kind


async def reverse(
    conn: asyncpg.Connection, me: Principal, direction: Direction, command_id: int | None
) -> list[dict[str, Any]]:
    """Undo (or redo) the caller's last command, or the given one; Cytomine's result list.

    Without a command, the last one of a kind that can be reversed is taken.
    """
    if command_id is not None:
        found = await command(conn, command_id)
        if found.user_id != me.id:
            raise Forbidden(
                f"Command {command_id} was made by another user: only its author may "
                f"{direction.lower()} it"
            )
        kind_of(found)
    top = await conn.fetchval(q.COMMAND_STACK_TOP, me.id, direction, command_id, list(KINDS))
    if top is None:
        nothing = _NOTHING[direction]
        return [{"success": True, "message": nothing, "callback": None, "printMessage": True}]
    found = await command(conn, int(top))
    return [await _apply(conn, me, found, kind_of(found), direction)]


def _target(found: Command, direction: Direction) -> dict[str, Any] | None:
    """The snapshot the object goes back to (None: removed)."""
    if found.state is None:
        if _NEEDS_STATE[(direction, found.type)]:
            raise Invalid(
                f"Command {found.id} was recorded without the state needed to "
                f"{direction.lower()} it"
            )
        return None
    return msgspec.json.decode(found.state)  # type: ignore[no-any-return]


async def _apply(
    conn: asyncpg.Connection, me: Principal, found: Command, kind: UndoKind, direction: Direction
) -> dict[str, Any]:
    """Swap the object's state with the command's, move the command, answer the object."""
    async with conn.transaction():
        moved = await conn.fetchval(q.COMMAND_STACK_MOVE, found.id, _OTHER[direction], direction)
        if moved is None:
            raise Conflict(f"Command {found.id} was moved by a concurrent {direction.lower()}")
        found = await command(conn, found.id)  # its state as of the lock just taken
        target = _target(found, direction)
        before = await kind.fetch(conn, found.object_id)
        current = await kind.snapshot(conn, found.object_id)
        was = None if current is None else msgspec.json.decode(current)
        await kind.restore(conn, me, Change(object_id=found.object_id, target=target, current=was))
        await conn.execute(q.COMMAND_STATE_SET, found.id, current)
        after = await kind.fetch(conn, found.object_id)
    past = "deleted" if target is None else "added" if was is None else "edited"
    return _item(found, kind, after if after is not None else before, past)


def _item(found: Command, kind: UndoKind, obj: Any, past: str) -> dict[str, Any]:
    """One result in Cytomine's shape: the object under its keys, message and callback."""
    callback: dict[str, Any] = {
        "method": f"be.cytomine.{_VERBS[past]}{found.simple}Command",
        f"{kind.keys[0]}ID": str(found.object_id),
    }
    image = getattr(obj, "image", None)
    if image is not None:
        callback["imageinstanceID"] = str(image)
    return {
        **dict.fromkeys(kind.keys, obj),
        "success": True,
        "message": f"{found.simple} {found.object_id} {past}",
        "callback": callback,
        "printMessage": True,
        "command": found.id,
    }


__all__ = ["Command", "Direction", "command", "kind_of", "reverse"]
