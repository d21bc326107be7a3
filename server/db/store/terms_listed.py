"""The listing's term group kept on the annotation row (``annotation.terms_listed``).

Every change of term links relists the annotations it touched with ``relist``, in the
change's transaction, after it: the one way the Python side keeps the column (the
repeatable layer's ``removed_cascade`` and ``user_job_removed`` call the same
``annotation_terms_relist``). NULL means "not kept": the listing computes the group then, so
a path that leaves it NULL (the bulk binary COPY) is slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from server.db import queries as q


async def relist(conn: asyncpg.Connection, annotation_ids: Iterable[int]) -> None:
    """Recompute the kept term group of these annotations (absent ones are skipped)."""
    ids = list(dict.fromkeys(annotation_ids))
    if ids:
        await conn.execute(q.ANNOTATION_TERMS_RELIST, ids)
