"""Jobs made directly in the database, for the tests of what runs them and what they keep."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from server.settings import Settings


class MadeJob(msgspec.Struct, frozen=True, kw_only=True):
    """A job, its software and the account (user job) it runs as, with its keys."""

    job: int
    software: int
    user_job: int
    public_key: str
    private_key: str


async def make_software(
    db: asyncpg.Connection, command: str | None = "run", name: str | None = None
) -> int:
    """A software with that execute command (and a name of its own by default)."""
    sql = "INSERT INTO software (name, execute_command) VALUES ($1, $2) RETURNING id"
    return int(await db.fetchval(sql, name or f"Algo {secrets.token_hex(4)}", command))


async def make_job(
    db: asyncpg.Connection, project: int, launcher: int, software: int | None = None
) -> MadeJob:
    """A job of ``software`` (a new one by default) in ``project``, launched by ``launcher``."""
    if software is None:
        software = await make_software(db)
    sql = "INSERT INTO job (project_id, software_id) VALUES ($1, $2) RETURNING id"
    job = int(await db.fetchval(sql, project, software))
    user_job = int(await db.fetchval("SELECT user_job_create($1, $2)", job, launcher))
    keys = await db.fetchrow("SELECT public_key, private_key FROM sec_user WHERE id = $1", user_job)
    assert keys is not None
    return MadeJob(
        job=job,
        software=software,
        user_job=user_job,
        public_key=keys["public_key"],
        private_key=keys["private_key"],
    )


def job_settings(database_url: str, storage_root: Path, **extra: Any) -> Settings:
    """Test settings with files under ``storage_root`` and no runner unless asked."""
    return Settings(
        database_url=database_url,
        auth_cache_seconds=0.0,
        storage_dir=str(storage_root),
        **{"runner": False, **extra},
    )


__all__ = ["MadeJob", "job_settings", "make_job", "make_software"]
