"""Every statement the server ships is valid against the migrated schema (PREPARE each)."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from server.db import queries

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def _statements() -> dict[str, str]:
    """Every ``.sql`` file under ``sql/`` (subfolders too), by its path from there."""
    return {
        str(path.relative_to(queries.SQL_DIR)): path.read_text(encoding="utf-8")
        for path in sorted(queries.SQL_DIR.rglob("*.sql"))
    }


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
