"""Statistics of the annotation tables, gathered at once after their first bulk load.

While a table has no statistics PostgreSQL plans with default estimates; autovacuum analyzes
it a minute or so after a large load. Until then an equality on an annotation id is taken to
match 0.5% of the table, and statements that find annotations by id were planned as scans of
the whole table: at 150k rows a term added to an annotation took 57 ms instead of 2, a short
array from the official client 54 ms instead of 6. A bulk write that leaves the table without
statistics (the first large import of a database) analyzes the annotation tables itself; an
analyzed table keeps its estimates as it grows (a unique id stays unique).
"""

from __future__ import annotations

import asyncpg

from server.db import queries as q


async def analyze_if_missing(conn: asyncpg.Connection) -> bool:
    """Analyze the annotation tables when the planner has no statistics for them (outside a
    transaction: after the write's commit); whether it did."""
    if not await conn.fetchval(q.ANNOTATION_STATISTICS_MISSING):
        return False
    await conn.execute(q.ANNOTATION_ANALYZE)
    return True


__all__ = ["analyze_if_missing"]
