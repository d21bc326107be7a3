"""Multi-plane images: one slice per channel/z/t, and pictures that render the slice's plane."""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import asyncpg
import numpy as np
import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import settings_fixture, storage_root_fixture
from tests.tiling.test_planes import CHANNELS, DEPTH, plane_pixels, write_planes

_FIXTURES = (settings_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Planes(NamedTuple):
    """The uploaded multi-plane image and its slice instances by (channel, z)."""

    instance: int
    slices: dict[tuple[int, int], int]
    abstract_slices: dict[tuple[int, int], int]


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("planes") / "planes.ome.tif")


@pytest.fixture
async def planes(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, multi: Path
) -> Planes:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, multi, storage, project["id"])
    assert r.status_code == 200, r.text
    instance = r.json()[0]["images"][0]["imageInstances"][0]["id"]
    rows = await db.fetch(
        "SELECT si.id, s.id AS base, s.channel, s.z_stack, s.time FROM slice_instance si"
        " JOIN abstract_slice s ON s.id = si.base_slice_id WHERE si.image_id = $1",
        instance,
    )
    slices = {(r["channel"], r["z_stack"]): r["id"] for r in rows}
    bases = {(r["channel"], r["z_stack"]): r["base"] for r in rows}
    return Planes(instance, slices, bases)


def gray(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))


async def test_upload_makes_one_slice_per_channel_and_z(planes: Planes) -> None:
    expected = {(c, z) for c in range(CHANNELS) for z in range(DEPTH)}
    assert set(planes.slices) == expected


async def test_slice_window_renders_its_plane(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/sliceinstance/{planes.slices[(2, 1)]}/window-100-50-40-30.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert np.array_equal(gray(r.content), plane_pixels()[1, 2, 50:80, 100:140])


async def test_abstract_slice_tile_renders_its_plane(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    base = planes.abstract_slices[(1, 0)]
    url = f"/api/abstractslice/{base}/normalized-tile/zoom/2/tx/0/ty/0.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert np.array_equal(gray(r.content)[:256, :256], plane_pixels()[0, 1, :256, :256])


async def test_image_window_follows_the_viewer_plane_parameters(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/imageinstance/{planes.instance}/window-0-0-64-32.png"
    query = {"channels": "2", "zSlices": "1", "timepoints": "0"}
    r = await client.get(url, params=query, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert np.array_equal(gray(r.content), plane_pixels()[1, 2, :32, :64])


async def test_slice_tile_blends_the_viewer_channels(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/sliceinstance/{planes.slices[(0, 1)]}/normalized-tile/zoom/2/tx/0/ty/0.png"
    query = {
        "channels": "0,1,2",
        "zSlices": "1",
        "colormaps": "#ff0000,#00ff00,#0000ff",
        "minIntensities": "0,0,0",
        "maxIntensities": "255,255,255",
        "gammas": "1,1,1",
    }
    r = await client.get(url, params=query, auth=auth(alice))
    assert r.status_code == 200, r.text
    rgb = np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"))
    expected = np.moveaxis(plane_pixels()[1, :, :256, :256], 0, -1)
    assert np.array_equal(rgb, expected)


async def test_non_positive_gamma_is_a_400(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/imageinstance/{planes.instance}/thumb.png"
    r = await client.get(url, params={"channels": "0,1", "gammas": "1,0"}, auth=auth(alice))
    assert_status(r, 400)


async def test_plane_outside_the_image_is_a_404(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/imageinstance/{planes.instance}/thumb.png"
    r = await client.get(url, params={"channels": "7"}, auth=auth(alice))
    assert_status(r, 404)


async def test_slice_histogram_counts_its_own_plane(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/sliceinstance/{planes.slices[(1, 1)]}/histogram.json?nBins=8"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    [item] = r.json()["collection"]
    expected, _ = np.histogram(plane_pixels()[1, 1], bins=8, range=(0, 256))
    assert item["histogram"] == expected.tolist()
    assert (item["channel"], item["zSlice"], item["color"]) == (1, 1, None)


async def test_slice_channel_histograms_cover_every_channel_at_its_z(
    client: AsyncTestClient, alice: NewAccount, planes: Planes
) -> None:
    url = f"/api/sliceinstance/{planes.slices[(0, 1)]}/channelhistogram/bounds.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    items = r.json()["collection"]
    assert [(i["channel"], i["zSlice"]) for i in items] == [(0, 1), (1, 1), (2, 1)]
    assert "histogram" not in items[0]
