"""``lamina worker``: a separate process runs queued jobs; when it dies mid-run (kill -9), its
job ends FAILED once another runner looks, its output is kept and its process does not
outlive it."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.job_helpers import job_settings, make_job, make_software
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path) -> Settings:
    return job_settings(database_url, storage_root)


class Workers:
    """Starts ``lamina worker`` processes over the test database; stops what is left."""

    def __init__(self, database_url: str, storage_root: Path, runs: Path) -> None:
        self.env = {
            **os.environ,
            "LAMINA_STORAGE_DIR": str(storage_root),
            "LAMINA_RUNNER_DIR": str(runs),
            "LAMINA_RUNNER_POLL_SECONDS": "0.2",
            "LAMINA_PUBLIC_URL": "http://lamina.test",
        }
        self.url = database_url
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "server.cli", "--database-url", self.url, "worker"]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def workers(database_url: str, storage_root: Path, tmp_path: Path) -> Iterator[Workers]:
    made = Workers(database_url, storage_root, tmp_path / "runs")
    try:
        yield made
    finally:
        made.stop()


async def _wait(db: asyncpg.Connection, sql: str, *args: object, limit: float = 60) -> object:
    with anyio.fail_after(limit):
        while (value := await db.fetchval(sql, *args)) is None:
            await anyio.sleep(0.1)
    return value


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_job_of_a_worker_killed_mid_run_ends_failed_with_its_output(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    workers: Workers,
    storage_root: Path,
    tmp_path: Path,
) -> None:
    pid_file = tmp_path / "pid"
    code = (
        "import os, time, pathlib; print('working', flush=True);"
        f" pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid())); time.sleep(120)"
    )
    project = await make_project(client, alice)
    software = await make_software(db, f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}")
    made = await make_job(db, project["id"], alice.id, software)
    r = await client.post(f"/api/job/{made.job}/execute.json", auth=auth(alice))
    assert r.json()["status"] == 1
    worker = workers.start()
    runner = await _wait(
        db, "SELECT runner FROM job_run WHERE job_id = $1 AND started IS NOT NULL", made.job
    )
    assert str(runner).endswith(f":{worker.pid}")
    child = int(await anyio.to_thread.run_sync(_read_when_written, pid_file))
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    with anyio.fail_after(10):
        while _alive(child):
            await anyio.sleep(0.1)
    workers.start()
    status = await _wait(db, "SELECT status FROM job WHERE id = $1 AND status <> 2", made.job)
    assert status == 4
    comment = await db.fetchval("SELECT status_comment FROM job WHERE id = $1", made.job)
    assert comment == f"The runner running the job stopped ({runner})"
    path = await _wait(
        db, "SELECT path FROM job_data WHERE job_id = $1 AND key = 'stdout'", made.job, limit=10
    )
    assert (storage_root / str(path)).read_text() == "working\n"


def _read_when_written(path: Path) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")
