"""Algorithms written with ``CytomineJob`` (cytomine-python-client 2.4.1) run from the API.

The example algorithm (tests/fixtures/software24) is registered from its descriptor with
``lamina software add``; a project member then drives the whole run with the 2.4.1 client:
enable the software in the project, create a job with parameters, execute it, wait for its
end, list its annotations with the job filter, download its data and delete the job. A
crashing algorithm, one past the time limit and a killed one end FAILED, FAILED and KILLED
with their output kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
import shapely

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import make_image
from tests.server.project_helpers import make_ontology, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "software24"
DRIVER = Path(__file__).resolve().parent / "python" / "job24.py"
TIME_LIMIT = 25
WIDTH, HEIGHT = 400, 300


@pytest.fixture
def live_settings(tmp_path: Path) -> dict[str, Any]:
    return {
        "runner": True,
        "runner_poll_seconds": 0.2,
        "runner_timeout_seconds": TIME_LIMIT,
        "runner_dir": str(tmp_path / "runs"),
    }


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project with an image and a term, and the registered example software."""

    project: int
    image: int
    term: int
    software: int


def _register(client_python_24: Path, database_url: str, work: Path) -> int:
    """Register the example algorithm from its descriptor, run by the 2.4.1 client's Python."""
    descriptor = json.loads((FIXTURE / "descriptor.json").read_text())
    algorithm = FIXTURE / "algorithm.py"
    descriptor["command-line"] = descriptor["command-line"].replace(
        "python algorithm.py", f"{client_python_24} {algorithm}"
    )
    path = work / "descriptor.json"
    path.write_text(json.dumps(descriptor))
    command = [sys.executable, "-m", "server.cli", "--database-url", database_url]
    done = subprocess.run(
        [*command, "software", "add", str(path), "--owner", "alice"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(json.loads(done.stdout)["software"]["id"])


@pytest.fixture
async def scene(
    live_server: str,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    client_python_24: Path,
    tmp_path: Path,
) -> Scene:
    ontology = await make_ontology(db, alice)
    async with httpx.AsyncClient(base_url=live_server, timeout=60) as client:
        project = await make_project(client, alice, ontology=ontology)  # type: ignore[arg-type]
    term = await db.fetchval(
        "INSERT INTO term (name, ontology_id, color) VALUES ('square', $1, '#00FF00') RETURNING id",
        ontology,
    )
    image, _ = await make_image(db, project["id"], alice.id, width=WIDTH, height=HEIGHT)
    software = _register(client_python_24, database_url, tmp_path)
    return Scene(project=project["id"], image=image, term=int(term), software=software)


def _drive(
    python: Path, base: str, alice: NewAccount, scene: Scene, work: Path, scenario: str
) -> dict[str, Any]:
    ids = (scene.project, scene.software, scene.term)
    keys = (alice.public_key, alice.private_key)
    done = subprocess.run(
        [str(python), str(DRIVER), base, *keys, *map(str, ids), str(work), scenario],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


async def test_a_cytomine_job_runs_end_to_end_and_goes_with_its_data(
    live_server: str,
    scene: Scene,
    alice: NewAccount,
    client_python_24: Path,
    tmp_path: Path,
) -> None:
    summary = _drive(client_python_24, live_server, alice, scene, tmp_path, "success")
    assert (summary["queued"], summary["status"], summary["progress"]) == (1, 3, 100)
    assert summary["comment"] == "Job successfully terminated"
    assert summary["outputs"]["squares"].splitlines()[1].startswith(f"{scene.image},{WIDTH},")
    # The client logs its requests to stdout too: the algorithm's own lines are among them.
    printed = summary["outputs"]["stdout"].splitlines()
    assert f"1 image(s) in project {scene.project}" in printed
    assert "squares.csv uploaded" in printed
    (annotation,) = summary["annotations"]
    assert annotation["terms"] == [scene.term]
    assert annotation["user"] == summary["userJob"]
    assert shapely.from_wkt(annotation["location"]).bounds == (188, 138, 212, 162)
    assert (summary["deleted"], summary["data_left"]) == (True, [])
    files = tmp_path / "files" / "jobdata"
    deadline = time.monotonic() + 10
    while list(files.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(files.iterdir()) == []


@pytest.mark.parametrize(
    ("scenario", "status", "comment", "key", "shown"),
    [
        ("crash", 4, "Crashing as asked", "stderr", "RuntimeError: Crashing as asked"),
        ("timeout", 4, f"The job passed the time limit of {TIME_LIMIT} s", "stdout", "1 image"),
        ("kill", 8, "Killed on request", "stdout", "1 image"),
    ],
)
async def test_a_cytomine_job_that_cannot_finish_ends_in_the_right_state_with_its_output(
    live_server: str,
    scene: Scene,
    alice: NewAccount,
    client_python_24: Path,
    tmp_path: Path,
    scenario: str,
    status: int,
    comment: str,
    key: str,
    shown: str,
) -> None:
    summary = _drive(client_python_24, live_server, alice, scene, tmp_path, scenario)
    assert (summary["status"], summary["comment"]) == (status, comment)
    assert shown in summary["outputs"][key]
