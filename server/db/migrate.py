"""Bring a database to the current schema: tables, then views and functions.

Two kinds of files do it. The numbered ``migrations/NNNN_*.sql`` files change tables and data;
each applies once, tracked in ``schema_migrations``. The repeatable layer, ``repeatable/``,
holds the current text of every view and SQL function, one per file in the order they must be
created (see its README); it is re-created whenever its files or the tables under it changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import asyncpg

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
REPEATABLE = Path(__file__).resolve().parent / "repeatable"
# Any constant works; it only has to be the same for every process that migrates.
_LOCK_KEY = 0x1A_311A

LAYER_SINCE = 38
"""First migration number written after the repeatable layer.

Migrations before it define views and functions themselves (older databases ran them that
way); the layer then replaces those definitions. From this number on, a migration creates no
view and no function, and runs with the views dropped, so it may change any column a view reads.
"""

# Views of the current schema, except those an extension owns (PostGIS's geometry_columns).
_VIEWS = """
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND n.nspname = current_schema()
    AND NOT EXISTS (
        SELECT FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    )
ORDER BY 1
"""


def migration_files() -> list[Path]:
    """Migration files in the order they apply."""
    return sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def layer_files() -> list[Path]:
    """Files of the repeatable layer, in the order they are created."""
    return sorted(REPEATABLE.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def layer_checksum() -> str:
    """Digest of the layer's file names and texts: a change of either re-creates the layer."""
    digest = hashlib.sha256()
    for path in layer_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _number(path: Path) -> int:
    return int(path.name[:4])


async def drop_views(conn: asyncpg.Connection) -> None:
    """Drop every view of the schema in one statement.

    All at once, so dependencies between views do not matter, and without CASCADE: anything
    else that depends on a view (a function returning its row type, say) makes this fail
    instead of vanishing with it.
    """
    views = [r[0] for r in await conn.fetch(_VIEWS)]
    if views:
        await conn.execute(f"DROP VIEW {', '.join(views)}")


async def create_layer(conn: asyncpg.Connection) -> None:
    """Run the layer's files in order and record their checksum (views must be dropped).

    Functions are replaced in place (``CREATE OR REPLACE``), never dropped: triggers and column
    defaults refer to them, and a dropped function would take those along.
    """
    for path in layer_files():
        await conn.execute(path.read_text(encoding="utf-8"))
    await conn.execute("DELETE FROM schema_repeatable")
    await conn.execute("INSERT INTO schema_repeatable (checksum) VALUES ($1)", layer_checksum())


async def apply_layer(conn: asyncpg.Connection) -> None:
    """Drop the views and re-create the whole layer in one transaction."""
    async with conn.transaction():
        await drop_views(conn)
        await create_layer(conn)


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply pending migrations, then the layer, under an advisory lock.

    Returns the names of the migrations applied. Older migrations apply one transaction each;
    the newer ones (from ``LAYER_SINCE``) and the layer share one transaction with the views
    dropped, so a failure leaves the previous views and tables in place. The layer is left
    alone when nothing changed: re-creating it locks every view against the running servers.
    """
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
        )
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_repeatable ("
            " checksum text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        pending = [path for path in migration_files() if path.name not in done]
        for path in pending:
            if _number(path) >= LAYER_SINCE:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text(encoding="utf-8"))
                await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", path.name)
            applied_now.append(path.name)
        newer = [path for path in pending if _number(path) >= LAYER_SINCE]
        current = await conn.fetchval("SELECT checksum FROM schema_repeatable")
        if newer or applied_now or current != layer_checksum():
            async with conn.transaction():
                await drop_views(conn)
                for path in newer:
                    await conn.execute(path.read_text(encoding="utf-8"))
                    await conn.execute(
                        "INSERT INTO schema_migrations (name) VALUES ($1)", path.name
                    )
                    applied_now.append(path.name)
                await create_layer(conn)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now


async def migrate_url(url: str) -> list[str]:
    """Connect to ``url`` and migrate it."""
    conn = await asyncpg.connect(url)
    try:
        return await migrate(conn)
    finally:
        await conn.close()


__all__ = [
    "LAYER_SINCE",
    "apply_layer",
    "drop_views",
    "layer_checksum",
    "layer_files",
    "migrate",
    "migrate_url",
    "migration_files",
]
