"""The repeatable layer (``server/db/repeatable``): every view and function, re-created by migrate.

A database migrated from scratch, one where the layer was applied again, and one an older
version of Lamina migrated before the layer existed all end with the same catalog.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from server.db import migrate as m

_CREATE = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:RECURSIVE\s+)?"
    r"(VIEW|FUNCTION|PROCEDURE)\b",
    re.IGNORECASE,
)
_HEAD = re.compile(r"^CREATE (VIEW|OR REPLACE FUNCTION) ([a-z_0-9]+)\b", re.MULTILINE)

_NOT_EXTENSION = "NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.objid = {oid} AND d.deptype = 'e')"
# The catalog of what the layer makes (PostGIS's own left out), and of the triggers calling it.
_CATALOG = {
    "view": "SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition FROM pg_class AS c"
    " WHERE c.relkind = 'v' AND c.relnamespace = current_schema()::regnamespace AND "
    + _NOT_EXTENSION.format(oid="c.oid"),
    "function": "SELECT p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS definition"
    " FROM pg_proc AS p WHERE p.pronamespace = current_schema()::regnamespace AND "
    + _NOT_EXTENSION.format(oid="p.oid"),
    "trigger": "SELECT t.tgname || ' ON ' || t.tgrelid::regclass AS name,"
    " pg_get_triggerdef(t.oid) AS definition FROM pg_trigger AS t WHERE NOT t.tgisinternal",
}


def _code(text: str) -> str:
    """SQL text without its ``--`` comments."""
    return re.sub(r"--[^\n]*", "", text)


def _layer_objects() -> dict[str, str]:
    """Object name -> ``VIEW`` or ``FUNCTION``, from the layer's files."""
    objects = {}
    for path in m.layer_files():
        heads = _HEAD.findall(_code(path.read_text(encoding="utf-8")))
        assert len(heads) == 1, path.name
        kind, name = heads[0]
        objects[name] = "VIEW" if kind == "VIEW" else "FUNCTION"
    return objects


async def _catalog(conn: asyncpg.Connection) -> dict[str, dict[str, str]]:
    """Kind -> name -> definition."""
    return {
        kind: {r["name"]: r["definition"] for r in await conn.fetch(query)}
        for kind, query in _CATALOG.items()
    }


def test_each_layer_file_creates_the_object_it_is_named_after() -> None:
    numbers = [path.name[:4] for path in m.layer_files()]
    assert len(numbers) == len(set(numbers)), "two layer files share a number"
    for path in m.layer_files():
        text = _code(path.read_text(encoding="utf-8"))
        assert len(_CREATE.findall(text)) == 1, f"{path.name}: one view or function per file"
        heads = _HEAD.findall(text)
        assert heads, f"{path.name}: starts with CREATE VIEW or CREATE OR REPLACE FUNCTION"
        assert path.stem[5:] == heads[0][1], f"{path.name} creates {heads[0][1]}"


def _defines_code_objects(path: Path) -> list[str]:
    return _CREATE.findall(_code(path.read_text(encoding="utf-8")))


def test_no_migration_after_the_layer_defines_a_view_or_function() -> None:
    """New views and functions, and new versions of old ones, go to the repeatable layer."""
    newer = [p for p in m.migration_files() if int(p.name[:4]) >= m.LAYER_SINCE]
    offending = {p.name: found for p in newer if (found := _defines_code_objects(p))}
    assert offending == {}
    # The check does see definitions: the older migrations it leaves alone have them.
    older = [p for p in m.migration_files() if int(p.name[:4]) < m.LAYER_SINCE]
    assert _defines_code_objects(next(p for p in older if p.name.startswith("0021_")))


@pytest.mark.anyio
@pytest.mark.pg
async def test_the_layer_holds_every_view_and_function(db: asyncpg.Connection) -> None:
    catalog = await _catalog(db)
    views = set(catalog["view"])
    functions = {name.split("(")[0] for name in catalog["function"]}
    assert len(functions) == len(catalog["function"]), "an overloaded function name"
    objects = _layer_objects()
    assert views == {n for n, kind in objects.items() if kind == "VIEW"}
    assert functions == {n for n, kind in objects.items() if kind == "FUNCTION"}


@pytest.mark.anyio
@pytest.mark.pg
async def test_applying_the_layer_again_changes_nothing(db: asyncpg.Connection) -> None:
    fresh = await _catalog(db)
    await m.apply_layer(db)
    await m.apply_layer(db)
    assert await _catalog(db) == fresh
    assert await db.fetchval("SELECT checksum FROM schema_repeatable") == m.layer_checksum()


