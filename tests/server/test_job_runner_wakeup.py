"""A queued job wakes the runners at once: the poll interval is only the fallback."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import anyio
import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.job_helpers import job_settings, make_job, make_software
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return job_settings(
        database_url,
        tmp_path / "files",
        runner=True,
        runner_poll_seconds=60.0,
        runner_dir=str(tmp_path / "runs"),
    )


async def test_executing_a_job_wakes_an_idle_runner(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    software = await make_software(db, f"{shlex.quote(sys.executable)} -c pass")
    made = await make_job(db, project["id"], alice.id, software)
    await anyio.sleep(1)  # the runner's first round is over: it now waits for its poll
    r = await client.post(f"/api/job/{made.job}/execute.json", auth=auth(alice))
    assert_status(r, 200)
    with anyio.fail_after(20):
        while await db.fetchval("SELECT status FROM job WHERE id = $1", made.job) != 3:
            await anyio.sleep(0.1)
