"""The official cytomine-python-client uploads, lists, downloads and deletes attached files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "attachments.py"


async def test_python_client_manages_attached_files_of_projects_and_annotations(
    live_server: str,
    admin: NewAccount,
    client_python: Path,
    tmp_path: Path,
) -> None:
    slide = write_pyramid(tmp_path / "slide.tif")
    command = [str(client_python), str(DRIVER), live_server, admin.public_key, admin.private_key]
    done = subprocess.run(
        [*command, str(slide), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = {
        "names": ["notes.txt", "shown.txt"],
        "listed": ["notes.txt", "shown.txt"],
        "fetched": "notes.txt",
        "downloaded": "hello",
        "deleted": True,
        "after_delete": 1,
    }
    assert json.loads(done.stdout) == {"project": expected, "annotation": expected}
