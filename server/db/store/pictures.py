"""What the picture routes read from the database: a slice's plane, an annotation's crop source
and the annotations drawn into a window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import asyncpg

from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.principal import Principal
from tiling.planes import Plane

# Statements are read when they run (``queries.use_overrides`` may replace them).
_PLANE_SQL: dict[str, tuple[Callable[[], str], str]] = {
    "sliceinstance": (lambda: q.IMAGE_PLANE_BY_SLICE_INSTANCE, "SliceInstance"),
    "abstractslice": (lambda: q.IMAGE_PLANE_BY_ABSTRACT_SLICE, "AbstractSlice"),
}
PLANE_KINDS = frozenset(_PLANE_SQL)
"""Kinds of picture objects that name a plane of their own (slices)."""

_ANNOTATION_CLASSES = {
    "user": "UserAnnotation",
    "algo": "AlgoAnnotation",
    "reviewed": "ReviewedAnnotation",
}


class CropSource(NamedTuple):
    """The slice an annotation lies on and its shape (WKT, bottom-left pixels)."""

    slice_id: int
    location: str


async def slice_plane(conn: asyncpg.Connection, kind: str, object_id: int) -> Plane:
    """The plane of a slice (``kind`` in ``PLANE_KINDS``); NotFound when it does not exist."""
    query, class_name = _PLANE_SQL[kind]
    row = await conn.fetchrow(query(), object_id)
    if row is None:
        raise NotFound(class_name, object_id)
    return Plane(row["channel"], row["z_stack"], row["time"])


async def crop_source(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, kind: str | None = None
) -> CropSource:
    """Where an annotation the caller may read lies (``kind``: 404 for another kind);
    403 when its project is not readable."""
    row = await conn.fetchrow(q.ANNOTATION_CROP_SOURCE, annotation_id, me.id, me.is_admin)
    class_name = _ANNOTATION_CLASSES.get(kind or "", "Annotation")
    if row is None or (kind is not None and row["kind"] != kind):
        raise NotFound(class_name, annotation_id)
    if not row["allowed"]:
        raise Forbidden(f"You don't have the right to read {class_name} {annotation_id}")
    return CropSource(int(row["slice_id"]), str(row["location"]))


class WindowFilter(NamedTuple):
    """Which annotations a window draws: listed ids, else ``kind`` narrowed by terms and users
    (None: any)."""

    kind: str
    ids: Sequence[int] | None
    terms: Sequence[int] | None
    users: Sequence[int] | None


async def window_shapes(
    conn: asyncpg.Connection,
    place: tuple[int | None, int | None],
    window: str,
    chosen: WindowFilter,
    limit: int,
) -> list[str]:
    """The shapes (WKT, bottom-left pixels) of the annotations crossing ``window`` (a WKT
    polygon) on an image or one slice (``place``: image id, slice id), oldest first."""
    image_id, slice_id = place
    found = await conn.fetch(
        q.ANNOTATION_WINDOW_SHAPES,
        image_id,
        slice_id,
        window,
        chosen.ids,
        chosen.terms,
        chosen.users,
        chosen.kind,
        limit,
    )
    return [str(row["location"]) for row in found]


__all__ = [
    "PLANE_KINDS",
    "CropSource",
    "WindowFilter",
    "crop_source",
    "slice_plane",
    "window_shapes",
]