async def _view_oids(conn: asyncpg.Connection) -> dict[str, int]:
    """The layer's views, by name, with their object ids (a re-created view gets a new one)."""
    rows = await conn.fetch(
        "SELECT c.relname, c.oid FROM pg_class AS c WHERE c.relkind = 'v'"
        " AND c.relnamespace = current_schema()::regnamespace AND "
        + _NOT_EXTENSION.format(oid="c.oid")
    )
    return {r["relname"]: r["oid"] for r in rows}


@pytest.mark.anyio
@pytest.mark.pg
async def test_migrate_recreates_the_layer_only_when_it_changed(db: asyncpg.Connection) -> None:
    before = await _view_oids(db)
    assert await m.migrate(db) == []
    assert await _view_oids(db) == before, "an unchanged layer is left alone"

    await db.execute("UPDATE schema_repeatable SET checksum = 'older'")
    assert await m.migrate(db) == []
    after = await _view_oids(db)
    assert set(after) == set(before)
    assert not set(after.values()) & set(before.values()), "every view was re-created"
    assert await db.fetchval("SELECT checksum FROM schema_repeatable") == m.layer_checksum()


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


@pytest.fixture
async def empty_database(pg_server: str) -> AsyncIterator[asyncpg.Connection]:
    """A database with no schema at all (not cloned from the migrated template)."""
    name = "lamina_layer_upgrade"
    admin = await asyncpg.connect(pg_server)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.execute(f"CREATE DATABASE {name}")
        conn = await asyncpg.connect(_with_db(pg_server, name))
        try:
            yield conn
        finally:
            await conn.close()
        await admin.execute(f"DROP DATABASE {name}")
    finally:
        await admin.close()


async def _migrate_as_before_the_layer(conn: asyncpg.Connection, until: int) -> None:
    """What the migrate of a version without the layer did: each numbered file, no layer."""
    await conn.execute(
        "CREATE TABLE schema_migrations ("
        " name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
    )
    for path in m.migration_files():
        if int(path.name[:4]) > until:
            break
        async with conn.transaction():
            await conn.execute(path.read_text(encoding="utf-8"))
            await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", path.name)


@pytest.mark.anyio
@pytest.mark.pg
@pytest.mark.parametrize("until", [21, m.LAYER_SINCE - 1])
async def test_a_database_of_an_older_version_migrates_to_the_fresh_state(
    db: asyncpg.Connection, empty_database: asyncpg.Connection, until: int
) -> None:
    await _migrate_as_before_the_layer(empty_database, until)
    await m.migrate(empty_database)
    assert await _catalog(empty_database) == await _catalog(db)


@pytest.fixture
def extra_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrations folder of the shipped files, to which a test adds a newer one."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in m.migration_files():
        shutil.copy(path, folder / path.name)
    monkeypatch.setattr(m, "MIGRATIONS", folder)
    return folder / f"{m.LAYER_SINCE + 900:04d}_test.sql"


@pytest.mark.anyio
@pytest.mark.pg
async def test_a_newer_migration_may_change_a_column_a_view_reads(
    db: asyncpg.Connection, extra_migration: Path
) -> None:
    # With the views in place PostgreSQL refuses this ("used by a view or rule").
    extra_migration.write_text("ALTER TABLE term ALTER COLUMN comment TYPE varchar(4000);\n")
    assert await m.migrate(db) == [extra_migration.name]
    assert (
        await db.fetchval(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'api_term'::regclass AND attname = 'comment'"
        )
        == "character varying(4000)"
    )


@pytest.mark.anyio
@pytest.mark.pg
async def test_a_failed_newer_migration_leaves_the_views_and_tables(
    db: asyncpg.Connection, extra_migration: Path
) -> None:
    before = await _view_oids(db)
    extra_migration.write_text("ALTER TABLE term ADD COLUMN extra integer;\nSELECT 1 / 0;\n")
    with pytest.raises(asyncpg.DivisionByZeroError):
        await m.migrate(db)
    assert await _view_oids(db) == before
    assert not await db.fetchval(
        "SELECT EXISTS (SELECT FROM schema_migrations WHERE name = $1)", extra_migration.name
    )
    assert not await db.fetchval(
        "SELECT EXISTS (SELECT FROM pg_attribute"
        " WHERE attrelid = 'term'::regclass AND attname = 'extra')"
    )


@pytest.mark.anyio
@pytest.mark.pg
async def test_an_object_depending_on_a_view_stops_the_layer_instead_of_vanishing(
    db: asyncpg.Connection,
) -> None:
    await db.execute(
        "CREATE FUNCTION terms_of_test() RETURNS SETOF api_term"
        " LANGUAGE sql AS $$ SELECT * FROM api_term $$"
    )
    await db.execute("UPDATE schema_repeatable SET checksum = 'older'")
    before = await _view_oids(db)
    with pytest.raises(asyncpg.DependentObjectsStillExistError):
        await m.migrate(db)
    assert await db.fetchval("SELECT to_regprocedure('terms_of_test()') IS NOT NULL")
    assert await _view_oids(db) == before
