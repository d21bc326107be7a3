"""The safety net of the kept term group: annotations whose annotation.terms_listed is kept
(not NULL) but differs from what annotation_terms_listed computes now."""

from __future__ import annotations

import asyncpg

STALE = """
SELECT array_agg(id ORDER BY id) FROM annotation
WHERE terms_listed IS NOT NULL AND terms_listed IS DISTINCT FROM annotation_terms_listed(id)
"""


async def stale_terms_listed(url: str) -> list[int]:
    """Ids of the annotations of this database whose kept term group is stale."""
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetchval(STALE) or [])
    finally:
        await conn.close()
