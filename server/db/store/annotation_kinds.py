"""What every annotation kind (user, algo, reviewed) shares: lookup, insert, change, counts.

All kinds live in the one ``annotation`` table (``kind`` column), so the geometry checks of
``annotation_rows`` and the spatial index serve them all; each kind has its own JSON view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import NotFound
from server.db import queries as q
from server.db import rows as decode
from server.db.store import acl, terms_listed
from server.db.store.annotation_rows import AnnotationBody, Row, prepare
from server.db.store.commands import Action, delete_row, record
from server.principal import Principal

Kind = Literal["user", "algo", "reviewed"]

CLASS_NAMES: dict[str, str] = {
    "user": "UserAnnotation",
    "algo": "AlgoAnnotation",
    "reviewed": "ReviewedAnnotation",
}


class Located(msgspec.Struct, frozen=True, kw_only=True):
    """An annotation's kind, project, owner, image and reviewer."""

    id: int
    kind: str
    project_id: int
    user_id: int
    image_id: int
    reviewer_id: int | None


async def locate(conn: asyncpg.Connection, annotation_id: int) -> Located:
    """Kind and owners of an annotation of any kind; NotFound when absent."""
    row = await conn.fetchrow(q.ANNOTATION_KIND, annotation_id)
    if row is None:
        raise NotFound("Annotation", annotation_id)
    return Located(id=annotation_id, **dict(row))


async def prepared_one(conn: asyncpg.Connection, me: Principal, body: AnnotationBody) -> Row:
    """One checked row (image, slice, terms, geometry) or the first problem found."""
    rows, errors = await prepare(conn, me, [body])
    if errors:
        raise errors[0]
    row = rows[0]
    assert row is not None
    return row


async def insert(
    conn: asyncpg.Connection,
    rows: list[Row],
    *,
    kind: Kind,
    user_ids: list[int],
    term_user_id: int,
    parent_ids: list[int | None] | None = None,
    reviewer_id: int | None = None,
    status: int | None = None,
    compression: float | None = None,
) -> list[int]:
    """Write rows of one kind and their term links (as ``term_user_id``); returns new ids."""
    ids = list(await conn.fetchval(q.ANNOTATION_IDS_ALLOCATE, len(rows)))
    await conn.execute(
        q.ANNOTATION_INSERT_KIND,
        ids,
        [r.image_id for r in rows],
        [r.slice_id for r in rows],
        [r.project_id for r in rows],
        user_ids,
        [r.wkb for r in rows],
        [r.area for r in rows],
        [r.area_unit for r in rows],
        [r.perimeter for r in rows],
        [r.perimeter_unit for r in rows],
        compression,
        kind,
        parent_ids or [None] * len(rows),
        reviewer_id,
        status,
    )
    pairs = [(i, t, r.image_id) for i, r in zip(ids, rows, strict=True) for t in r.terms]
    if pairs:
        await conn.execute(
            q.ANNOTATION_TERM_INSERT,
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            term_user_id,
            None,
            [p[2] for p in pairs],
        )
    await terms_listed.relist(conn, ids)  # also rows without terms: their group is kept too
    return ids


def merged(body: AnnotationBody, image: int, location: str, slice_id: int) -> AnnotationBody:
    """An update body completed with the current values (absent or null fields keep theirs)."""
    return AnnotationBody(
        location=body.location if body.location is not None else location,
        image=image,
        slice=body.slice if body.slice is not None else slice_id,
        term=body.term_ids(),
    )


async def rewrite(
    conn: asyncpg.Connection,
    annotation_id: int,
    row: Row,
    body: AnnotationBody,
    term_user_id: int,
) -> None:
    """Store a changed geometry and slice and, when given, the new term list."""
    await conn.execute(
        q.ANNOTATION_UPDATE,
        annotation_id,
        row.wkb,
        row.area,
        row.area_unit,
        row.perimeter,
        row.perimeter_unit,
        row.slice_id,
        body.geometry_compression,
        row.image_id,
    )
    if body.term_ids() is not None:
        await conn.execute(q.ANNOTATION_TERM_KEEP_ONLY, annotation_id, row.terms)
        await link_terms(conn, annotation_id, row.image_id, row.terms, term_user_id)
        await terms_listed.relist(conn, [annotation_id])


