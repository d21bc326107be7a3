"""IIIF Image API 3.0 and DeepZoom routes for standard viewers."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from server import signed_urls
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.image_helpers import HEIGHT, WIDTH
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    pixels,
    settings_fixture,
    slide_fixture,
    source_region,
    storage_root_fixture,
    uploaded_fixture,
)
from tiling import sources

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def test_info_json_describes_the_image_with_an_absolute_id(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["id"] == f"http://testserver.local/iiif/{uploaded.instance}"
    assert (info["width"], info["height"], info["type"]) == (WIDTH, HEIGHT, "ImageService3")


async def test_info_json_allows_any_origin(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", auth=auth(alice))
    assert r.headers["access-control-allow-origin"] == "*"


async def test_info_json_is_json_ld_when_asked(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    headers = {"Accept": "application/ld+json"}
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", headers=headers, auth=auth(alice))
    assert r.headers["content-type"].startswith("application/ld+json")


async def test_base_uri_redirects_to_info_json(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}", auth=auth(alice), follow_redirects=False)
    assert_status(r, 303)
    assert r.headers["location"].endswith(f"/iiif/{uploaded.instance}/info.json")


async def test_region_request_matches_the_source_pixels(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path
) -> None:
    url = f"/iiif/{uploaded.instance}/100,50,200,150/max/0/default.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert np.array_equal(pixels(r.content), source_region(slide, 100, 50, 200, 150))


async def test_bad_iiif_parameter_is_a_400(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/full/max/45/default.jpg", auth=auth(alice))
    assert_status(r, 400)


async def test_iiif_outsider_is_refused(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", auth=auth(bob))
    assert_status(r, 403)


async def test_dzi_descriptor_names_size_and_tiles(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/dzi/{uploaded.instance}.dzi", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert f'<Size Width="{WIDTH}" Height="{HEIGHT}"/>' in r.text
    assert 'TileSize="256"' in r.text


async def test_dzi_level_reassembles_into_the_source_at_that_level(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path
) -> None:
    level, (lw, lh) = 9, (WIDTH // 4, HEIGHT // 4)
    canvas = np.zeros((lh, lw, 3), np.uint8)
    for row in range(-(-lh // 256)):
        for col in range(-(-lw // 256)):
            url = f"/dzi/{uploaded.instance}_files/{level}/{col}_{row}.png"
            r = await client.get(url, auth=auth(alice))
            assert r.status_code == 200, r.text
            tile = pixels(r.content)
            canvas[row * 256 : row * 256 + tile.shape[0], col * 256 : col * 256 + tile.shape[1]] = (
                tile
            )
    expected = source_region(slide, 0, 0, WIDTH, HEIGHT, maxWidth=lw, maxHeight=lh)
    assert np.array_equal(canvas, expected)


async def test_dzi_tile_outside_the_level_is_a_404(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/dzi/{uploaded.instance}_files/9/5_0.jpg", auth=auth(alice))
    assert_status(r, 404)


async def test_signed_dzi_tiles_need_no_credentials(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/tileurl.json", auth=auth(alice))
    query = r.json()["query"]
    tile = await client.get(f"/dzi/{uploaded.instance}_files/0/0_0.jpg?{query}")
    assert tile.status_code == 200, tile.text
    assert tile.headers["cache-control"].startswith("public")


async def signed_urls_of(client: AsyncTestClient, alice: NewAccount, up: Uploaded) -> Any:  # type: ignore[type-arg]
    r = await client.get(f"/api/imageinstance/{up.instance}/tileurl.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return r.json()


async def test_tileurl_hands_out_path_signed_iiif_and_dzi_urls(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    urls = await signed_urls_of(client, alice, uploaded)
    base = urls["iiifBase"]
    assert base.startswith("http://testserver.local/iiif/s/")
    assert base.endswith(f"/{uploaded.instance}")
    assert "?" not in base
    assert urls["iiif"] == f"{base}/info.json"
    assert urls["dzi"].startswith("http://testserver.local/dzi/s/")
    assert urls["dzi"].endswith(f"/{uploaded.instance}.dzi")


async def test_signed_info_json_id_keeps_the_signature_for_every_derived_url(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    base = (await signed_urls_of(client, alice, uploaded))["iiifBase"]
    r = await client.get(f"{base}/info.json")
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["id"] == base
    assert r.headers["cache-control"].startswith("public")
    region = "0,0,512,512/256,/0/default.png"
    tile = await client.get(f"{info['id']}/{region}")
    assert tile.status_code == 200, tile.text
    same = await client.get(f"/iiif/{uploaded.instance}/{region}", auth=auth(alice))
    assert np.array_equal(pixels(tile.content), pixels(same.content))


async def test_info_json_declares_level2_and_the_output_limits(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, settings: Settings
) -> None:
    r = await client.get(f"/iiif/{uploaded.instance}/info.json", auth=auth(alice))
    info = r.json()
    assert info["profile"] == "level2"
    assert info["extraFormats"] == ["webp"]
    assert set(info["extraQualities"]) == {"color", "gray", "bitonal"}
    assert info["maxArea"] == settings.max_output_pixels
    assert info["maxWidth"] == info["maxHeight"] == sources.MAX_OUTPUT_SIDE


async def test_signed_base_redirects_to_its_info_json(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    base = (await signed_urls_of(client, alice, uploaded))["iiifBase"]
    r = await client.get(base, follow_redirects=False)
    assert_status(r, 303)
    assert r.headers["location"].endswith(
        base.removeprefix("http://testserver.local") + "/info.json"
    )


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token, instance: (token[:-2] + "AA", instance),  # tampered signature
        lambda token, instance: ("not-a-token", instance),  # no signature at all
        lambda token, instance: (token.replace("~", "~1", 1), instance),  # another expiry
        lambda token, instance: (token, instance + 1),  # another image
    ],
)
async def test_a_spoiled_path_token_is_refused(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,
    spoil: Callable[[str, int], tuple[str, int]],
) -> None:
    base = (await signed_urls_of(client, alice, uploaded))["iiifBase"]
    token = base.split("/iiif/s/")[1].split("/")[0]
    bad_token, instance = spoil(token, uploaded.instance)
    for url in (
        f"/iiif/s/{bad_token}/{instance}/info.json",
        f"/iiif/s/{bad_token}/{instance}/full/64,/0/default.jpg",
        f"/dzi/s/{bad_token}/{instance}.dzi",
        f"/dzi/s/{bad_token}/{instance}_files/0/0_0.jpg",
    ):
        r = await client.get(url)
        assert r.status_code == 403, (url, r.text)
        assert "signature" in r.json()["errors"]["message"]


async def test_an_expired_path_token_is_refused(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = (await signed_urls_of(client, alice, uploaded))["iiifBase"]
    later = SimpleNamespace(time=lambda: time.time() + 30 * 86400)
    monkeypatch.setattr(signed_urls, "time", later)
    r = await client.get(f"{base}/info.json")
    assert_status(r, 403)
    assert "expired" in r.json()["errors"]["message"]


async def test_signed_dzi_and_the_tiles_derived_from_it_need_no_credentials(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    dzi = (await signed_urls_of(client, alice, uploaded))["dzi"]
    r = await client.get(dzi)
    assert r.status_code == 200, r.text
    assert f'<Size Width="{WIDTH}" Height="{HEIGHT}"/>' in r.text
    # OpenSeadragon's rule: the tiles live beside the descriptor, under {name}_files/.
    tile = await client.get(dzi.removesuffix(".dzi") + "_files/9/1_1.jpg")
    assert tile.status_code == 200, tile.text
    assert tile.headers["cache-control"].startswith("public")
    same = await client.get(f"/dzi/{uploaded.instance}_files/9/1_1.jpg", auth=auth(alice))
    assert tile.content == same.content


async def test_info_json_signed_by_its_query_names_a_path_signed_id(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    urls = await signed_urls_of(client, alice, uploaded)
    r = await client.get(f"/iiif/{uploaded.instance}/info.json?{urls['query']}")
    assert r.status_code == 200, r.text
    sid = r.json()["id"]
    assert sid.startswith("http://testserver.local/iiif/s/")
    tile = await client.get(f"{sid}/full/128,/0/default.jpg")
    assert tile.status_code == 200, tile.text
