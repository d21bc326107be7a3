"""Every statement the server ships is valid against the migrated schema (PREPARE each)."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from server.db import annotation_list_sql, queries

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


FRAGMENTS = queries.SQL_DIR / "annotation_list"
"""Pieces of the listing statements, prepared as the statements composed from them."""


def _statements() -> dict[str, str]:
    """Every ``.sql`` file under ``sql/`` (subfolders too), by its path from there, and the
    listing statements composed from the fragments of ``sql/annotation_list/``."""
    files = {
        str(path.relative_to(queries.SQL_DIR)): path.read_text(encoding="utf-8")
        for path in sorted(queries.SQL_DIR.rglob("*.sql"))
        if FRAGMENTS not in path.parents
    }
    composed = {
        f"{statement.name} (composed)": statement.text
        for statement in (*annotation_list_sql.STATEMENTS, annotation_list_sql.ANNOTATION_LIST_REFS)
    }
    return files | composed


def test_every_statement_file_is_found() -> None:
    """The walk sees the files the server loads, so a statement cannot escape the check."""
    files = {Path(name).with_suffix("").as_posix() for name in _statements()}
    assert set(queries._DEFAULTS) <= files


async def test_every_statement_prepares_against_the_migrated_schema(
    db: asyncpg.Connection,
) -> None:
    failed = {}
    for name, text in _statements().items():
        try:
            await db.prepare(text)
        except asyncpg.PostgresError as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
    assert failed == {}
