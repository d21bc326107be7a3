"""Fixtures and helpers shared by the image serving tests: an uploaded slide and its ids.

Import the ``*_fixture`` functions into a test module to use the fixtures by their names.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NamedTuple

import large_image
import numpy as np
import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.fast_tiles import FastTiles, wrap
from server.settings import Settings
from tests.server.image_helpers import make_storage, upload, write_pyramid
from tests.server.project_helpers import auth, make_project


class Uploaded(NamedTuple):
    """Ids of one uploaded slide: image instance, reference slice, abstract image."""

    instance: int
    slice: int
    abstract: int


@pytest.fixture(name="storage_root")
def storage_root_fixture(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture(name="settings")
def settings_fixture(database_url: str, storage_root: Path) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, storage_dir=str(storage_root)
    )


_WRAPPERS: dict[int, FastTiles] = {}


@pytest.fixture(name="client")
async def fast_client_fixture(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A client of the app behind the tile fast path, as ``server.asgi`` serves it."""
    wrapper = wrap(create_app(settings))
    async with AsyncTestClient(app=wrapper) as c:  # type: ignore[arg-type]
        _WRAPPERS[id(c)] = wrapper
        yield c
        del _WRAPPERS[id(c)]


def fast(client: AsyncTestClient) -> FastTiles:  # type: ignore[type-arg]
    """The fast path in front of a ``fast_client_fixture`` client."""
    return _WRAPPERS[id(client)]


@pytest.fixture(scope="module", name="slide")
def slide_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pyramid(tmp_path_factory.mktemp("slides") / "slide.tif")


@pytest.fixture(name="uploaded")
async def uploaded_fixture(client: AsyncTestClient, alice: NewAccount, slide: Path) -> Uploaded:
    """Alice uploads the slide into a project of hers."""
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, slide, storage, project["id"])
    assert r.status_code == 200, r.text
    made = r.json()[0]["images"][0]
    instance = made["imageInstances"][0]["id"]
    path = f"/api/imageinstance/{instance}/sliceinstance/reference.json"
    ref = await client.get(path, auth=auth(alice))
    assert ref.status_code == 200, ref.text
    return Uploaded(instance, ref.json()["id"], made["image"]["id"])


def pixels(data: bytes) -> np.ndarray:
    """Decoded RGB pixels of an encoded picture."""
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def source_region(path: Path, left: int, top: int, width: int, height: int, **out: Any) -> Any:
    """large-image's own RGB pixels of a region (optionally scaled with maxWidth/maxHeight)."""
    src = large_image.open(str(path))
    region = {"left": left, "top": top, "width": width, "height": height}
    found, _ = src.getRegion(region=region, output=out, format="numpy")
    return found[..., :3]
