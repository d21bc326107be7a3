"""Project statistics and instance counters, computed in SQL from the stored data.

Project statistics are for anyone who may read the project; instance counters for admins.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg
import msgspec

from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.store import acl, terms
from server.db.store.project_connections import require_admin
from server.principal import Principal

AnnotationKind = Literal["user", "algo", "reviewed"]
ActivitySource = Literal["connection", "consultation", "action"]

# At most this many periods in one evolution (a century of days).
MAX_PERIODS = 36_600


class Evolution(msgspec.Struct, frozen=True, kw_only=True):
    """Periods of an evolution chart: ``days`` days each from ``start`` (None: the project's
    creation) to ``end`` (None: now), counts accumulated or not."""

    start: datetime | None
    end: datetime | None
    days: int
    accumulate: bool


class Period(msgspec.Struct, kw_only=True, rename="camel"):
    """How many items fell in one period (or up to its end, when accumulating)."""

    date: int
    end_date: int
    size: int


class TermCount(msgspec.Struct, kw_only=True):
    """A term (``id`` null: no term) with a count, under the names both UIs read."""

    id: int | None
    key: str | None
    name: str | None
    value: int
    count: int
    color: str | None
    username: str | None = None


class UserCount(msgspec.Struct, kw_only=True):
    """A user with a count."""

    id: int
    key: str
    username: str
    value: int


class TermImageCount(msgspec.Struct, kw_only=True, rename="camel"):
    """User annotations of one image with one term (``termId`` null: without term)."""

    image_id: int
    term_id: int | None
    count_annotations: int


class UserTerms(msgspec.Struct, kw_only=True, rename="camel"):
    """One user's annotations per term."""

    id: int
    user_id: int
    key: str
    username: str
    terms: list[TermCount]


class ProjectCount(msgspec.Struct, kw_only=True):
    """A project (``username`` and ``key`` hold its name) with a count."""

    id: int
    username: str
    key: str
    value: int


class Totals(msgspec.Struct, kw_only=True, rename="camel"):
    """Instance-wide counters of the admin dashboard."""

    users: int
    projects: int
    images: int
    abstract_images: int
    user_annotations: int
    job_annotations: int
    terms: int
    ontologies: int


class CurrentStats(msgspec.Struct, kw_only=True, rename="camel"):
    """Users active in the last 5 minutes, projects in the last 2, and the busiest one."""

    users: int
    projects: int
    most_active_project: dict[str, Any] | None


class StorageStats(msgspec.Struct, kw_only=True, rename="camel"):
    """Bytes used by uploaded files, free on the storage disk, and the used share."""

    total: int
    available: int
    used: int
    used_p: float


class Total(msgspec.Struct, kw_only=True):
    """A count: {"total": N}."""

    total: int


# Class names (current and legacy packages) -> column of stats_totals.sql.
_TOTALS = {
    "security.User": "users",
    "security.SecUser": "users",
    "project.Project": "projects",
    "image.ImageInstance": "images",
    "image.AbstractImage": "abstract_images",
    "ontology.UserAnnotation": "user_annotations",
    "ontology.AlgoAnnotation": "job_annotations",
    "ontology.ReviewedAnnotation": "reviewed_annotations",
    "ontology.Term": "terms",
    "ontology.Ontology": "ontologies",
}


def checked_range(days_range: int) -> int:
    """A ``daysRange`` parameter, checked."""
    if days_range < 1:
        raise Invalid(f"daysRange must be a positive number of days, not {days_range}")
    return days_range


def _check_span(start: datetime | None, end: datetime | None, days: int) -> None:
    """Refuse reversed bounds and evolutions of more than MAX_PERIODS periods."""
    if start is not None and end is not None and end < start:
        raise Invalid("endDate is before startDate")
    now = datetime.now(UTC)
    span = (end or now) - (start or now)
    if span.days / days > MAX_PERIODS:
        raise Invalid(f"Too many periods: use a daysRange larger than {days}")


async def _periods(conn: asyncpg.Connection, sql: str, *args: Any) -> list[Period]:
    found = await conn.fetch(sql, *args)
    return [Period(date=r["date"], end_date=r["end_date"], size=r["size"]) for r in found]


async def annotation_evolution(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    kind: AnnotationKind,
    term_id: int | None,
    evolution: Evolution,
    *,
    reverse: bool,
) -> list[Period]:
    """Annotations of one kind created per period; latest period first when ``reverse``."""
    await acl.readable(conn, me, project_id)
    e = evolution
    _check_span(e.start, e.end, e.days)
    found = await _periods(
        conn,
        q.STATS_ANNOTATION_EVOLUTION,
        project_id,
        kind,
        term_id,
        e.start,
        e.end,
        e.days,
        e.accumulate,
        me.id,
        me.is_admin,
    )
    return found[::-1] if reverse else found


