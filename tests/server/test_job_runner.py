"""The job runner: queued jobs run as child processes and end in the right state.

The server's own runner runs them here (``runner=True``), polling every 0.2 s; the commands
are small Python programs run by this interpreter.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.job_helpers import MadeJob, job_settings, make_job, make_software
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

PYTHON = shlex.quote(sys.executable)
TIMEOUT = 4.0


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path, tmp_path: Path) -> Settings:
    return job_settings(
        database_url,
        storage_root,
        public_url="http://lamina.test",
        runner=True,
        runner_concurrency=1,
        runner_poll_seconds=0.2,
        runner_timeout_seconds=TIMEOUT,
        runner_dir=str(tmp_path / "runs"),
        job_data_max_bytes=10_000,
    )


class Ended(msgspec.Struct, kw_only=True):
    """A job's final state and the outputs it kept, by key."""

    status: int
    comment: str | None
    progress: int
    outputs: dict[str, str]


def _program(code: str) -> str:
    return f"{PYTHON} -c {shlex.quote(code)}"


async def _job(
    client: AsyncTestClient, db: asyncpg.Connection, owner: NewAccount, command: str
) -> MadeJob:
    project = await make_project(client, owner, name=f"P {time.monotonic_ns()}")
    software = await make_software(db, command)
    return await make_job(db, project["id"], owner.id, software)


async def _execute(client: AsyncTestClient, owner: NewAccount, job: int) -> dict[str, Any]:
    r = await client.post(f"/api/job/{job}/execute.json", auth=auth(owner))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def _status(db: asyncpg.Connection, job: int) -> int:
    return int(await db.fetchval("SELECT status FROM job WHERE id = $1", job))


async def _wait_status(db: asyncpg.Connection, job: int, wanted: set[int], limit: float) -> int:
    with anyio.fail_after(limit):
        while (status := await _status(db, job)) not in wanted:
            await anyio.sleep(0.1)
    return status


async def _ended(db: asyncpg.Connection, job: int, storage_root: Path) -> Ended:
    """Wait until the run is over (its queue row gone), then read the job and its outputs."""
    with anyio.fail_after(TIMEOUT + 20):
        while await db.fetchval("SELECT count(*) FROM job_run WHERE job_id = $1", job):
            await anyio.sleep(0.1)
    row = await db.fetchrow("SELECT status, status_comment, progress FROM job WHERE id = $1", job)
    assert row is not None
    kept = await db.fetch("SELECT key, path FROM job_data WHERE job_id = $1", job)
    outputs = {r["key"]: (storage_root / r["path"]).read_text() for r in kept}
    return Ended(
        status=row["status"],
        comment=row["status_comment"],
        progress=row["progress"],
        outputs=outputs,
    )


