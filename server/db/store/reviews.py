"""Reviewing: an image's review mode, and validating (or rejecting) annotations on it.

Cytomine's rules: a reviewer starts review mode on an image (who may edit the image);
while it is on (started, not validated) only that reviewer validates annotations there,
each at most once; validating copies the annotation, its terms and any extra terms into a
reviewed annotation; rejecting deletes that copy. Whole layers (users) go in one statement.
"""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl, commands, image_instances, terms_listed
from server.db.store import annotation_kinds as kinds
from server.db.store import reviewed_annotations as reviewed
from server.principal import Principal

NOT_ACCEPTED = "This annotation is not accepted, you cannot reject it!"


class ReviewState(msgspec.Struct, frozen=True, kw_only=True):
    """An image's review columns and what permission checks need."""

    image_id: int
    project_id: int
    user_id: int
    review_start: datetime | None
    review_stop: datetime | None
    review_user_id: int | None
    review_username: str | None

    @property
    def in_review(self) -> bool:
        """Started by a reviewer and not validated yet."""
        started = self.review_start is not None and self.review_user_id is not None
        return started and self.review_stop is None


async def state(conn: asyncpg.Connection, image_id: int) -> ReviewState:
    """The review state of an image; NotFound when absent."""
    row = await conn.fetchrow(q.IMAGE_REVIEW_STATE, image_id)
    if row is None:
        raise NotFound("ImageInstance", image_id)
    return ReviewState(image_id=image_id, **dict(row))


def _require_reviewer(found: ReviewState, me: Principal, verb: str) -> None:
    """Refuse unless the image is in review mode by the caller."""
    if not found.in_review:
        raise Invalid(f"Cannot {verb} annotation, enable image review mode!")
    if found.review_user_id != me.id:
        raise Invalid(
            f"You must be the image reviewer to {verb} annotation. "
            f"Image reviewer is {found.review_username}"
        )


async def start(conn: asyncpg.Connection, me: Principal, image_id: int) -> c.ImageInstance:
    """Start review mode on an image for the caller."""
    found = await state(conn, image_id)
    access = await acl.project_access(conn, me, found.project_id)
    access.require_edit(found.user_id)
    now = datetime.now(tz=UTC)
    await conn.execute(q.IMAGE_REVIEW_SET, image_id, now, found.review_stop, me.id)
    return await image_instances.get(conn, me, image_id)


async def stop(
    conn: asyncpg.Connection, me: Principal, image_id: int, *, cancel: bool
) -> c.ImageInstance:
    """Validate the review of an image, or cancel it (which also un-validates)."""
    found = await state(conn, image_id)
    await acl.readable(conn, me, found.project_id)
    if found.review_start is None or found.review_user_id is None:
        raise Invalid(f"Image {image_id} is not in review mode")
    if found.review_user_id != me.id:
        raise Invalid(f"Review can only be validated or stopped by {found.review_username}")
    values: tuple[datetime | None, datetime | None, int | None]
    if not cancel:
        values = (found.review_start, datetime.now(tz=UTC), found.review_user_id)
    elif found.review_stop is None:
        values = (None, None, None)
    else:
        values = (found.review_start, None, found.review_user_id)
    await conn.execute(q.IMAGE_REVIEW_SET, image_id, *values)
    return await image_instances.get(conn, me, image_id)


async def _chosen_terms(conn: asyncpg.Connection, terms: list[int], project_id: int) -> list[int]:
    """The terms a reviewer gives a reviewed copy, which must be in the project's ontology."""
    wanted = sorted(set(terms))
    if not wanted:
        return []
    known = set(await conn.fetchval(q.ANNOTATION_TERMS_KNOWN, wanted, project_id) or [])
    if unknown := [t for t in wanted if t not in known]:
        raise Invalid(
            f"Term(s) {unknown} are not in the ontology of project {project_id}",
            {"term": unknown},
        )
    return wanted


