"""The official cytomine-python-client creates, finds, changes and deletes annotations."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "annotations.py"


async def test_python_client_annotates_a_slide_one_by_one_and_in_bulk(
    live_server: str,
    admin: NewAccount,
    client_python: Path,
    tmp_path: Path,
) -> None:
    slide = write_pyramid(tmp_path / "slide.tif")
    done = subprocess.run(
        [
            str(client_python),
            str(DRIVER),
            live_server,
            admin.public_key,
            admin.private_key,
            str(slide),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    ids = got.pop("ids")
    assert got == {
        "created": {"term": [ids["tumour"]], "slice": True},
        "bulk_saved": True,
        "total": 46,
        "bbox": [
            {
                "id": ids["one"],
                "location": "POLYGON((10 10,20 10,20 20,10 20,10 10))",
                "term": [ids["tumour"]],
            }
        ],
        "stroma": 45,
        "updated": {
            "location": "POLYGON((20 20,50 20,50 50,20 50,20 20))",
            "term": [ids["stroma"]],
            "area": 56.25,
        },
        "deleted": True,
        "after_delete": 45,
    }
