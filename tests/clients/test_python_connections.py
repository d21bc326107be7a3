"""The official cytomine-python-client lists a member's project connections."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "connections.py"


async def test_python_client_lists_project_connections(
    live_server: str,
    alice: NewAccount,
    client_python: Path,
) -> None:
    auth = CytomineAuth(alice.public_key, alice.private_key)
    with httpx.Client(base_url=live_server, auth=auth, timeout=60) as http:
        r = http.post("/api/ontology.json", json={"name": "Connections"})
        body = {"name": "Connections", "ontology": r.json()["ontology"]["id"]}
        project = http.post("/api/project.json", json=body).json()["project"]["id"]
        for browser in ("firefox", "chrome"):
            body = {"project": project, "os": "Linux", "browser": browser, "browserVersion": "1"}
            r = http.post(f"/api/project/{project}/userconnection.json", json=body)
            assert r.status_code == 200, r.text
    command = [str(client_python), str(DRIVER), live_server, alice.public_key, alice.private_key]
    done = subprocess.run(
        [*command, str(project), str(alice.id)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "listed": [
            [project, alice.id, "Linux", "chrome", "1", True],
            [project, alice.id, "Linux", "firefox", "1", True],
        ],
        "newest_first": True,
        "paged": True,
    }
