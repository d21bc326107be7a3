"""Pixel routes: normalized tiles, thumbnails, windows, downloads, caching and signed URLs."""

from __future__ import annotations

from pathlib import Path

import large_image
import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from server import signed_urls
from server.db.store.accounts import NewAccount
from server.imaging import ByteLru
from server.runtime import runtime_of
from tests.assertions import assert_status
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import (
    Uploaded,
    pixels,
    settings_fixture,
    slide_fixture,
    source_region,
    storage_root_fixture,
    uploaded_fixture,
)
from tiling import sources, synthetic

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def tile_url(slice_id: int, z: int, tx: int, ty: int, fmt: str = "jpg") -> str:
    return f"/api/sliceinstance/{slice_id}/normalized-tile/zoom/{z}/tx/{tx}/ty/{ty}.{fmt}"


@pytest.mark.parametrize(("z", "tx", "ty"), [(0, 0, 0), (2, 1, 1), (3, 7, 5)])
async def test_tile_bytes_equal_large_image_stored_tile(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,
    slide: Path,
    z: int,
    tx: int,
    ty: int,
) -> None:
    r = await client.get(tile_url(uploaded.slice, z, tx, ty), auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/jpeg"
    assert r.content == large_image.open(str(slide)).getTile(tx, ty, z)


async def test_tile_accepts_viewer_parameters_it_ignores(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = "zSlices=0&timepoints=0&channels=0%2C1%2C2&gammas=1%2C1%2C1"
    r = await client.get(f"{tile_url(uploaded.slice, 0, 0, 0)}?{query}", auth=auth(alice))
    assert r.status_code == 200, r.text


async def test_out_of_range_tile_is_a_json_404(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(tile_url(uploaded.slice, 3, 99, 0), auth=auth(alice))
    assert_status(r, 404)
    assert "errors" in r.json()


async def test_if_none_match_answers_304_without_touching_pixels(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await client.get(tile_url(uploaded.slice, 1, 0, 0), auth=auth(alice))
    tag = first.headers["etag"]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pixels were read")

    monkeypatch.setattr(sources, "tile", refuse)
    headers = {"If-None-Match": tag}
    r = await client.get(tile_url(uploaded.slice, 1, 0, 0), headers=headers, auth=auth(alice))
    assert_status(r, 304)
    assert r.headers["etag"] == tag and r.content == b""


async def test_authenticated_pictures_are_privately_cacheable(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(tile_url(uploaded.slice, 0, 0, 0), auth=auth(alice))
    assert r.headers["cache-control"].startswith("private")
    assert r.headers["etag"].startswith('"')


@pytest.mark.parametrize("kind", ["imageinstance", "sliceinstance"])
async def test_outsider_is_refused(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded, kind: str
) -> None:
    ident = uploaded.instance if kind == "imageinstance" else uploaded.slice
    r = await client.get(f"/api/{kind}/{ident}/thumb.jpg", auth=auth(bob))
    assert_status(r, 403)


async def test_unknown_image_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/imageinstance/999999/thumb.jpg", auth=auth(alice))
    assert_status(r, 404)


async def test_anonymous_picture_request_is_unauthorized(
    client: AsyncTestClient, uploaded: Uploaded
) -> None:
    r = await client.get(tile_url(uploaded.slice, 0, 0, 0))
    assert_status(r, 401)


@pytest.mark.parametrize(("kind", "size"), [("imageinstance", 300), ("abstractimage", 100)])
async def test_thumbnail_longest_side_is_max_size(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, kind: str, size: int
) -> None:
    ident = uploaded.instance if kind == "imageinstance" else uploaded.abstract
    r = await client.get(f"/api/{kind}/{ident}/thumb.png?maxSize={size}", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape[:2] == (size * 1536 // 2048, size)


async def test_preview_defaults_to_1024(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/preview.png", auth=auth(alice))
    assert pixels(r.content).shape[:2] == (768, 1024)


async def test_window_pixels_match_the_source_region_from_the_top_left(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/window-300-200-160-120.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert np.array_equal(pixels(r.content), source_region(slide, 300, 200, 160, 120))


async def test_window_larger_than_the_limit_is_refused_naming_it(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/window-0-0-9000-100.jpg"
    r = await client.get(url, auth=auth(alice))
    assert_status(r, 400)
    assert str(sources.MAX_OUTPUT_SIDE) in r.json()["errors"]["message"]


async def test_large_window_fits_in_max_size(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/window-0-0-2048-1024.png?maxSize=256"
    r = await client.get(url, auth=auth(alice))
    assert pixels(r.content).shape[:2] == (128, 256)


@pytest.mark.parametrize("kind", ["imageinstance", "abstractimage", "sliceinstance"])
async def test_download_streams_the_original_file(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path, kind: str
) -> None:
    ident = {"imageinstance": uploaded.instance, "abstractimage": uploaded.abstract}.get(
        kind, uploaded.slice
    )
    r = await client.get(f"/api/{kind}/{ident}/download", auth=auth(alice))
    assert_status(r, 200)
    assert r.content == slide.read_bytes()
    assert "attachment" in r.headers["content-disposition"]


async def signed_query(client: AsyncTestClient, alice: NewAccount, slice_id: int) -> str:
    r = await client.get(f"/api/sliceinstance/{slice_id}/tileurl.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return str(r.json()["query"])


async def test_signed_url_serves_without_credentials_and_is_public(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = await signed_query(client, alice, uploaded.slice)
    r = await client.get(f"{tile_url(uploaded.slice, 0, 0, 0)}?{query}")
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_signed_url_template_names_the_tile_route(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/sliceinstance/{uploaded.slice}/tileurl.json", auth=auth(alice))
    template = r.json()["tile"]
    assert "/normalized-tile/zoom/{z}/tx/{x}/ty/{y}.jpg?" in template


async def test_tampered_signed_url_is_refused(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = await signed_query(client, alice, uploaded.slice)
    other = uploaded.slice + 1
    r = await client.get(f"{tile_url(other, 0, 0, 0)}?{query}")
    assert_status(r, 403)


async def test_expired_signed_url_is_refused(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = await signed_query(client, alice, uploaded.slice)
    params = dict(p.split("=", 1) for p in query.split("&"))
    secret = runtime_of(client.app.state).url_secret
    stale, _ = signed_urls.sign(secret, "sliceinstance", uploaded.slice, params["v"], ttl=-10)
    r = await client.get(f"{tile_url(uploaded.slice, 0, 0, 0)}?{stale}")
    assert_status(r, 403)
    assert "expired" in r.json()["errors"]["message"]


async def test_warm_tile_is_served_from_memory_without_rendering(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await client.get(tile_url(uploaded.slice, 2, 0, 0), auth=auth(alice))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pixels were read")

    monkeypatch.setattr(sources, "tile", refuse)
    again = await client.get(tile_url(uploaded.slice, 2, 0, 0), auth=auth(alice))
    assert again.status_code == 200 and again.content == first.content


def test_picture_cache_stays_within_its_byte_budget() -> None:
    cache = ByteLru(max_bytes=250, max_item=100)
    for i in range(5):
        cache.put(f'"{i}"', (bytes(100), "image/jpeg"))
    cache.put('"big"', (bytes(101), "image/jpeg"))
    assert cache.size == 200
    assert cache.get('"0"') is None and cache.get('"4"') is not None
    assert cache.get('"big"') is None


async def test_abstract_slice_tile_equals_the_slice_instance_tile(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    listed = await client.get(
        f"/api/abstractimage/{uploaded.abstract}/abstractslice.json", auth=auth(alice)
    )
    abstract_slice = listed.json()["collection"][0]["id"]
    url = f"/api/abstractslice/{abstract_slice}/normalized-tile/zoom/1/tx/0/ty/0.jpg"
    r = await client.get(url, auth=auth(alice))
    expected = await client.get(tile_url(uploaded.slice, 1, 0, 0), auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.content == expected.content


async def test_associated_label_of_a_slide_is_served(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    svs = tmp_path / "slide.svs"
    synthetic.write(svs, 1200, 800, "svs", seed=1)
    storage = await make_storage(client, alice, "S2")
    project = await make_project(client, alice, "P2")
    made = await upload(client, alice, svs, storage, project["id"])
    instance = made.json()[0]["images"][0]["imageInstances"][0]["id"]
    url = f"/api/imageinstance/{instance}/associated/label.png?maxSize=128"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert max(pixels(r.content).shape[:2]) == 128


async def test_missing_associated_image_is_not_found(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/associated/macro.jpg"
    r = await client.get(url, auth=auth(alice))
    assert_status(r, 404)


async def test_post_thumbnail_takes_its_parameters_from_the_body(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/thumb.png"
    r = await client.post(url, json={"maxSize": 64}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape[:2] == (48, 64)