async def activity_evolution(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    source: ActivitySource,
    evolution: Evolution,
    *,
    action: str | None = None,
) -> list[Period]:
    """Connections, image openings or annotation actions per period, oldest first."""
    await acl.readable(conn, me, project_id)
    e = evolution
    _check_span(e.start, e.end, e.days)
    return await _periods(
        conn,
        q.STATS_ACTIVITY_EVOLUTION,
        project_id,
        source,
        e.start,
        e.end,
        e.days,
        e.accumulate,
        action,
    )


async def by_term(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
    *,
    leaf_only: bool,
    images: bool,
) -> list[TermCount]:
    """User annotations (or annotated images) per term of the project's ontology, then
    those without term."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(
        q.STATS_TERM, project_id, start, end, leaf_only, images, me.id, me.is_admin
    )
    return rows.many(text, TermCount)


async def by_term_and_image(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
) -> list[TermImageCount]:
    """User annotations per image and term."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.STATS_TERM_IMAGE, project_id, start, end, me.id, me.is_admin)
    return rows.many(text, TermImageCount)


async def by_user(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    start: datetime | None,
    end: datetime | None,
    *,
    images: bool,
) -> list[UserCount]:
    """User annotations (or annotated images) per member and author."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.STATS_USER, project_id, start, end, images, me.id, me.is_admin)
    return rows.many(text, UserCount)


async def user_terms(conn: asyncpg.Connection, me: Principal, project_id: int) -> list[UserTerms]:
    """Per member and author, user annotations per term."""
    await acl.readable(conn, me, project_id)
    return rows.many(
        await conn.fetchval(q.STATS_USER_ANNOTATIONS, project_id, me.id, me.is_admin), UserTerms
    )


async def term_projects(
    conn: asyncpg.Connection, me: Principal, term_id: int
) -> list[ProjectCount]:
    """Per readable project using the term's ontology, user annotations with the term."""
    await terms.access(conn, me, term_id)
    text = await conn.fetchval(q.STATS_TERM_PROJECTS, term_id, me.id, me.is_admin)
    return rows.many(text, ProjectCount)


async def _totals_row(conn: asyncpg.Connection) -> asyncpg.Record:
    row = await conn.fetchrow(q.STATS_TOTALS)
    assert row is not None
    return row


async def totals(conn: asyncpg.Connection, me: Principal) -> Totals:
    """Instance-wide counters (admins only)."""
    require_admin(me)
    row = await _totals_row(conn)
    return Totals(**{k: row[k] for k in Totals.__struct_fields__})


async def total_of(conn: asyncpg.Connection, me: Principal, domain: str) -> Total:
    """Number of objects of one class, named as Cytomine names it (admins only)."""
    require_admin(me)
    short = ".".join(domain.split(".")[-2:])
    column = _TOTALS.get(short) if domain.startswith("be.cytomine.") else None
    if column is None:
        raise NotFound("Class", domain)
    return Total(total=(await _totals_row(conn))[column])


async def current(conn: asyncpg.Connection, me: Principal) -> CurrentStats:
    """Activity now (admins only)."""
    require_admin(me)
    row = await conn.fetchrow(q.STATS_CURRENT)
    assert row is not None
    busiest = msgspec.json.decode(row["most_active"]) if row["most_active"] else None
    return CurrentStats(users=row["users"], projects=row["projects"], most_active_project=busiest)


async def storage(conn: asyncpg.Connection, me: Principal, storage_dir: str) -> StorageStats:
    """Bytes used by uploaded files and free on the storage disk (admins only)."""
    require_admin(me)
    used = int(await conn.fetchval(q.STATS_STORAGE_USED))
    try:
        available = shutil.disk_usage(storage_dir).free
    except OSError:
        available = 0
    total = used + available
    return StorageStats(
        total=total, available=available, used=used, used_p=used / total if total else 0.0
    )


__all__ = [
    "ActivitySource",
    "AnnotationKind",
    "CurrentStats",
    "Evolution",
    "Period",
    "ProjectCount",
    "StorageStats",
    "TermCount",
    "TermImageCount",
    "Total",
    "Totals",
    "UserCount",
    "UserTerms",
    "activity_evolution",
    "annotation_evolution",
    "by_term",
    "by_term_and_image",
    "by_user",
    "checked_range",
    "current",
    "storage",
    "term_projects",
    "total_of",
    "totals",
    "user_terms",
]
