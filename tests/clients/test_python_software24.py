"""The official cytomine-python-client 2.4.1 registers software and enables it in a project."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.project_helpers import make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "software24.py"


async def test_python_client_24_registers_software_and_links_it_to_a_project(
    live_server: str,
    client: AsyncTestClient,
    admin: NewAccount,
    client_python_24: Path,
    tmp_path: Path,
) -> None:
    project = await make_project(client, admin)
    command = [str(client_python_24), str(DRIVER), live_server, admin.public_key]
    done = subprocess.run(
        [*command, admin.private_key, str(project["id"]), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The client logs to stdout: re-reading a descriptor re-posts the parameters the server
    # fills (its listing leaves them out, as Cytomine's does) and logs their 409; the
    # summary is the last line.
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "from_descriptor": [["threshold", "0.5"]],
        "with_set_by_server": [
            ["cytomine_host", True, "CYTOMINE_HOST", 0],
            ["cytomine_id_project", True, "CYTOMINE_ID_PROJECT", 1],
            ["threshold", False, "THRESHOLD", 2],
        ],
        "reregistered_same": True,
        "parameter": ["3", "[RADIUS]", 0],
        "manual": ["Manual (1.0)", ["radius"]],
        "in_project": ["Manual", "Threshold"],
        "links": ["Manual", "Threshold"],
        "listed": ["Manual (1.0)", "Threshold"],
        "package": ["Packaged (0.1)", True],
        "link_deleted": True,
        "parameter_deleted": True,
        "left_in_project": ["Threshold"],
    }
