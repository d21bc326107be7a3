"""The listing's term group kept on the annotation row (``annotation.terms_listed``).

Every change of term links relists the annotations it touched with ``relist``, in the
change's transaction, after it: the one way the Python side keeps the column (the
repeatable layer's ``removed_cascade``, ``user_job_removed`` and ``annotation_bulk_term``
call the same ``annotation_terms_relist``). NULL means "not kept": the listing computes the
group then, so a path that leaves it NULL is slower, never wrong.

One exception: new user annotations carry their group when they are written (``group``),
their links' ids drawn beforehand with theirs: the INSERT of one POST and of short arrays
(``new_groups``), and the binary COPY of large arrays and imports
(``annotation_copy.encode_annotations``). Rewriting rows just inserted cost as much as
inserting them (no room for a HOT update on a freshly filled page: every index is written
again). The text is the one ``annotation_terms_listed`` gives for such a row (each term once,
every link by the owner); the test suite's check after every test compares each kept group
with it.

Rows written before the column existed (a database upgraded from an older version) are NULL
until a background pass gives them their group in short batches (``relist_step``, run by
``server.db.terms_relist`` at each server start).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import asyncpg

from server.db import queries as q


async def relist(conn: asyncpg.Connection, annotation_ids: Iterable[int]) -> None:
    """Recompute the kept term group of these annotations (absent ones are skipped)."""
    ids = list(dict.fromkeys(annotation_ids))
    if ids:
        await conn.execute(q.ANNOTATION_TERMS_RELIST, ids)


class RelistStep(NamedTuple):
    """What one batch of the background relist did."""

    after_id: int
    """Where the next batch starts (every row up to it has been looked at)."""
    examined: int
    """Rows looked at (0: nothing is left up to the pass's last id)."""
    relisted: int
    """Rows whose NULL group was written."""


async def last_id(conn: asyncpg.Connection) -> int:
    """The highest annotation id now (0: none): where a relist pass ends."""
    return int(await conn.fetchval(q.ANNOTATION_ID_LAST))


async def relist_step(conn: asyncpg.Connection, until: int, batch: int) -> RelistStep | None:
    """Give the next ``batch`` annotations after the kept progress (up to id ``until``) whose
    group is NULL their group, and move the progress past them, in one transaction.

    None: another session is in a batch (it holds the progress row), and nothing was done.
    """
    async with conn.transaction():
        after = await conn.fetchval(q.ANNOTATION_TERMS_RELIST_CLAIM)
        if after is None:
            return None
        row = await conn.fetchrow(q.ANNOTATION_TERMS_RELIST_BATCH, after, until, batch)
        assert row is not None  # an aggregate row, always one
        if row["after_id"] != after:
            await conn.execute(q.ANNOTATION_TERMS_RELIST_ADVANCE, row["after_id"])
    return RelistStep(int(row["after_id"]), int(row["examined"]), int(row["relisted"]))


def new_groups(
    pairs: Sequence[tuple[int, int]], link_ids: Sequence[int], ids: Sequence[int], owner: int
) -> list[str]:
    """The term group of each new user annotation ``ids`` (in order) whose links by ``owner``
    are ``pairs`` (annotation, term; each term once per annotation) with ids ``link_ids``."""
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (annotation_id, term), link in zip(pairs, link_ids, strict=True):
        links[annotation_id].append((term, link))
    return [group(sorted(links.get(i, ())), owner).decode() for i in ids]


_NONE = b',"term":[],"userByTerm":[]'
_ONE = b',"term":[%d],"userByTerm":[{"id":%d,"term":%d,"user":[%d]}]'
_LINK = b'{"id":%d,"term":%d,"user":[%d]}'


def group(links: Sequence[tuple[int, int]], owner: int) -> bytes:
    """The term group (UTF-8) of a new user annotation of ``owner`` whose links, all by
    ``owner``, are ``links`` (term, link id), sorted. Written by the bulk COPY for every row:
    kept cheap."""
    if not links:
        return _NONE
    if len(links) == 1:
        ((term, link),) = links
        return _ONE % (term, link, term, owner)
    terms = b",".join(b"%d" % term for term, _ in links)
    by_term = b",".join(_LINK % (link, term, owner) for term, link in links)
    return b',"term":[%s],"userByTerm":[%s]' % (terms, by_term)
