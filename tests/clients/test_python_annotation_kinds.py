"""The official cytomine-python-client links terms, makes job annotations and reviews."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "annotation_kinds.py"


async def test_python_client_links_terms_makes_job_annotations_and_reviews(
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
        "terms": {
            "saved": True,
            "fetched_user": admin.id,
            "listed": sorted([ids["tumour"], ids["stroma"]]),
            "deleted": True,
            "after_delete": [ids["tumour"]],
        },
        "algo": {
            "saved": True,
            "term": [ids["tumour"]],
            "fetched": "POLYGON((100 100,110 100,110 110,100 110,100 100))",
            "generic_class": "be.cytomine.domain.ontology.AlgoAnnotation",
            "deleted": True,
        },
        "review": {
            "started": True,
            "reviewed_terms": [ids["stroma"]],  # terms given to a review replace the terms
            "parent": ids["one"],
            "parent_reviewed": True,
            "index": [[1, 1]],
            "rejected": True,
            "stopped": True,
        },
    }
