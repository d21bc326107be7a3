"""The official cytomine-python-client manages properties, tags and tracks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "metadata.py"


async def test_python_client_manages_properties_tags_and_tracks(
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
        "vendor": "tifffile.py",
        "properties": {
            "lists": [["stage"], ["stain"], ["score"]],
            "updated": "2",
            "deleted": True,
            "after_delete": 0,
        },
        "tags": {"tags": ["urgent"], "linked": [True], "unlinked": True, "after_unlink": 0},
        "tracks": {
            "listed": ["cell 1"],
            "link": [True, True],
            "unlinked": True,
            "renamed": "cell 2",
            "deleted": True,
        },
    }
