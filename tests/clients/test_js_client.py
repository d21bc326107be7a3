"""The official JS client (npm cytomine-client 3.1.0) works against a live server.

The node script gets a token from the OIDC password grant, builds ``new Cytomine(...)`` with a
Bearer interceptor like the Web UI, and reports every step as JSON. Steps whose server routes
are not in the tree yet are still run and reported, but only asserted once the routes exist.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

JS_DIR = Path(__file__).resolve().parent / "js"

# Script step -> the route (method, path) it needs; a step is asserted when its route exists.
NEEDS = {
    "createOntology": ("POST", "/api/ontology"),
    "createTerm": ("POST", "/api/term"),
    "createProject": ("POST", "/api/project"),
    "listOntologies": ("GET", "/api/ontology"),
    "listTerms": ("GET", "/api/ontology/{ontology_id:int}/term"),
    "listProjects": ("GET", "/api/project"),
}


def _served_routes() -> set[tuple[str, str]]:
    app = create_app(Settings(database_url="postgresql://unused@/unused"))
    return {(m, r.path) for r in app.routes for m in getattr(r, "methods", ())}


@pytest.fixture(scope="session")
def js_client_dir() -> Path:
    """The node project with cytomine-client installed (``npm ci`` on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to drive the JS client")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    major, minor = (int(x) for x in version.stdout.strip().lstrip("v").split(".")[:2])
    if (major, minor) < (20, 6):
        pytest.skip(f"node >= 20.6 is needed for module.register, found {version.stdout}")
    if not (JS_DIR / "node_modules" / "cytomine-client").is_dir():
        command = "ci" if (JS_DIR / "package-lock.json").exists() else "install"
        subprocess.run(
            [npm, command, "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, capture_output=True
        )
    return JS_DIR


async def _run_script(js_dir: Path, base_url: str, username: str, password: str) -> Any:
    command = [
        "node",
        "--import",
        "./register-hook.mjs",
        "run-client.mjs",
        base_url,
        username,
        password,
    ]
    done = await anyio.run_process(command, cwd=js_dir, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


@pytest.fixture
async def report(js_client_dir: Path, live_server: str, alice: NewAccount) -> Any:
    """What the node script reported, logged in as alice."""
    return await _run_script(js_client_dir, live_server, "alice", "alice-password")


async def test_js_client_logs_in_and_fetches_the_current_user(
    report: Any, alice: NewAccount
) -> None:
    steps = report["steps"]
    assert steps["token"]["ok"], steps["token"]
    assert steps["token"]["tokenType"] == "Bearer"
    assert steps["currentUser"] == {"ok": True, "id": alice.id, "username": "alice"}
    assert steps["account"] == {"ok": True, "username": "alice", "isDeveloper": False}


async def test_js_client_creates_and_lists_ontology_term_and_project(report: Any) -> None:
    served = _served_routes()
    steps, created = report["steps"], report["created"]
    present = [name for name, route in NEEDS.items() if route in served]
    if not present:
        pytest.skip("ontology, term and project routes are not in the tree yet")
    for name in present:
        assert steps[name]["ok"], (name, steps[name])
    if "listOntologies" in present:
        assert created["ontology"] in steps["listOntologies"]["ids"]
    if "listTerms" in present and "createTerm" in present:
        assert created["term"] in steps["listTerms"]["ids"]
    if "listProjects" in present and "createProject" in present:
        assert created["project"] in steps["listProjects"]["ids"]