async def review(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, terms: list[int] | None
) -> tuple[c.ReviewedAnnotation, int]:
    """Validate one user or algo annotation: copy it with ``terms``, else with its own terms.

    As in Cytomine, terms given by the reviewer replace the annotation's on the copy.
    """
    parent = await kinds.locate(conn, annotation_id)
    if parent.kind == "reviewed":
        raise NotFound("Annotation", annotation_id)
    await acl.writable(conn, me, parent.project_id)
    _require_reviewer(await state(conn, parent.image_id), me, "accept")
    if await conn.fetchval(q.REVIEWED_ANNOTATION_BY_PARENT, annotation_id) is not None:
        raise Conflict("Annotation is already accepted!")
    chosen = None if terms is None else await _chosen_terms(conn, terms, parent.project_id)
    async with conn.transaction():
        copied = await conn.fetch(q.REVIEW_COPY, [annotation_id], me.id)
        if not copied:
            raise Conflict("Annotation is already accepted!")
        new_id = int(copied[0]["id"])
        if chosen is None:
            await conn.execute(q.REVIEW_TERMS_COPY, [new_id], me.id)
        else:
            await kinds.link_terms(conn, new_id, parent.image_id, chosen, me.id)
        await terms_listed.relist(conn, [new_id])
        return await reviewed.REVIEWED.recorded(conn, me, new_id, "ADD")


async def unreview(
    conn: asyncpg.Connection, me: Principal, annotation_id: int
) -> tuple[c.ReviewedAnnotation, int]:
    """Reject a validated annotation: delete its reviewed copy."""
    parent = await kinds.locate(conn, annotation_id)
    await acl.readable(conn, me, parent.project_id)
    copy_id = await conn.fetchval(q.REVIEWED_ANNOTATION_BY_PARENT, annotation_id)
    if copy_id is None:
        raise Invalid(NOT_ACCEPTED)
    found = await state(conn, parent.image_id)
    if found.review_user_id is not None and found.review_user_id != me.id:
        raise Invalid(
            "You must be the image reviewer to reject annotation. "
            f"Image reviewer is {found.review_username}"
        )
    try:
        return await reviewed.delete(conn, me, int(copy_id))
    except NotFound:  # a concurrent request rejected it first
        raise Invalid(NOT_ACCEPTED) from None


async def _layer_check(
    conn: asyncpg.Connection, me: Principal, image_id: int, users: list[int], verb: str
) -> None:
    """Layers (user ids) of an image the caller reviews and may write in."""
    if not users:
        raise Invalid(f"There is no layer: {users}")
    for user_id in users:
        if not await conn.fetchval(q.ANNOTATION_TERM_USER_EXISTS, user_id):
            raise NotFound("User", user_id)
    found = await state(conn, image_id)
    await acl.writable(conn, me, found.project_id)
    _require_reviewer(found, me, verb)


async def review_layers(
    conn: asyncpg.Connection, me: Principal, image_id: int, users: list[int]
) -> list[int]:
    """Validate every not yet reviewed annotation of some users on an image; new ids."""
    await _layer_check(conn, me, image_id, users, "review")
    async with conn.transaction():
        parents = [r["id"] for r in await conn.fetch(q.REVIEW_LAYER_CANDIDATES, image_id, users)]
        copied = await conn.fetch(q.REVIEW_COPY, parents, me.id)
        ids = [int(r["id"]) for r in copied]
        if ids:
            await conn.execute(q.REVIEW_TERMS_COPY, ids, me.id)
            await terms_listed.relist(conn, ids)
    return ids


async def unreview_layers(
    conn: asyncpg.Connection, me: Principal, image_id: int, users: list[int]
) -> list[int]:
    """Delete the reviewed copies of the annotations of some users on an image; their ids."""
    await _layer_check(conn, me, image_id, users, "reject")
    async with conn.transaction():
        ids = sorted(int(r["id"]) for r in await conn.fetch(q.UNREVIEW_LAYER, image_id, users))
        await commands.cascade(conn, {"annotations": ids})
    return ids


__all__ = [
    "ReviewState",
    "review",
    "review_layers",
    "start",
    "state",
    "stop",
    "unreview",
    "unreview_layers",
]
