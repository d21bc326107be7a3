"""IIIF Presentation 3.0 documents load into ``iiif-prezi3``'s models, as a viewer would read them.

``iiif-prezi3`` (the IIIF community's Python library, pydantic models generated from the
Presentation 3.0 JSON schema) runs from its own virtual environment made on first use. The
signed project manifest and its annotation page are fetched from a running server without
credentials, then validated by the library's models; every image service it names answers its
``info.json`` without credentials too.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.clients.conftest import pip_venv, upload_in_new_project
from tests.server.image_helpers import write_pyramid
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-iiif-prezi3"
PREZI3 = "iiif-prezi3==3.1.1"
# Reads {"kind": ..., "doc": ...} documents on stdin; a model error is a non-zero exit.
_SCRIPT = """
import json, sys
from iiif_prezi3 import AnnotationPage, Manifest
for line in sys.stdin:
    item = json.loads(line)
    model = {"Manifest": Manifest, "AnnotationPage": AnnotationPage}[item["kind"]]
    loaded = model(**item["doc"])
    print(item["kind"], loaded.id, len(loaded.items or []))
"""


@pytest.fixture(scope="session")
def prezi3_python() -> Path:
    """Python of a venv holding iiif-prezi3, created on first use."""
    return pip_venv(VENV, PREZI3)


def load(python: Path, docs: list[dict[str, Any]]) -> list[str]:
    """Load each document into its iiif-prezi3 model; the lines the loader printed."""
    lines = "".join(json.dumps({"kind": d["type"], "doc": d}) + "\n" for d in docs)
    done = subprocess.run(
        [str(python), "-c", _SCRIPT],
        input=lines,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


async def test_signed_project_manifest_loads_into_prezi3_models(
    prezi3_python: Path, live_server: str, alice: NewAccount, tmp_path: Path
) -> None:
    slide = write_pyramid(tmp_path / "slide.tif")
    async with httpx.AsyncClient(base_url=live_server, timeout=60) as client:
        project, image = await upload_in_new_project(client, alice, slide)
        body = {"image": image, "location": "POLYGON ((10 10, 90 10, 90 60, 10 10))"}
        r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
        assert r.status_code == 200, r.text
        path = f"/iiif/presentation/project/{project['id']}/manifest.json"
        r = await client.get(path, auth=auth(alice))
        assert r.status_code == 200, r.text
    # From here on, a viewer: no credentials, only the URLs the documents carry.
    async with httpx.AsyncClient(timeout=60) as viewer:
        manifest = (await viewer.get(r.json()["id"])).raise_for_status().json()
        (canvas,) = manifest["items"]
        page = (await viewer.get(canvas["annotations"][0]["id"])).raise_for_status().json()
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["id"]
        info = await viewer.get(f"{service}/info.json")
        assert info.status_code == 200, info.text
    assert load(prezi3_python, [manifest, page]) == [
        f"Manifest {manifest['id']} 1",
        f"AnnotationPage {page['id']} 1",
    ]