async def link_terms(
    conn: asyncpg.Connection, annotation_id: int, image_id: int, terms: list[int], user_id: int
) -> None:
    """Link one annotation to each of `terms` (none: nothing is written)."""
    if terms:
        n = len(terms)
        await conn.execute(
            q.ANNOTATION_TERM_INSERT, [annotation_id] * n, terms, user_id, None, [image_id] * n
        )


async def count_readable(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    kind: Kind,
    after: datetime | None,
    before: datetime | None,
) -> int:
    """Annotations of one kind in a readable project, created between optional bounds
    (exclusive), in the layers the caller sees."""
    await acl.readable(conn, me, project_id)
    found = await conn.fetchval(
        q.ANNOTATION_COUNT_BY_PROJECT, project_id, kind, after, before, me.id, me.is_admin
    )
    return int(found)


T = TypeVar("T", c.AlgoAnnotation, c.ReviewedAnnotation)


@dataclass(frozen=True)
class KindStore(Generic[T]):
    """Reads and plain writes of one kind: its JSON view's statements decide the contract."""

    kind: Kind
    contract: type[T]
    get_query: Callable[[], str]
    """``$1 annotation_id`` -> obj, project_id, user_id, image_id (and kind-specific columns);
    read when it runs, like every statement (``queries.use_overrides`` may replace it)."""
    list_query: Callable[[], str]
    """``$1 user_id, $2 bypass, $3 limit, $4 offset`` -> size, items."""

    async def row(self, conn: asyncpg.Connection, annotation_id: int) -> asyncpg.Record:
        """The annotation JSON with what permission checks need; NotFound when absent."""
        row = await conn.fetchrow(self.get_query(), annotation_id)
        if row is None:
            raise NotFound(CLASS_NAMES[self.kind], annotation_id)
        return row

    async def fetch(self, conn: asyncpg.Connection, annotation_id: int) -> T:
        """One annotation of this kind, without an access check."""
        return decode.one((await self.row(conn, annotation_id))["obj"], self.contract)

    async def get(self, conn: asyncpg.Connection, me: Principal, annotation_id: int) -> T:
        """One annotation of this kind whose project the caller reads."""
        row = await self.row(conn, annotation_id)
        await acl.readable(conn, me, row["project_id"])
        return decode.one(row["obj"], self.contract)

    async def list_visible(
        self, conn: asyncpg.Connection, me: Principal, max_: int, offset: int
    ) -> Page[T]:
        """Annotations of this kind in every project the caller reads, newest first."""
        row = await conn.fetchrow(self.list_query(), me.id, me.is_admin, max_ or None, offset)
        assert row is not None
        items = decode.many(row["items"], self.contract)
        return page(items, size=int(row["size"]), offset=offset, max_=max_)

    async def recorded(
        self, conn: asyncpg.Connection, me: Principal, annotation_id: int, action: Action
    ) -> tuple[T, int]:
        """The annotation as stored now and the command recording ``action`` on it."""
        obj = await self.fetch(conn, annotation_id)
        command = await record(conn, user_id=me.id, action=action, obj=obj, project_id=obj.project)
        return obj, command

    async def change(
        self, conn: asyncpg.Connection, me: Principal, current: asyncpg.Record, body: AnnotationBody
    ) -> tuple[T, int]:
        """Change location, slice or terms of an annotation (``current``: its checked row)."""
        old = decode.one(current["obj"], self.contract)
        row = await prepared_one(conn, me, merged(body, old.image, old.location, old.slice))
        async with conn.transaction():
            await rewrite(conn, old.id, row, body, me.id)
            return await self.recorded(conn, me, old.id, "EDIT")

    async def remove(
        self, conn: asyncpg.Connection, me: Principal, current: asyncpg.Record
    ) -> tuple[T, int]:
        """Delete an annotation (``current``: its checked row); answer it as it was."""
        obj = decode.one(current["obj"], self.contract)
        async with conn.transaction():
            await delete_row(conn, q.ANNOTATION_DELETE, obj.id, kind="Annotation")
            command = await record(
                conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
            )
        return obj, command


__all__ = [
    "CLASS_NAMES",
    "Kind",
    "KindStore",
    "Located",
    "count_readable",
    "insert",
    "locate",
    "merged",
    "prepared_one",
    "rewrite",
]
