"""The safety net of the kept term group: annotations whose annotation.terms_listed is kept
(not NULL) but differs from what annotation_terms_listed computes now."""

from __future__ import annotations

import asyncpg

STALE = """
SELECT array_agg(a.id ORDER BY a.id)
FROM annotation AS a
CROSS JOIN LATERAL annotation_terms_listed(a.id, a.kind, a.user_id) AS l (listed)
WHERE a.terms_listed IS NOT NULL AND a.terms_listed IS DISTINCT FROM l.listed
"""


async def stale_terms_listed(url: str) -> list[int]:
    """Ids of the annotations of this database whose kept term group is stale."""
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetchval(STALE) or [])
    finally:
        await conn.close()
