"""Every pixel route is bounded: published output area, ``max``/``^max`` and decoded area."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.db.store.accounts import NewAccount
from server.settings import Settings, load_settings
from tests.server.image_helpers import HEIGHT, WIDTH, make_storage, upload
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import (
    Uploaded,
    pixels,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

_FIXTURES = (slide_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

AREA = 256 * 256
DECODE = 4 * AREA  # the ratio of the defaults: every size info.json offers stays servable


@pytest.fixture(name="settings")
def small_limits_settings(database_url: str, storage_root: Path) -> Settings:
    return Settings(
        database_url=database_url,
        auth_cache_seconds=0.0,
        storage_dir=str(storage_root),
        max_output_pixels=AREA,
        max_decode_pixels=DECODE,
    )


async def test_info_json_publishes_the_configured_area(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", auth=auth(alice))
    info = r.json()
    assert info["maxArea"] == AREA
    assert all(s["width"] * s["height"] <= AREA for s in info["sizes"])


@pytest.mark.parametrize("size", ["max", "^max"])
async def test_max_and_upscaled_max_stop_at_the_published_area(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    size: str,
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/full/{size}/0/default.jpg", auth=auth(alice))
    assert r.status_code == 200, r.text
    h, w = pixels(r.content).shape[:2]
    assert w * h <= AREA
    assert abs(w / h - WIDTH / HEIGHT) < 0.01
    assert (w + 1) * (h + 1) > AREA  # the largest such size, not merely a small one


async def test_upscaled_max_of_a_small_region_is_bounded_too(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    url = f"/iiif/{uploaded.instance}/0,0,10,10/^max/0/default.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape[:2] == (256, 256)


@pytest.mark.parametrize(
    "url",
    [
        "/iiif/{i}/full/400,/0/default.jpg",
        "/iiif/{i}/0,0,10,10/^300,300/0/default.jpg",
        "/api/imageinstance/{i}/window-0-0-400-300.jpg",
        "/api/imageinstance/{i}/thumb.jpg?maxSize=400",
    ],
)
async def test_an_output_beyond_the_area_is_a_400_naming_the_limit(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    url: str,
) -> None:
    r = await client.get(url.format(i=uploaded.instance), auth=auth(alice))
    assert r.status_code == 400, r.text
    body = r.json()
    assert "Output area" in body["errors"]["message"]
    assert str(AREA) in body["errors"]["message"]
    assert body["errorValues"]["limit"] == AREA


async def test_a_large_output_read_from_a_coarse_level_is_within_the_decode_bound(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    # The whole slide (3.1 M pixels at full resolution) is read at its eighth level.
    url = f"/iiif/{uploaded.instance}/full/256,/0/gray.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text


async def test_decoding_too_many_source_pixels_is_a_400_naming_the_limit(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    tmp_path: Path,
) -> None:
    # A flat image has no coarser level: a small output of all of it decodes every pixel.
    flat = tmp_path / "flat.png"
    Image.new("RGB", (1024, 1024), (200, 10, 10)).save(flat)
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    made = await upload(client, alice, flat, storage, project["id"])
    assert made.status_code == 200, made.text
    instance = made.json()[0]["images"][0]["imageInstances"][0]["id"]
    r = await client.get(f"/iiif/{instance}/full/128,/0/default.jpg", auth=auth(alice))
    assert r.status_code == 400, r.text
    body = r.json()
    assert f"Decoded source area of {1024 * 1024} pixels" in body["errors"]["message"]
    assert str(DECODE) in body["errors"]["message"]
    assert body["errorValues"]["limit"] == DECODE
    part = await client.get(f"/iiif/{instance}/0,0,256,256/128,/0/default.jpg", auth=auth(alice))
    assert part.status_code == 200, part.text
    # The image's statistics sample all of it too.
    stats = await client.get(f"/api/imageinstance/{instance}/histogram.json", auth=auth(alice))
    assert stats.status_code == 400, stats.text
    assert stats.json()["errorValues"]["limit"] == DECODE


async def test_limits_come_from_the_environment() -> None:
    settings = load_settings({"LAMINA_MAX_OUTPUT_PIXELS": "1000", "LAMINA_MAX_DECODE_PIXELS": "9"})
    assert (settings.max_output_pixels, settings.max_decode_pixels) == (1000, 9)
