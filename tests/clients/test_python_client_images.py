"""The official cytomine-python-client uploads a slide, finds it, and fetches its pixels."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import HEIGHT, WIDTH, write_pyramid
from tests.server.serving_helpers import source_region

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "upload.py"
PIXELS_DRIVER = DRIVER.with_name("images.py")


async def test_python_client_uploads_a_slide_and_lists_it(
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
    assert json.loads(done.stdout) == {
        "uploaded_status": 100,
        "uploaded_images": 1,
        "listed": [
            {
                "width": WIDTH,
                "height": HEIGHT,
                "zoom": 3,
                "tileSize": 256,
                "instanceFilename": "slide.tif",
            }
        ],
    }


async def test_python_client_gets_thumbnail_window_and_original_file(
    live_server: str,
    admin: NewAccount,
    client_python: Path,
    tmp_path: Path,
) -> None:
    slide = write_pyramid(tmp_path / "slide.tif")
    out = tmp_path / "out"
    out.mkdir()
    args = [live_server, admin.public_key, admin.private_key, str(slide), str(out)]
    done = subprocess.run(
        [str(client_python), str(PIXELS_DRIVER), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"thumb": True, "window": True, "download": True}
    assert Image.open(out / "thumb.png").size == (256, 192)
    window = np.asarray(Image.open(out / "window.png").convert("RGB"))
    assert np.array_equal(window, source_region(slide, 100, 200, 300, 150))
    assert (out / "original.tif").read_bytes() == slide.read_bytes()
