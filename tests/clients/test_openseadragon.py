"""OpenSeadragon on another origin loads a slide through the signed IIIF base and DeepZoom URL.

What a standard viewer embedded in some other site sees: a page served from a second origin
(a small static HTTP server on another free port) loads OpenSeadragon 4.1.1 (npm
``openseadragon``, installed on first use in ``tests/clients/osd``) with
``crossOriginPolicy: "Anonymous"`` and opens the ``iiif`` ``info.json`` and the ``dzi`` URL
that ``tileurl`` hands out, with no credentials. Headless Chromium (the system's, driven by
Playwright for Python from its own venv made on first use) zooms to the maximum; every tile
must load (including full-resolution ones), none fail, and the console shows no CORS error.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from server.db.store.accounts import NewAccount
from tests.clients.conftest import _free_port, pip_venv, upload_tile_urls
from tiling import synthetic

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

ROOT = Path(__file__).resolve().parents[2]
OSD_DIR = Path(__file__).resolve().parent / "osd"
VENV = ROOT / ".venv-playwright"
PLAYWRIGHT = "playwright"
CHROMIUMS = ("chromium", "chromium-browser", "/usr/bin/chromium")
# 4096x3072 in 256 px tiles: 5 levels, 192 tiles at full resolution.
WIDTH, HEIGHT = 4096, 3072
# A 1200x800 viewport shows at least 5x4 full-resolution tiles, plus the levels above.
MIN_TILES = 20

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body style="margin:0"><div id="v" style="width:1200px;height:800px"></div>
<script src="openseadragon/openseadragon.min.js"></script>
<script>
window.report = {ok: 0, fail: 0, maxLevel: -1, sourceMaxLevel: null, opened: false};
var src = new URLSearchParams(location.search).get("src");
var viewer = OpenSeadragon({id: "v", prefixUrl: "openseadragon/images/", tileSources: src,
                            crossOriginPolicy: "Anonymous", showNavigationControl: false});
viewer.addHandler("tile-loaded", function (e) {
  window.report.ok++;
  window.report.maxLevel = Math.max(window.report.maxLevel, e.tile.level);
});
viewer.addHandler("tile-load-failed", function () { window.report.fail++; });
viewer.addHandler("open-failed", function (e) { window.report.openFailed = String(e.message); });
viewer.addHandler("open", function () {
  window.report.sourceMaxLevel = viewer.world.getItemAt(0).source.maxLevel;
  window.report.opened = true;
});
</script></body></html>
"""


def _chromium() -> str:
    found = next((path for name in CHROMIUMS if (path := shutil.which(name))), None)
    if found is None:
        pytest.skip(f"no Chromium binary found (tried {', '.join(CHROMIUMS)})")
    return found


@pytest.fixture(scope="session")
def osd_build() -> Path:
    """OpenSeadragon's build folder (``npm ci`` in tests/clients/osd on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to install OpenSeadragon")
    build = OSD_DIR / "node_modules" / "openseadragon" / "build" / "openseadragon"
    if not (build / "openseadragon.min.js").is_file():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=OSD_DIR, check=True, capture_output=True
        )
    return build


@pytest.fixture
def viewer_origin(osd_build: Path, tmp_path: Path) -> Iterator[str]:
    """Base URL of a static server on another port: the viewer page and OpenSeadragon."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "viewer.html").write_text(PAGE)
    shutil.copytree(osd_build, site / "openseadragon")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, name="viewer-origin", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
async def viewer_urls(live_server: str, alice: NewAccount, tmp_path: Path) -> dict[str, Any]:
    """``tileurl`` of a synthetic multi-level slide uploaded by Alice."""
    slide = tmp_path / "slide.tiff"
    synthetic.write(slide, WIDTH, HEIGHT, "tiff", seed=7)
    return await upload_tile_urls(live_server, alice, slide)


async def test_openseadragon_on_another_origin_loads_signed_iiif_and_dzi(
    live_server: str, viewer_origin: str, viewer_urls: dict[str, Any]
) -> None:
    chromium = _chromium()
    python = pip_venv(VENV, PLAYWRIGHT)
    assert viewer_origin != live_server
    pages = [
        f"{viewer_origin}/viewer.html?src={quote(viewer_urls[k], safe='')}" for k in ("iiif", "dzi")
    ]
    done = subprocess.run(
        [str(python), str(OSD_DIR / "browse.py"), chromium, live_server, *pages],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reports = json.loads(done.stdout)
    assert len(reports) == 2, reports
    for kind, report in zip(("iiif", "dzi"), reports, strict=True):
        print(kind, json.dumps(report))
        assert report["opened"], (kind, report)
        assert report["fail"] == 0, (kind, report)
        assert report["ok"] >= MIN_TILES, (kind, report)
        # Zoomed in to the top: tiles of the full-resolution level were loaded.
        assert report["maxLevel"] == report["sourceMaxLevel"], (kind, report)
        assert report["cors_errors"] == [], (kind, report)
        assert report["failed_requests"] == [], (kind, report)
        assert set(report["statuses"]) == {"200"}, (kind, report)
        assert report["statuses"]["200"] >= MIN_TILES, (kind, report)
