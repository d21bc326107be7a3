"""Delete or re-term every user annotation a filter matches, in one statement, with a dry run.

The filter is Cytomine's vocabulary (project, images, users, terms, bbox); the statements
apply write rights themselves (admins, members outside read-only projects, own annotations
only in restricted projects), so a dry-run count is exactly what the change would touch.
"""

from __future__ import annotations

from typing import Literal

import asyncpg
import msgspec

import spatial
from contracts.errors import Conflict, Invalid
from server.db import queries as q
from server.db.store import acl, commands
from server.principal import Principal

Mode = Literal["set", "add", "remove"]


class BulkFilter(msgspec.Struct, kw_only=True):
    """Which annotations a bulk change touches (absent: no restriction but the project)."""

    project: int | None = None
    image: int | None = None
    images: list[int] | None = None
    user: int | None = None
    users: list[int] | None = None
    term: int | None = None
    terms: list[int] | None = None
    bbox: str | None = None
    dry_run: bool = msgspec.field(default=False, name="dryRun")


class TermChange(BulkFilter, kw_only=True):
    """A filter with the terms to set, add or remove."""

    new_terms: list[int] = msgspec.field(default_factory=list, name="newTerms")
    mode: Mode = "set"


class BulkAnswer(msgspec.Struct, kw_only=True):
    """What a bulk change did (or would do, on a dry run)."""

    count: int
    dry_run: bool = msgspec.field(name="dryRun")
    message: str
    removed: int | None = None
    added: int | None = None


def _one_or_many(one: int | None, many: list[int] | None) -> list[int] | None:
    if many is not None:
        return many
    return None if one is None else [one]


async def _args(conn: asyncpg.Connection, me: Principal, f: BulkFilter) -> tuple[object, ...]:
    """The bound filter values, once the project is known and readable."""
    if f.project is None:
        raise Invalid("Missing required field(s): project", {"missing": ["project"]})
    await acl.readable(conn, me, f.project)
    box = None
    if f.bbox is not None:
        b = spatial.parse_bbox(f.bbox)
        box = [b.minx, b.miny, b.maxx, b.maxy]
    images = _one_or_many(f.image, f.images)
    users, terms = _one_or_many(f.user, f.users), _one_or_many(f.term, f.terms)
    return (f.project, images, users, terms, box, me.id, me.is_admin, me.is_guest)


async def delete(conn: asyncpg.Connection, me: Principal, f: BulkFilter) -> BulkAnswer:
    """Delete the matched annotations (or count them on a dry run)."""
    args = await _args(conn, me, f)
    if f.dry_run:
        n = int(await conn.fetchval(q.ANNOTATION_BULK_COUNT, *args))
        return BulkAnswer(count=n, dry_run=True, message=f"{n} annotations would be deleted")
    async with conn.transaction():
        gone = await conn.fetchrow(q.ANNOTATION_BULK_DELETE, *args)
        await commands.cascade(conn, gone)
    assert gone is not None  # an aggregate answers one row
    n = int(gone["count"])
    return BulkAnswer(count=n, dry_run=False, message=f"{n} annotations deleted")


async def change_terms(conn: asyncpg.Connection, me: Principal, f: TermChange) -> BulkAnswer:
    """Set, add or remove terms on the matched annotations (or count them on a dry run)."""
    args = await _args(conn, me, f)
    wanted = sorted(set(f.new_terms))
    known = await conn.fetchval(q.ANNOTATION_TERMS_KNOWN, wanted, f.project) if wanted else []
    if unknown := sorted(set(wanted) - set(known or [])):
        raise Invalid(f"Term(s) {unknown} are not in the ontology of project {f.project}")
    if f.dry_run:
        n = int(await conn.fetchval(q.ANNOTATION_BULK_COUNT, *args))
        return BulkAnswer(count=n, dry_run=True, message=f"{n} annotations would change terms")
    try:
        async with conn.transaction():
            row = await conn.fetchrow(q.ANNOTATION_BULK_TERM, *args, wanted, f.mode)
            assert row is not None  # the function answers one row
    except asyncpg.ForeignKeyViolationError as exc:
        # The matches are locked, so only a term deleted meanwhile can get here.
        raise Conflict(f"A term was deleted meanwhile, try again ({exc.constraint_name})") from exc
    return BulkAnswer(
        count=int(row["matched"]),
        dry_run=False,
        message=f"{row['matched']} annotations matched: {row['removed']} term links removed, "
        f"{row['added']} added",
        removed=int(row["removed"]),
        added=int(row["added"]),
    )


__all__ = ["BulkAnswer", "BulkFilter", "Mode", "TermChange", "change_terms", "delete"]
