"""Spectral profile of an annotation: its pixels' values in every z plane of its image."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import square
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import (
    Uploaded,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)
from tests.tiling.test_planes import DEPTH, HEIGHT, plane_pixels, write_planes
from tiling.profile import MAX_PROFILE_PIXELS

_FIXTURES = (settings_fixture, storage_root_fixture, slide_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_planes(tmp_path_factory.mktemp("planes") / "planes.ome.tif")


@pytest.fixture
async def channel_one(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, multi: Path
) -> tuple[int, int]:
    """(image instance, slice of channel 1 at z 0) of the uploaded multi-plane image."""
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, multi, storage, project["id"])
    assert r.status_code == 200, r.text
    image = r.json()[0]["images"][0]["imageInstances"][0]["id"]
    slice_id = await db.fetchval(
        "SELECT si.id FROM slice_instance si JOIN abstract_slice s ON s.id = si.base_slice_id"
        " WHERE si.image_id = $1 AND s.channel = 1 AND s.z_stack = 0",
        image,
    )
    return int(image), int(slice_id)


async def _annotate(
    client: AsyncTestClient, who: NewAccount, image: int, slice_id: int, wkt: str
) -> int:
    body: dict[str, Any] = {"location": wkt, "image": image, "slice": slice_id}
    r = await client.post("/api/annotation.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["annotation"]["id"])


async def test_a_point_has_its_pixels_value_in_each_z_plane(
    client: AsyncTestClient, alice: NewAccount, channel_one: tuple[int, int]
) -> None:
    annotation = await _annotate(client, alice, *channel_one, "POINT (100.5 500.5)")
    r = await client.get(f"/api/annotation/{annotation}/profile.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    [item] = r.json()["collection"]
    row = HEIGHT - 1 - item["point"][1]
    expected = [int(plane_pixels()[z, 1, row, 100]) for z in range(DEPTH)]
    assert (item["point"][0], item["profile"]) == (100, expected)


async def test_a_small_polygon_profiles_every_pixel_inside(
    client: AsyncTestClient, alice: NewAccount, channel_one: tuple[int, int]
) -> None:
    annotation = await _annotate(client, alice, *channel_one, square(100, 300, 4))
    r = await client.get(f"/api/annotation/{annotation}/profile.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["size"] == 16
    assert all(len(item["profile"]) == DEPTH for item in body["collection"])


async def test_a_large_annotation_is_refused_with_the_limit(
    client: AsyncTestClient, alice: NewAccount, channel_one: tuple[int, int]
) -> None:
    side = int(MAX_PROFILE_PIXELS**0.5) + 2
    annotation = await _annotate(client, alice, *channel_one, square(10, 10, side))
    r = await client.get(f"/api/annotation/{annotation}/profile.json", auth=auth(alice))
    assert_status(r, 400)
    assert str(MAX_PROFILE_PIXELS) in r.json()["errors"]["message"]


async def test_an_image_with_one_z_plane_has_no_profile(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    annotation = await _annotate(client, alice, uploaded.instance, uploaded.slice, "POINT (5 5)")
    r = await client.get(f"/api/annotation/{annotation}/profile.json", auth=auth(alice))
    assert_status(r, 400)
    assert "single z plane" in r.json()["errors"]["message"]


async def test_the_profile_of_someone_elses_project_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, channel_one: tuple[int, int]
) -> None:
    annotation = await _annotate(client, alice, *channel_one, "POINT (5 5)")
    r = await client.get(f"/api/annotation/{annotation}/profile.json", auth=auth(bob))
    assert_status(r, 403)


async def test_the_profile_of_a_missing_annotation_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    assert (await client.get("/api/annotation/0/profile.json", auth=auth(alice))).status_code == 404
