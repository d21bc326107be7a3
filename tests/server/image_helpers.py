"""Helpers shared by the image test modules: small pyramidal TIFFs, storages, uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import tifffile
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.project_helpers import auth

WIDTH, HEIGHT = 2048, 1536
MICRONS_PER_PIXEL = 0.25


def write_pyramid(path: Path, width: int = WIDTH, height: int = HEIGHT) -> Path:
    """A tiled, JPEG-compressed, pyramidal RGB TIFF with a 0.25 µm/px resolution."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], axis=-1)
    pixels = (base + rng.integers(0, 16, base.shape)).clip(0, 255).astype(np.uint8)
    per_cm = 1e4 / MICRONS_PER_PIXEL
    options: dict[str, Any] = {"tile": (256, 256), "compression": "jpeg", "photometric": "rgb"}
    levels = 3
    with tifffile.TiffWriter(path) as tif:
        tif.write(
            pixels,
            subifds=levels,
            resolution=(per_cm, per_cm),
            resolutionunit="CENTIMETER",
            **options,
        )
        for level in range(1, levels + 1):
            step = 2**level
            tif.write(pixels[::step, ::step], subfiletype=1, **options)
    return path


async def make_storage(client: AsyncTestClient, owner: NewAccount, name: str = "S1") -> int:
    """Create a storage owned by ``owner`` and return its id."""
    r = await client.post("/api/storage.json", json={"name": name}, auth=auth(owner))
    assert r.status_code == 200, r.text
    return int(r.json()["storage"]["id"])


async def upload(
    client: AsyncTestClient,
    account: NewAccount,
    path: Path,
    storage: int,
    project: int | None = None,
    *,
    sync: bool = True,
) -> Any:
    """POST the file to /upload as the Python client does; returns the response."""
    params: dict[str, Any] = {"idStorage": storage, "storage": storage, "sync": str(sync)}
    if project is not None:
        params.update(idProject=project, projects=project)
    with path.open("rb") as handle:
        return await client.post(
            "/upload",
            params=params,
            files={"files[]": (path.name, handle, "image/tiff")},
            auth=auth(account),
        )
