"""Which kinds of objects undo and redo know how to put back, by Cytomine domain class.

A kind answers three questions about one object: what it looks like on the wire
(``fetch``), what undo needs to rebuild it exactly (``snapshot``, JSON text), and how to make
it match a snapshot (``restore``: rebuilt under its own id when gone, changed in place when
present, removed when the snapshot is None). Undo and redo both swap the object's current
snapshot with the one the command stores, so a kind never needs to know which it is doing.
A kind that is not listed here cannot be undone (the engine answers 400).
"""

from __future__ import annotations

from typing import Any, Protocol

import asyncpg

from contracts import _generated as c
from server.db.store import undo_annotations, undo_descriptions
from server.db.store.undo_annotations import Change
from server.principal import Principal


class UndoKind(Protocol):
    """What the undo engine needs from one kind of object."""

    keys: tuple[str, ...]
    """Keys under which the answer carries the object (Cytomine's callback identifiers)."""

    def undoable(self, data: dict[str, Any]) -> bool:
        """Whether a command with this recorded data can be reversed (e.g. not a bulk add)."""
        ...

    async def fetch(self, conn: asyncpg.Connection, object_id: int) -> Any | None:
        """The object as the API shows it, None when it does not exist."""
        ...

    async def snapshot(self, conn: asyncpg.Connection, object_id: int) -> str | None:
        """What rebuilding the object exactly needs (JSON text), None when it does not exist."""
        ...

    async def restore(self, conn: asyncpg.Connection, me: Principal, change: Change) -> None:
        """Make the object match ``change.target`` (None: remove it), checking rights."""
        ...


KINDS: dict[str, UndoKind] = {
    c.UserAnnotation.CLASS: undo_annotations.UserAnnotationKind(),
    c.AnnotationTerm.CLASS: undo_annotations.AnnotationTermKind(),
    c.Description.CLASS: undo_descriptions.DescriptionKind(),
}

__all__ = ["KINDS", "Change", "UndoKind"]
