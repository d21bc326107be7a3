"""Fixtures for tests that drive an official client over real HTTP.

``live_server`` runs the application under uvicorn on a free 127.0.0.1 port, over the same
fresh test database as the ``db`` fixture (so accounts made with ``alice``, ``admin``... exist),
and yields its base URL. The server runs in a thread with its own event loop. The database
fixtures are async, so request ``live_server`` from ``pytest.mark.anyio`` tests.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project

_START_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_settings() -> dict[str, Any]:
    """Settings of the live server beyond the defaults (a test module may override this)."""
    return {"runner": False}


@pytest.fixture
def live_server(database_url: str, tmp_path: Path, live_settings: dict[str, Any]) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>``) of a running server over the test database."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=database_url,
        host="127.0.0.1",
        port=port,
        public_url=base,
        auth_cache_seconds=0.0,
        storage_dir=str(tmp_path / "files"),
        **live_settings,
    )
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="websockets-sansio",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT_S)


async def upload_in_new_project(
    client: httpx.AsyncClient, owner: NewAccount, image: Path
) -> tuple[dict[str, Any], int]:
    """Upload ``image`` into a new storage and project of ``owner``: (project, instance id)."""
    storage = await make_storage(client, owner)  # type: ignore[arg-type]
    project = await make_project(client, owner)  # type: ignore[arg-type]
    r = await upload(client, owner, image, storage, project["id"])  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    return project, int(r.json()[0]["images"][0]["imageInstances"][0]["id"])


async def upload_tile_urls(base: str, owner: NewAccount, image: Path) -> dict[str, Any]:
    """Upload ``image`` into a new project of ``owner``: its instance's ``tileurl``."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        _, instance = await upload_in_new_project(client, owner, image)
        urls = await client.get(f"/api/imageinstance/{instance}/tileurl.json", auth=auth(owner))
        assert urls.status_code == 200, urls.text
        return dict(urls.json())


ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-pyclient"
CLIENT = "cytomine-python-client==4.3.0"
# The 2.x line is the last with the software and job models (CytomineJob, descriptors).
VENV_24 = ROOT / ".venv-pyclient24"
CLIENT_24 = "cytomine-python-client==2.4.1"


def pip_venv(venv: Path, requirement: str) -> Path:
    """Python of a venv at ``venv`` holding ``requirement``, created on first use."""
    python = venv / "bin" / "python"
    stamp = venv / f".{requirement}"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", requirement],
            check=True,
        )
        stamp.touch()
    return python


@pytest.fixture(scope="session")
def client_python() -> Path:
    """Python of a venv holding the official client 4.3.0, created on first use."""
    return pip_venv(VENV, CLIENT)


@pytest.fixture(scope="session")
def client_python_24() -> Path:
    """Python of a venv holding the official client 2.4.1, created on first use."""
    return pip_venv(VENV_24, CLIENT_24)
