"""The official python client uploads a flat JPEG: it is converted, served and downloaded."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from server.db.store.accounts import NewAccount

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVERS = Path(__file__).resolve().parent / "python"
WIDTH, HEIGHT = 5000, 600
CONVERTED = 104


def write_jpeg(path: Path) -> np.ndarray:
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(float)
    bands = [np.sin(x / 23), np.cos(y / 17), np.sin((x + y) / 31)]
    pixels = np.stack([128 + 100 * band for band in bands], axis=-1).astype(np.uint8)
    Image.fromarray(pixels).save(path, quality=95)
    return pixels


def run(client_python: Path, driver: str, *args: str) -> object:
    done = subprocess.run(
        [str(client_python), str(DRIVERS / driver), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_python_client_uploads_a_large_jpeg_that_is_converted(
    live_server: str, admin: NewAccount, client_python: Path, tmp_path: Path
) -> None:
    write_jpeg(tmp_path / "wide.jpg")
    keys = (live_server, admin.public_key, admin.private_key)
    assert run(client_python, "upload.py", *keys, str(tmp_path / "wide.jpg")) == {
        "uploaded_status": CONVERTED,
        "uploaded_images": 1,
        "listed": [
            {
                "width": WIDTH,
                "height": HEIGHT,
                "zoom": 5,
                "tileSize": 256,
                "instanceFilename": "wide.jpg",
            }
        ],
    }


async def test_python_client_reads_pixels_of_the_converted_jpeg_and_its_original(
    live_server: str, admin: NewAccount, client_python: Path, tmp_path: Path
) -> None:
    source = write_jpeg(tmp_path / "wide.jpg")
    out = tmp_path / "out"
    out.mkdir()
    keys = (live_server, admin.public_key, admin.private_key)
    done = run(client_python, "images.py", *keys, str(tmp_path / "wide.jpg"), str(out))
    assert done == {"thumb": True, "window": True, "download": True}
    window = np.asarray(Image.open(out / "window.png").convert("RGB")).astype(int)
    # JPEG tiles (quality 90) over a JPEG source: compared within JPEG tolerance.
    diff = np.abs(window - source[200:350, 100:400].astype(int))
    assert diff.mean() < 2 and diff.max() <= 32
    # The download is the file as uploaded, not the converted pyramid.
    assert (out / "original.tif").read_bytes() == (tmp_path / "wide.jpg").read_bytes()
