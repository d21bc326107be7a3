"""The official cytomine-python-client manages image groups, annotation groups and links."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "groups.py"


async def test_python_client_manages_image_and_annotation_groups(
    live_server: str,
    admin: NewAccount,
    client_python: Path,
    tmp_path: Path,
) -> None:
    slide = write_pyramid(tmp_path / "slide.tif")
    command = [str(client_python), str(DRIVER), live_server, admin.public_key, admin.private_key]
    done = subprocess.run(
        [*command, str(slide)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "added": ["G1", "G1"],
        "count": 2,
        "listed": ["G1"],
        "of_image": True,
        "renamed": "G2",
        "annotation_groups": {
            "type": "SAME_OBJECT",
            "merged": True,
            "groups": 1,
            "linked": True,
            "of_annotation": 2,
            "unlinked": True,
            "left": 1,
        },
        "after_remove": 1,
        "deleted": True,
    }
