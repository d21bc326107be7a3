"""The official JS client enters a project and reads the project activity page's data.

The world (a project with a two-term ontology) is made over HTTP as alice; the node script
logs in as alice, saves two ProjectConnection models as the Web UI does when it opens a
project, then reads the history, frequencies and statistics. It runs once per module; each
test asserts one part of its report.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.clients.test_js_client import js_client_dir  # noqa: F401
from tests.clients.test_js_client_annotations import _post
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

_RUNS: dict[str, Any] = {}


def _world(base: str, alice: NewAccount) -> dict[str, Any]:
    """Alice's project with a two-term ontology."""
    auth = CytomineAuth(alice.public_key, alice.private_key)
    with httpx.Client(base_url=base, auth=auth, timeout=60) as http:
        ontology = _post(http, "/api/ontology.json", {"name": "Activity"}, "ontology")
        terms = [
            _post(http, "/api/term.json", {"name": n, "ontology": ontology, "color": c}, "term")
            for n, c in (("Tumour", "#FF0000"), ("Stroma", "#00FF00"))
        ]
        body = {"name": "Activity", "ontology": ontology}
        project = _post(http, "/api/project.json", body, "project")
    return {"project": project, "terms": terms}


@pytest.fixture
def report(
    request: pytest.FixtureRequest,
    js_client_dir: Path,  # noqa: F811
) -> dict[str, Any]:
    """What the node script reported, with the world it ran on (run once per module)."""
    if "report" not in _RUNS:
        base = request.getfixturevalue("live_server")
        alice = request.getfixturevalue("alice")
        world = _world(base, alice)
        args = [base, "alice", "alice-password", json.dumps(world)]
        command = ["node", "--import", "./register-hook.mjs", "connections-stats.mjs", *args]
        done = subprocess.run(
            command, cwd=js_client_dir, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout.strip().splitlines()[-1])
        _RUNS["report"] = {**found, "world": world, "alice": alice.id}
    return _RUNS["report"]  # type: ignore[no-any-return]


def _ok(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = dict(report[name])
    assert found.pop("ok"), found
    return found


async def test_js_client_saves_a_project_connection(report: dict[str, Any]) -> None:
    assert _ok(report, "connect") == {
        "user": True,
        "project": report["world"]["project"],
        "browser": "string",
        "created": True,
    }


async def test_js_client_lists_the_connection_history(report: dict[str, Any]) -> None:
    assert _ok(report, "history") == {"count": 2, "closed": True, "online": True}


async def test_js_client_reads_frequencies_and_average_shares(report: dict[str, Any]) -> None:
    assert _ok(report, "frequency") == {"connections": 2, "shares": 1}


async def test_js_client_reads_the_activity_page_counters(report: dict[str, Any]) -> None:
    assert _ok(report, "activity") == {"total": 2, "evolution": [2], "frequency": 2}


async def test_js_client_reads_the_annotation_statistics(report: dict[str, Any]) -> None:
    tumour, stroma = report["world"]["terms"]
    got = _ok(report, "stats")
    assert got["terms"] == [[tumour, 0], [stroma, 0]]
    assert got["creators"] == [[report["alice"], 0]]
    assert got["periods"] == 1
