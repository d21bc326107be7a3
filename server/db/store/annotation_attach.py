"""What a new user annotation joins when it is created: tracks and an annotation group.

Cytomine links a drawn annotation to the tracks (``track``/``tracks``) and the group
(``group``) named in the same request, in the same transaction, and answers the annotation
with those links; a refused link leaves nothing written. Bulk arrays do the same for every
item: the links are checked per item before anything is written (rejections by index),
then written in two statements inside the array's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Conflict, DomainError, Invalid, NotFound
from server.db import queries as q
from server.db.store import annotation_links, tracks
from server.db.store.annotation_rows import AnnotationBody, Errors, Row
from server.principal import Principal


class LinkedAnnotation(c.UserAnnotation, kw_only=True):
    """A created annotation with the links made by the same request (as the listing shows)."""

    annotation_track: list[c.AnnotationTrack] | None = msgspec.field(
        default=None, name="annotationTrack"
    )
    group: int | None = None
    annotation_links: c.AnnotationLink | None = msgspec.field(default=None, name="annotationLinks")


async def attach(
    conn: asyncpg.Connection, me: Principal, obj: c.UserAnnotation, body: AnnotationBody
) -> c.UserAnnotation:
    """Link a just-inserted annotation as its body asks; call inside the insert's transaction."""
    track_ids = body.track_ids()
    if not track_ids and body.group is None:
        return obj
    linked = LinkedAnnotation(**msgspec.structs.asdict(obj))
    if track_ids:
        made = await tracks.link_new(conn, obj, track_ids)
        linked.annotation_track = made
        linked.track = [link.track for link in made]
    if body.group is not None:
        linked.annotation_links = await annotation_links.place_new(conn, me, obj, body.group)
        linked.group = body.group
    return linked


class _Targets:
    """The tracks and groups an array names, and the (track, slice) places already taken."""

    def __init__(self, track_rows: list[asyncpg.Record], group_rows: list[asyncpg.Record]):
        self.tracks = {r["id"]: r for r in track_rows}
        self.groups = {r["id"]: r["project_id"] for r in group_rows}
        self.taken = {(r["id"], s) for r in track_rows for s in r["taken"]}

    def check(self, body: AnnotationBody, row: Row) -> None:
        """Raise the first link of one item that cannot be made (and book the others)."""
        for track_id in body.track_ids():
            track = self.tracks.get(track_id)
            if track is None:
                raise NotFound("Track", track_id)
            if track["image_id"] != row.image_id:
                raise Invalid(f"Track {track_id} is not a track of image {row.image_id}")
            if (track_id, row.slice_id) in self.taken:
                raise Conflict(
                    f"AnnotationTrack already exists for slice {row.slice_id} "
                    f"and track {track['name']}"
                )
            self.taken.add((track_id, row.slice_id))
        if body.group is not None:
            project = self.groups.get(body.group)
            if project is None:
                raise NotFound("AnnotationGroup", body.group)
            if project != row.project_id:
                raise Invalid("Group and annotation are not in the same project!")


async def check_many(
    conn: asyncpg.Connection, bodies: Sequence[AnnotationBody], rows: Sequence[Row | None]
) -> Errors:
    """The links each item of an array asks for that cannot be made, by index."""
    track_ids = sorted({t for body in _linking(bodies) for t in body.track_ids()})
    group_ids = sorted({body.group for body in bodies if body.group is not None})
    if not track_ids and not group_ids:
        return {}
    targets = _Targets(
        await conn.fetch(q.TRACK_TARGETS, track_ids),
        await conn.fetch(q.ANNOTATION_GROUP_TARGETS, group_ids),
    )
    errors: Errors = {}
    for i, (body, row) in enumerate(zip(bodies, rows, strict=True)):
        if row is None:
            continue
        try:
            targets.check(body, row)
        except DomainError as exc:
            errors[i] = exc
    return errors


async def attach_many(
    conn: asyncpg.Connection, ids: Sequence[int], bodies: Sequence[AnnotationBody]
) -> None:
    """Write the checked links of an array's new annotations (inside its transaction)."""
    if not _linking(bodies):
        return
    in_tracks = [(i, t) for i, body in zip(ids, bodies, strict=True) for t in body.track_ids()]
    in_groups = [(i, b.group) for i, b in zip(ids, bodies, strict=True) if b.group is not None]
    if in_tracks:
        try:
            await conn.execute(
                q.ANNOTATION_TRACK_INSERT_MANY, [p[0] for p in in_tracks], [p[1] for p in in_tracks]
            )
        except asyncpg.UniqueViolationError as exc:  # a concurrent write took a slice
            raise Conflict("A track already has an annotation on one of these slices") from exc
    if in_groups:
        await conn.execute(
            q.ANNOTATION_LINK_INSERT_MANY, [p[0] for p in in_groups], [p[1] for p in in_groups]
        )


def _linking(bodies: Sequence[AnnotationBody]) -> list[AnnotationBody]:
    """The items that name a track or a group (bulk arrays mostly name none)."""
    return [
        body
        for body in bodies
        if body.track is not None or body.tracks is not None or body.group is not None
    ]


__all__ = ["LinkedAnnotation", "attach", "attach_many", "check_many"]
