"""The listing's term group kept on the annotation row (``annotation.terms_listed``).

Every change of term links relists the annotations it touched with ``relist``, in the
change's transaction, after it: the one way the Python side keeps the column (the
repeatable layer's ``removed_cascade`` and ``user_job_removed`` call the same
``annotation_terms_relist``). NULL means "not kept": the listing computes the group then, so
a path that leaves it NULL (the bulk binary COPY) is slower, never wrong.

One exception, for the hottest write: new user annotations created by INSERT (one POST, the
official client's short arrays) carry their group in the INSERT itself (``new_groups``),
their links' ids drawn beforehand. Rewriting rows just inserted cost as much as inserting
them (no room for a HOT update on a freshly filled page: every index is written again). The
text is the one ``annotation_terms_listed`` gives for such a row (each term once, every link
by the owner); the test suite's check after every test compares each kept group with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import asyncpg

from server.db import queries as q


async def relist(conn: asyncpg.Connection, annotation_ids: Iterable[int]) -> None:
    """Recompute the kept term group of these annotations (absent ones are skipped)."""
    ids = list(dict.fromkeys(annotation_ids))
    if ids:
        await conn.execute(q.ANNOTATION_TERMS_RELIST, ids)


def new_groups(
    pairs: Sequence[tuple[int, int]], link_ids: Sequence[int], ids: Sequence[int], owner: int
) -> list[str]:
    """The term group of each new user annotation ``ids`` (in order) whose links by ``owner``
    are ``pairs`` (annotation, term; each term once per annotation) with ids ``link_ids``."""
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (annotation_id, term), link in zip(pairs, link_ids, strict=True):
        links[annotation_id].append((term, link))
    return [_group(sorted(links.get(i, ())), owner) for i in ids]


def _group(links: list[tuple[int, int]], owner: int) -> str:
    terms = ",".join(str(term) for term, _ in links)
    by_term = ",".join(f'{{"id":{link},"term":{term},"user":[{owner}]}}' for term, link in links)
    return f',"term":[{terms}],"userByTerm":[{by_term}]'
