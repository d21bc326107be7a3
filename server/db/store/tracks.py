"""Tracks (an object followed across the slices of one image) and the annotations in them."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.commands import delete_row, record
from server.principal import Principal


async def _track(conn: asyncpg.Connection, track_id: int) -> asyncpg.Record:
    row = await conn.fetchrow(q.TRACK_BY_ID, track_id)
    if row is None:
        raise NotFound("Track", track_id)
    return row


async def get(conn: asyncpg.Connection, me: Principal, track_id: int) -> c.Track:
    """One track of a project the caller reads."""
    row = await _track(conn, track_id)
    await acl.readable(conn, me, row["project_id"])
    return rows.one(row["obj"], c.Track)


async def list_by_image(
    conn: asyncpg.Connection, me: Principal, image_id: int, params: ListParams
) -> Page[c.Track]:
    """Tracks of one image."""
    image = await conn.fetchrow(q.TRACK_IMAGE, image_id)
    if image is None:
        raise NotFound("ImageInstance", image_id)
    await acl.readable(conn, me, image["project_id"])
    return await fetch_page(conn, q.TRACK_LIST, params, c.Track, image_id, None)


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[c.Track]:
    """Tracks of every image of one project."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(conn, q.TRACK_LIST, params, c.Track, None, project_id)


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Track name must not be empty", {"missing": ["name"]})
    return value.strip()


def _taken(name: str) -> Conflict:
    return Conflict(f"Track {name} already exist in this image!")


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.TrackInput
) -> tuple[c.Track, int]:
    """Create a track on an image the caller may annotate."""
    name = _name(body.name)
    if body.image is None:
        raise Invalid("Missing required field(s): image", {"missing": ["image"]})
    image = await conn.fetchrow(q.TRACK_IMAGE, body.image)
    if image is None:
        raise NotFound("ImageInstance", body.image)
    (await acl.project_access(conn, me, image["project_id"])).require_edit(image["image_owner"])
    async with conn.transaction():
        try:
            track_id = await conn.fetchval(q.TRACK_INSERT, name, body.color, body.image)
        except asyncpg.UniqueViolationError as exc:
            raise _taken(name) from exc
        obj = rows.one((await _track(conn, track_id))["obj"], c.Track)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project)
    return obj, command


async def _writable(conn: asyncpg.Connection, me: Principal, track_id: int) -> c.Track:
    row = await _track(conn, track_id)
    (await acl.project_access(conn, me, row["project_id"])).require_edit(row["image_owner"])
    return rows.one(row["obj"], c.Track)


async def update(
    conn: asyncpg.Connection, me: Principal, track_id: int, body: c.TrackInput
) -> tuple[c.Track, int]:
    """Rename or recolour a track; it stays on its image."""
    current = await _writable(conn, me, track_id)
    if body.image is not None and body.image != current.image:
        raise Invalid("A track cannot move to another image", {"image": body.image})
    name = current.name if body.name is None else _name(body.name)
    color = current.color if body.color is None else body.color
    async with conn.transaction():
        try:
            await conn.execute(q.TRACK_UPDATE, track_id, name, color)
        except asyncpg.UniqueViolationError as exc:
            raise _taken(name) from exc
        obj = rows.one((await _track(conn, track_id))["obj"], c.Track)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj, project_id=obj.project)
    return obj, command


async def delete(conn: asyncpg.Connection, me: Principal, track_id: int) -> tuple[c.Track, int]:
    """Delete a track and its annotation links; answer it as it was."""
    obj = await _writable(conn, me, track_id)
    async with conn.transaction():
        await delete_row(conn, q.TRACK_DELETE, track_id, kind="Track")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


async def _annotation(conn: asyncpg.Connection, annotation_id: int) -> asyncpg.Record:
    row = await conn.fetchrow(q.ANNOTATION_TRACK_ANNOTATION, annotation_id)
    if row is None:
        raise NotFound("Annotation", annotation_id)
    return row


