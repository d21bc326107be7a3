"""Shared checks of the activity services: read access to an image, a slice or a user's
activity, counts in a project, epoch bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl
from server.principal import Principal


def refuse(project_id: int) -> Forbidden:
    """The error for a caller who cannot read a project."""
    return Forbidden(f"You don't have the right to read or modify project {project_id}")


async def readable_image(conn: asyncpg.Connection, me: Principal, image_id: int) -> int:
    """The project of an image the caller may read (NotFound, Forbidden otherwise)."""
    row = await conn.fetchrow(q.ACTIVITY_IMAGE_ACCESS, image_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("ImageInstance", image_id)
    if not row["readable"]:
        raise refuse(row["project_id"])
    return int(row["project_id"])


async def readable_slice(conn: asyncpg.Connection, me: Principal, slice_id: int) -> int:
    """The image of a slice the caller may read (NotFound, Forbidden otherwise)."""
    row = await conn.fetchrow(q.ACTIVITY_SLICE_ACCESS, slice_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("SliceInstance", slice_id)
    if not row["readable"]:
        raise refuse(row["project_id"])
    return int(row["image_id"])


async def own_or_managed(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int | None
) -> acl.ProjectAccess:
    """Read access to a project; another user's activity (``user_id``) needs a manager."""
    access = await acl.readable(conn, me, project_id)
    if user_id is not None:
        if not await conn.fetchval(q.PROJECT_MEMBER_USER_EXISTS, user_id):
            raise NotFound("User", user_id)
        if user_id != me.id and not access.can_manage:
            raise Forbidden(
                f"Only user {user_id} or a manager of project {project_id} may see this"
            )
    return access


async def count_between(
    conn: asyncpg.Connection,
    me: Principal,
    sql: str,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
) -> int:
    """Run a ``(project_id, start, end) -> total`` count for a caller who may read the project."""
    await acl.readable(conn, me, project_id)
    return int(await conn.fetchval(sql, project_id, start, end))


def instant(value: int | None, name: str) -> datetime | None:
    """An epoch-milliseconds bound as a UTC instant (None stays None)."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise Invalid(f"{name} is not a valid epoch in milliseconds: {value}") from exc


__all__ = [
    "count_between",
    "instant",
    "own_or_managed",
    "readable_image",
    "readable_slice",
    "refuse",
]
