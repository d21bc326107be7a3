"""Prepare the Citus cluster of the compose ``citus`` profile (docs/scale-out.md).

Joins the workers to the coordinator, applies Lamina's migrations on the coordinator, then
runs distribute.sql once. Safe to run again: each step is skipped when already done.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg

from server.db.migrate import migrate_url

WORKERS = ("citus-worker-1", "citus-worker-2")
COORDINATOR = "citus-coordinator"


async def main() -> None:
    """Add the nodes, migrate, distribute."""
    url = os.environ["LAMINA_DATABASE_URL"]
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
        await conn.execute("SELECT citus_set_coordinator_host($1, 5432)", COORDINATOR)
        for worker in WORKERS:
            await conn.execute("SELECT citus_add_node($1, 5432)", worker)
    finally:
        await conn.close()
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        done = await conn.fetchval(
            "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'annotation'::regclass"
        )
        if not done:
            await conn.execute((Path(__file__).parent / "distribute.sql").read_text())
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