async def links_of_annotation(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, params: ListParams
) -> Page[c.AnnotationTrack]:
    """Tracks an annotation belongs to."""
    annotation = await _annotation(conn, annotation_id)
    await acl.readable(conn, me, annotation["project_id"])
    return await fetch_page(
        conn, q.ANNOTATION_TRACK_LIST, params, c.AnnotationTrack, annotation_id, None
    )


async def links_of_track(
    conn: asyncpg.Connection, me: Principal, track_id: int, params: ListParams
) -> Page[c.AnnotationTrack]:
    """Annotations of a track."""
    await acl.readable(conn, me, (await _track(conn, track_id))["project_id"])
    return await fetch_page(
        conn, q.ANNOTATION_TRACK_LIST, params, c.AnnotationTrack, None, track_id
    )


async def _link(conn: asyncpg.Connection, annotation_id: int, track_id: int) -> c.AnnotationTrack:
    text = await conn.fetchval(q.ANNOTATION_TRACK_BY_PAIR, annotation_id, track_id)
    if text is None:
        raise NotFound("AnnotationTrack", f"annotation={annotation_id}, track={track_id}")
    return rows.one(text, c.AnnotationTrack)


async def get_link(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, track_id: int
) -> c.AnnotationTrack:
    """The link between one annotation and one track."""
    await acl.readable(conn, me, (await _annotation(conn, annotation_id))["project_id"])
    return await _link(conn, annotation_id, track_id)


async def _editable_annotation(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> asyncpg.Record:
    annotation = await _annotation(conn, annotation_id)
    access = await acl.project_access(conn, me, annotation["project_id"])
    access.require_edit(annotation["user_id"])
    return annotation


async def link(
    conn: asyncpg.Connection, me: Principal, annotation_id: int | None, track_id: int | None
) -> tuple[c.AnnotationTrack, int]:
    """Put an annotation in a track of its image."""
    if annotation_id is None or track_id is None:
        missing = ["annotationIdent", "track"]
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    annotation = await _editable_annotation(conn, me, annotation_id)
    track = rows.one((await _track(conn, track_id))["obj"], c.Track)
    if track.image != annotation["image_id"]:
        raise Invalid(f"Track {track_id} is not on the image of annotation {annotation_id}")
    async with conn.transaction():
        try:
            await conn.execute(q.ANNOTATION_TRACK_INSERT, annotation_id, track_id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"Track {track.name} already has annotation {annotation_id} or one on its slice"
            ) from exc
        obj = await _link(conn, annotation_id, track_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=track.project)
    return obj, command


async def link_new(
    conn: asyncpg.Connection, annotation: c.UserAnnotation, track_ids: list[int]
) -> list[c.AnnotationTrack]:
    """Put an annotation being created in tracks of its image (inside its transaction).

    The caller already holds write rights on the annotation's project; a track of another
    image is refused, and a track keeps at most one annotation per slice (409).
    """
    made = []
    for track_id in track_ids:
        track = rows.one((await _track(conn, track_id))["obj"], c.Track)
        if track.image != annotation.image:
            raise Invalid(
                f"Track {track_id} is not a track of image {annotation.image}",
                {"track": track_id},
            )
        try:
            await conn.execute(q.ANNOTATION_TRACK_INSERT, annotation.id, track_id)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"AnnotationTrack already exists for slice {annotation.slice} "
                f"and track {track.name}",
                {"slice": annotation.slice, "track": track_id},
            ) from exc
        made.append(await _link(conn, annotation.id, track_id))
    return made


async def unlink(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, track_id: int
) -> tuple[c.AnnotationTrack, int]:
    """Take an annotation out of a track; answer the link as it was."""
    annotation = await _editable_annotation(conn, me, annotation_id)
    async with conn.transaction():
        obj = await _link(conn, annotation_id, track_id)
        await delete_row(conn, q.ANNOTATION_TRACK_DELETE, obj.id, kind="AnnotationTrack")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=annotation["project_id"]
        )
    return obj, command


__all__ = [
    "create",
    "delete",
    "get",
    "get_link",
    "link",
    "link_new",
    "links_of_annotation",
    "links_of_track",
    "list_by_image",
    "list_by_project",
    "unlink",
    "update",
]
