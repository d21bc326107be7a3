"""The official cytomine-python-client 2.4.1 runs jobs: its models and a CytomineJob run."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import make_image
from tests.server.project_helpers import make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "jobs24.py"


async def test_python_client_24_creates_updates_lists_and_deletes_jobs(
    live_server: str,
    client: AsyncTestClient,
    db: asyncpg.Connection,
    admin: NewAccount,
    client_python_24: Path,
) -> None:
    project = await make_project(client, admin)
    image, _ = await make_image(db, project["id"], admin.id)
    command = [str(client_python_24), str(DRIVER), live_server, admin.public_key]
    done = subprocess.run(
        [*command, admin.private_key, str(project["id"]), str(image)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The client logs to stdout (the refused status change among them); the summary is last.
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "created": [0, 1, 0, True],
        "parameters": [["threshold", "0.7"]],
        "running": [2, 50, "Half way"],
        "terminated": [3, 100],
        "rerun_refused": True,
        "listed": [[True, 3]],
        "user_job": [True, True, True],
        "user_jobs": [True],
        "deleted": True,
        "after_delete": [],
        "run_algo": [True, True],
        "annotation": [True, True],
        "run_done": [3, [["threshold", "0.25"]]],
        "by_job_filter": True,
    }
