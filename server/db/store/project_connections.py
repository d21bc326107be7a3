"""Project connections: users entering projects, their history, counts and frequencies.

Permissions follow one rule, applied in SQL where rows are listed: a member sees their own
connections; managers of the project and admins see everyone's; outsiders are refused.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Literal

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store.activity import count_between, own_or_managed, refuse
from server.principal import Principal

Period = Literal["hour", "day", "week"]
PERIODS: tuple[Period, ...] = ("hour", "day", "week")


class Connection(c.PersistentProjectConnection, kw_only=True):
    """A connection; the open one says ``online`` when its user is active now."""

    online: bool | UnsetType = UNSET


class LastConnection(msgspec.Struct, kw_only=True):
    """When a user last entered a project (epoch milliseconds)."""

    user: int
    created: int


class UserFrequency(msgspec.Struct, kw_only=True):
    """How many times a user entered a project."""

    user: int
    frequency: int


class Frequency(msgspec.Struct, kw_only=True):
    """Connections in one period (``time``: its start, epoch milliseconds)."""

    time: int
    frequency: int


class Share(msgspec.Struct, kw_only=True):
    """Share (0..1) of the connections that fall in one slot of the hour, day or week."""

    time: int
    frequency: float


class ProjectTotal(msgspec.Struct, kw_only=True):
    """How many times users entered one project."""

    project: int
    total: int


def period_of(value: str | None, *, default: Period | None = None) -> Period:
    """A ``period`` parameter, checked."""
    if value is None and default is not None:
        return default
    for period in PERIODS:
        if value == period:
            return period
    raise Invalid(f"period must be one of hour, day, week, not {value!r}")


async def _user_exists(conn: asyncpg.Connection, user_id: int) -> None:
    if not await conn.fetchval(q.PROJECT_MEMBER_USER_EXISTS, user_id):
        raise NotFound("User", user_id)


async def add(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    os: str | None,
    browser: str | None,
    browser_version: str | None,
) -> c.PersistentProjectConnection:
    """Record that the caller entered a project (closing their previous connection to it)."""
    async with conn.transaction():
        row = await conn.fetchrow(
            q.PROJECT_CONNECTION_ADD, project_id, me.id, me.is_admin, os, browser, browser_version
        )
        if row is None:
            raise NotFound("Project", project_id)
        if not row["readable"]:
            raise refuse(project_id)
        obj = await conn.fetchval(q.PROJECT_CONNECTION_GET, row["id"])
    # As in Cytomine, a new connection has no time or counters yet (lists compute them).
    return msgspec.structs.replace(
        rows.one(obj, c.PersistentProjectConnection),
        time=None,
        count_viewed_images=None,
        count_created_annotations=None,
    )


async def count(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
) -> int:
    """Number of connections to a project between two instants."""
    return await count_between(conn, me, q.PROJECT_CONNECTION_COUNT, project_id, start, end)


async def history(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int, params: ListParams
) -> Page[Connection]:
    """A user's connections to a project, newest first."""
    await own_or_managed(conn, me, project_id, user_id)
    return await fetch_page(
        conn, q.PROJECT_CONNECTION_LIST, params, Connection, project_id, user_id
    )


async def history_csv(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int
) -> bytes:
    """A user's connections to a project as a CSV report (``;``-separated, newest first)."""
    connections = (await history(conn, me, project_id, user_id, ListParams())).collection
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        ["date", "time_ms", "viewed_images", "created_annotations", "os", "browser", "version"]
    )
    for x in connections:
        when = datetime.fromtimestamp(int(x.created) / 1000, tz=UTC).isoformat()
        writer.writerow(
            [
                when,
                x.time if x.time is not None else "",
                x.count_viewed_images if x.count_viewed_images is not None else "",
                x.count_created_annotations if x.count_created_annotations is not None else "",
                x.os or "",
                x.browser or "",
                x.browser_version or "",
            ]
        )
    return out.getvalue().encode()


