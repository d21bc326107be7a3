"""The official cytomine-python-client (4.3.0, in its own virtual environment) drives Lamina.

The client pins its dependencies exactly, so it gets a venv of its own, made once at the
repository root as ``.venv-pyclient`` (ignored by git).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from server.db.store.accounts import NewAccount

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "drive.py"


async def test_python_client_manages_users_ontologies_terms_and_projects(
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
    results = json.loads(done.stdout)
    ids = {
        "user": results["user_create"].get("id"),
        "ontology": results["ontology_create"].get("id"),
        "project": results["project_create"].get("id"),
    }
    assert all(isinstance(v, int) for v in ids.values()), results
    assert results == {
        "current_user": {"id": admin.id, "username": "admin"},
        "user_create": {"id": ids["user"], "username": "carol"},
        "user_update": "Smith",
        "user_list": ["admin", "carol"],
        "ontology_create": {"id": ids["ontology"], "name": "Tissues"},
        "terms_create": ["Tumour", "Stroma"],
        "relation_create": {
            "term1": results["relation_create"]["term1"],
            "term2": results["relation_create"]["term2"],
        },
        "term_parent": results["relation_create"]["term1"],
        "term_update": "#AA0000",
        "terms_of_ontology": ["Stroma", "Tumour"],
        "ontology_list": ["Tissues"],
        "project_create": {"id": ids["project"], "name": "Biopsies", "ontology": ids["ontology"]},
        "project_add_member": True,
        "project_members": ["admin", "carol"],
        "project_update": "Biopsies 2026",
        "project_list": ["Biopsies 2026"],
        "terms_of_project": ["Stroma", "Tumour"],
        "project_remove_member": ["admin"],
        "project_delete": True,
        "term_delete": True,
        "ontology_delete": True,
        "user_delete": True,
    }
