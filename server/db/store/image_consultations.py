"""Image consultations: which images users open, per-image summaries and counts."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.activity import refuse
from server.principal import Principal


class DistinctImage(msgspec.Struct, kw_only=True, rename="camel"):
    """The latest opening of one image by one user."""

    created: str
    image: int
    user: int
    time: int | None = None
    image_thumb: str | None = None
    project: int
    image_name: str | None = None
    count_created_annotations: int | None = None


class Resume(msgspec.Struct, kw_only=True, rename="camel"):
    """A user's consultations of one image summed up."""

    project: int
    user: int
    image: int
    time: int
    count_created_annotations: int
    first: str
    last: str
    frequency: int
    image_name: str | None = None
    image_thumb: str | None = None


class LastImage(msgspec.Struct, kw_only=True, rename="camel"):
    """The last image a project member opened in the project."""

    user: int
    created: str
    image: int
    image_name: str | None = None


async def add(
    conn: asyncpg.Connection, me: Principal, image_id: int, mode: str | None
) -> c.PersistentImageConsultation:
    """Record that the caller opened an image (closing their previous opening of it)."""
    async with conn.transaction():
        row = await conn.fetchrow(q.IMAGE_CONSULTATION_ADD, image_id, me.id, me.is_admin, mode)
        if row is None:
            raise NotFound("ImageInstance", image_id)
        if not row["readable"]:
            raise refuse(row["project_id"])
        obj = await conn.fetchval(q.IMAGE_CONSULTATION_GET, row["id"])
    return rows.one(obj, c.PersistentImageConsultation)


async def _same_user_or_manager(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int
) -> None:
    """Cytomine's rule for a user's own activity: that user, or a project manager."""
    access = await acl.readable(conn, me, project_id)
    if user_id != me.id and not access.can_manage:
        raise Forbidden(f"Only user {user_id} or a manager of project {project_id} may see this")


async def by_user(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    user_id: int,
    params: ListParams,
) -> Page[c.PersistentImageConsultation]:
    """Every opening of images of a project by one user, newest first."""
    await _same_user_or_manager(conn, me, project_id, user_id)
    return await fetch_page(
        conn, q.IMAGE_CONSULTATION_LIST, params, c.PersistentImageConsultation, project_id, user_id
    )


async def distinct_by_user(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    user_id: int,
    params: ListParams,
) -> Page[DistinctImage]:
    """The images of a project one user opened, once each, latest opening first."""
    await _same_user_or_manager(conn, me, project_id, user_id)
    return await fetch_page(
        conn, q.IMAGE_CONSULTATION_DISTINCT, params, DistinctImage, project_id, user_id
    )


async def resume(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int, params: ListParams
) -> Page[Resume]:
    """A user's consultations of each image of a project summed up, latest first."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn, q.IMAGE_CONSULTATION_RESUME, params, Resume, project_id, user_id, default_sort="last"
    )


async def last_images(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[LastImage]:
    """The last image each member opened in a project, latest first."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(conn, q.IMAGE_CONSULTATION_LAST_IMAGES, params, LastImage, project_id)


async def count(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
) -> int:
    """Number of image openings in a project between two instants."""
    await acl.readable(conn, me, project_id)
    return int(await conn.fetchval(q.IMAGE_CONSULTATION_COUNT, project_id, start, end))


__all__ = [
    "DistinctImage",
    "LastImage",
    "Resume",
    "add",
    "by_user",
    "count",
    "distinct_by_user",
    "last_images",
    "resume",
]