async def last_connections(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int | None
) -> list[LastConnection]:
    """The last connection of each user (or of one), latest first."""
    access = await own_or_managed(conn, me, project_id, user_id)
    text = await conn.fetchval(
        q.PROJECT_CONNECTION_LAST, project_id, user_id, me.id, access.can_manage
    )
    return rows.many(text, LastConnection)


async def frequency_by_user(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int | None
) -> list[UserFrequency]:
    """Number of connections of each user (or of one), most recently connected first."""
    access = await own_or_managed(conn, me, project_id, user_id)
    text = await conn.fetchval(
        q.PROJECT_CONNECTION_FREQUENCY_BY_USER, project_id, user_id, me.id, access.can_manage
    )
    return rows.many(text, UserFrequency)


async def frequency_in_project(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    user_id: int | None,
    period: Period,
    after: datetime | None,
) -> list[Frequency]:
    """Connections to a project per period; members who do not manage it see their own."""
    access = await own_or_managed(conn, me, project_id, user_id)
    if user_id is None and not access.can_manage:
        user_id = me.id
    text = await conn.fetchval(
        q.PROJECT_CONNECTION_FREQUENCY, period, after, datetime.now(UTC), project_id, user_id
    )
    return rows.many(text, Frequency)


async def frequency_everywhere(
    conn: asyncpg.Connection,
    me: Principal,
    period: Period,
    after: datetime | None,
    before: datetime | None,
) -> list[Frequency]:
    """Connections to every project per period (admins only)."""
    require_admin(me)
    before = before or datetime.now(UTC)
    text = await conn.fetchval(q.PROJECT_CONNECTION_FREQUENCY, period, after, before, None, None)
    return rows.many(text, Frequency)


async def average(
    conn: asyncpg.Connection,
    me: Principal,
    period: Period,
    after: datetime | None,
    before: datetime | None,
    project_id: int | None,
    user_id: int | None,
) -> list[Share]:
    """Share of connections per slot (hour of day, day of month, week of year).

    Over every project it is for admins; in a project, members see their own share and
    managers everyone's. Without bounds, the last year up to now.
    """
    if project_id is None:
        require_admin(me)
        if user_id is not None:
            await _user_exists(conn, user_id)
    else:
        access = await own_or_managed(conn, me, project_id, user_id)
        if user_id is None and not access.can_manage:
            user_id = me.id
    before = before or datetime.now(UTC)
    after = after or before.replace(year=before.year - 1)
    text = await conn.fetchval(
        q.PROJECT_CONNECTION_AVERAGE, period, after, before, project_id, user_id
    )
    return rows.many(text, Share)


async def consultations(
    conn: asyncpg.Connection, me: Principal, connection_id: int, params: ListParams
) -> Page[c.PersistentImageConsultation]:
    """Images opened during one connection, newest first (its user or a manager)."""
    row = await conn.fetchrow(q.PROJECT_CONNECTION_OWNER, connection_id)
    if row is None:
        raise NotFound("PersistentProjectConnection", connection_id)
    await own_or_managed(conn, me, row["project_id"], row["user_id"])
    return await fetch_page(
        conn,
        q.IMAGE_CONSULTATION_BY_CONNECTION,
        params,
        c.PersistentImageConsultation,
        connection_id,
    )


def require_admin(me: Principal) -> None:
    """Refuse callers without an open admin session."""
    if not me.is_admin:
        raise Forbidden("You must be an administrator")


async def totals_by_project(conn: asyncpg.Connection, me: Principal) -> list[ProjectTotal]:
    """Number of connections to each project (admins only)."""
    require_admin(me)
    return rows.many(await conn.fetchval(q.PROJECT_CONNECTION_TOTALS), ProjectTotal)


__all__ = [
    "PERIODS",
    "Connection",
    "Frequency",
    "LastConnection",
    "Period",
    "ProjectTotal",
    "Share",
    "UserFrequency",
    "add",
    "average",
    "consultations",
    "count",
    "frequency_by_user",
    "frequency_everywhere",
    "frequency_in_project",
    "history",
    "history_csv",
    "last_connections",
    "period_of",
    "require_admin",
    "totals_by_project",
]
