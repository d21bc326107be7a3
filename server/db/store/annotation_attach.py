"""What a new user annotation joins when it is created: tracks and an annotation group.

Cytomine links a drawn annotation to the tracks (``track``/``tracks``) and the group
(``group``) named in the same request, in the same transaction, and answers the annotation
with those links; a refused link leaves nothing written.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from server.auth.principal import Principal
from server.db.store import annotation_links, tracks
from server.db.store.annotation_rows import AnnotationBody


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


__all__ = ["LinkedAnnotation", "attach"]
