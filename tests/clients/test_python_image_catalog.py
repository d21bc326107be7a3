"""The official cytomine-python-client builds an image catalog record by record."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "image_catalog.py"


async def test_python_client_creates_uploaded_files_images_and_slices(
    live_server: str, admin: NewAccount, client_python: Path
) -> None:
    done = subprocess.run(
        [str(client_python), str(DRIVER), live_server, admin.public_key, admin.private_key],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "uploaded_file_create": {"user": True, "status": 0, "storage": True},
        "uploaded_file_update": {"status": 100, "size": 2048},
        "uploaded_file_child": [True],
        "abstract_image_create": {"width": 1000, "depth": 2, "uploadedFile": True},
        "abstract_slices_create": [0, 1],
        "abstract_slices_bulk": {"saved": True, "channels": [0, 0, 1, 2]},
        "image_instance_create": [0, 0, 0, 1],
        "slice_instance_recreate": {"deleted": True, "zStack": 0, "baseSlice": True},
    }