async def test_a_job_that_ends_normally_succeeds_with_its_output_kept(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = "import sys; print('hello'); print('careful', file=sys.stderr)"
    made = await _job(client, db, alice, _program(code))
    answered = await _execute(client, alice, made.job)
    assert answered["status"] == 1
    ended = await _ended(db, made.job, storage_root)
    assert (ended.status, ended.progress) == (3, 100)
    assert ended.outputs == {"stdout": "hello\n", "stderr": "careful\n"}


async def test_the_command_gets_its_values_and_the_job_keys_but_no_server_secrets(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = (
        "import json, os, sys;"
        " print(json.dumps({'argv': sys.argv[1:], 'env': dict(os.environ), 'cwd': os.getcwd()}))"
    )
    made = await _job(client, db, alice, _program(code) + " [RADIUS] [CYTOMINE_HOST]")
    await db.execute(
        "WITH p AS (INSERT INTO software_parameter (software_id, name, type, default_value,"
        " value_key, command_line_flag) VALUES ($1, 'radius', 'Number', '1', '[RADIUS]',"
        " '--radius') RETURNING id)"
        " INSERT INTO job_parameter (job_id, software_parameter_id, value) SELECT $2, id, '7'"
        " FROM p",
        made.software,
        made.job,
    )
    await _execute(client, alice, made.job)
    ended = await _ended(db, made.job, storage_root)
    seen = json.loads(ended.outputs["stdout"])
    assert seen["argv"] == ["--radius", "7", "--cytomine_host", "http://lamina.test"]
    assert seen["env"]["CYTOMINE_PUBLIC_KEY"] == made.public_key
    assert seen["env"]["CYTOMINE_PRIVATE_KEY"] == made.private_key
    assert seen["env"]["CYTOMINE_ID_JOB"] == str(made.job)
    assert not [k for k in seen["env"] if k.startswith("LAMINA_")]
    assert Path(seen["cwd"]).name == "work"
    assert not Path(seen["cwd"]).exists()


async def test_a_crashing_algorithm_fails_with_its_traceback_kept(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    made = await _job(client, db, alice, _program("print('start'); raise SystemExit(3)"))
    await _execute(client, alice, made.job)
    ended = await _ended(db, made.job, storage_root)
    assert ended.status == 4
    assert ended.comment == "The process ended with exit code 3"
    assert ended.outputs["stdout"] == "start\n"


async def test_a_job_past_the_time_limit_fails(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = "import time; print('waiting', flush=True); time.sleep(60)"
    made = await _job(client, db, alice, _program(code))
    await _execute(client, alice, made.job)
    ended = await _ended(db, made.job, storage_root)
    assert ended.status == 4
    assert ended.comment == f"The job passed the time limit of {TIMEOUT:g} s"
    assert ended.outputs["stdout"] == "waiting\n"


async def test_a_running_job_is_killed_on_request(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = "import time; print('waiting', flush=True); time.sleep(60)"
    made = await _job(client, db, alice, _program(code))
    await _execute(client, alice, made.job)
    await _wait_status(db, made.job, {2}, 10)
    r = await client.post(f"/api/job/{made.job}/kill.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    ended = await _ended(db, made.job, storage_root)
    assert (ended.status, ended.comment) == (8, "Killed on request")
    assert "stdout" in ended.outputs


async def test_a_queued_job_waits_for_a_free_slot_and_dies_at_once_when_killed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = "import time; time.sleep(60)"
    first = await _job(client, db, alice, _program(code))
    second = await _job(client, db, alice, _program(code))
    await _execute(client, alice, first.job)
    await _wait_status(db, first.job, {2}, 10)
    await _execute(client, alice, second.job)
    await anyio.sleep(0.6)
    assert await _status(db, second.job) == 1
    killed = await client.post(f"/api/job/{second.job}/kill.json", auth=auth(alice))
    assert killed.json()["status"] == 8
    await client.post(f"/api/job/{first.job}/kill.json", auth=auth(alice))
    assert (await _ended(db, first.job, storage_root)).status == 8


async def test_a_command_that_cannot_start_fails(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    made = await _job(client, db, alice, "no-such-program-anywhere --flag")
    await _execute(client, alice, made.job)
    ended = await _ended(db, made.job, storage_root)
    assert ended.status == 4
    assert ended.comment is not None
    assert ended.comment.startswith("The command could not start")


async def test_executing_a_queued_job_again_changes_nothing_and_a_finished_one_is_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    storage_root: Path,
    tmp_path: Path,
) -> None:
    # The runner's one slot is held by a job waiting for a file, so the job under test stays
    # queued for as long as the test needs (it would otherwise start within the 0.2 s poll).
    go = tmp_path / "go"
    wait = f"import pathlib, time\nwhile not pathlib.Path({str(go)!r}).exists(): time.sleep(0.05)"
    blocker = await _job(client, db, alice, _program(wait))
    await _execute(client, alice, blocker.job)
    await _wait_status(db, blocker.job, {2}, 10)
    made = await _job(client, db, alice, _program("print(1)"))
    await _execute(client, alice, made.job)
    assert await _status(db, made.job) == 1
    again = await client.post(f"/api/job/{made.job}/execute.json", auth=auth(alice))
    assert again.status_code == 200, again.text
    assert await _status(db, made.job) == 1
    go.touch()
    assert (await _ended(db, made.job, storage_root)).status == 3
    assert await db.fetchval("SELECT count(*) FROM job_data WHERE job_id = $1", made.job) == 2
    after = await client.post(f"/api/job/{made.job}/execute.json", auth=auth(alice))
    assert after.status_code == 400
    assert "from SUCCESS to INQUEUE" in after.json()["errors"]["message"]


async def test_a_final_status_reported_while_running_waits_for_the_end_of_the_process(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    storage_root: Path,
    tmp_path: Path,
) -> None:
    go = tmp_path / "go"
    code = f"import pathlib, time\nwhile not pathlib.Path({str(go)!r}).exists(): time.sleep(0.05)"
    made = await _job(client, db, alice, _program(code))
    await _execute(client, alice, made.job)
    await _wait_status(db, made.job, {2}, 10)
    body = {"status": 3, "statusComment": "Done by the algorithm", "progress": 70}
    reported = await client.put(f"/api/job/{made.job}.json", json=body, auth=auth(alice))
    assert reported.status_code == 200, reported.text
    assert reported.json()["job"]["status"] == 2
    go.touch()
    ended = await _ended(db, made.job, storage_root)
    assert (ended.status, ended.comment, ended.progress) == (3, "Done by the algorithm", 100)


async def test_a_failed_job_can_be_executed_again(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    made = await _job(client, db, alice, _program("raise SystemExit(1)"))
    await _execute(client, alice, made.job)
    assert (await _ended(db, made.job, storage_root)).status == 4
    await _execute(client, alice, made.job)
    assert (await _ended(db, made.job, storage_root)).status == 4
    kept = await db.fetchval("SELECT count(*) FROM job_data WHERE job_id = $1", made.job)
    assert kept == 4


async def test_the_run_of_a_runner_that_died_ends_failed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount
) -> None:
    made = await _job(client, db, alice, _program("print(1)"))
    # A run taken by a database session that no longer exists (its backend start is old).
    await db.execute("UPDATE job SET status = 2 WHERE id = $1", made.job)
    await db.execute(
        "INSERT INTO job_run (job_id, started, runner, runner_backend, runner_backend_start)"
        " VALUES ($1, now(), 'elsewhere:1', pg_backend_pid(), '2000-01-01')",
        made.job,
    )
    assert await _wait_status(db, made.job, {4}, 10) == 4
    comment = await db.fetchval("SELECT status_comment FROM job WHERE id = $1", made.job)
    assert comment == "The runner running the job stopped (elsewhere:1)"
    assert await db.fetchval("SELECT count(*) FROM job_run WHERE job_id = $1", made.job) == 0


async def test_a_job_deleted_while_running_stops_its_process(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, tmp_path: Path
) -> None:
    marker = tmp_path / "still-running"
    code = (
        f"import time, pathlib\nwhile True: pathlib.Path({str(marker)!r}).touch(); time.sleep(0.1)"
    )
    made = await _job(client, db, alice, _program(code))
    await _execute(client, alice, made.job)
    await _wait_status(db, made.job, {2}, 10)
    await db.execute("DELETE FROM job WHERE id = $1", made.job)
    with anyio.fail_after(10):
        while list((tmp_path / "runs").iterdir()):
            await anyio.sleep(0.1)
    marker.unlink(missing_ok=True)
    await anyio.sleep(0.5)
    assert not marker.exists()


async def test_the_runner_removes_the_files_of_deleted_job_data(
    client: AsyncTestClient, db: asyncpg.Connection, storage_root: Path
) -> None:
    folder = storage_root / "jobdata" / "7"
    folder.mkdir(parents=True)
    (folder / "left.csv").write_text("left")
    await db.execute("INSERT INTO job_data_file_removal (path) VALUES ('jobdata/7/left.csv')")
    with anyio.fail_after(10):
        while folder.exists():
            await anyio.sleep(0.1)
    assert await db.fetchval("SELECT count(*) FROM job_data_file_removal") == 0


async def test_an_output_over_the_size_limit_keeps_its_last_bytes(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, storage_root: Path
) -> None:
    code = "import sys; sys.stdout.write('a' * 15000 + 'b' * 5000)"
    made = await _job(client, db, alice, _program(code))
    await _execute(client, alice, made.job)
    ended = await _ended(db, made.job, storage_root)
    assert ended.outputs["stdout"] == "a" * 5000 + "b" * 5000
    size = await db.fetchval(
        "SELECT size FROM job_data WHERE job_id = $1 AND key = 'stdout'", made.job
    )
    assert size == 10_000
