"""Image filters (``filters=<method>``) on tiles, thumbnails and windows, as the viewer asks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.iam_flow import password_grant
from tests.server.image_helpers import HEIGHT, WIDTH
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    fast,
    fast_client_fixture,
    pixels,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)
from tiling import filters, levels, sources

_FIXTURES = (
    fast_client_fixture,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

TILE = "/api/sliceinstance/{s}/normalized-tile/zoom/{z}/tx/{x}/ty/{y}.{fmt}"
# The query string the Web UI builds for an RGB image with the "Binary" filter chosen
# (CytomineImage.vue baseLayerURL: slice params, then the colors module's tileRequestParams).
UI_QUERY = (
    "zSlices=0&timepoints=0&filters=binary&channels=0%2C1%2C2&minIntensities=0%2C0%2C0"
    "&maxIntensities=255%2C255%2C255&gammas=1%2C1%2C1&colormaps=%23ff0000%2C%2300ff00%2C%230000ff"
)


def tile_url(up: Uploaded, z: int = 3, x: int = 1, y: int = 1, fmt: str = "png") -> str:
    return TILE.format(s=up.slice, z=z, x=x, y=y, fmt=fmt)


def expected(slide: Path, method: str, read: np.ndarray) -> np.ndarray:
    """The filter applied to the slide's own pixels, with its whole-image histogram."""
    adjust = filters.adjuster(slide, None, filters.parse(method))
    assert adjust is not None
    return adjust(read)


async def fetched(client: AsyncTestClient, who: NewAccount, url: str) -> np.ndarray:  # type: ignore[type-arg]
    """The decoded pixels of a PNG picture."""
    r = await client.get(url, auth=auth(who))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    return pixels(r.content)


async def test_binary_tile_thresholds_with_the_whole_image_histogram(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    slide: Path,
) -> None:
    got = await fetched(client, alice, f"{tile_url(uploaded, 0, 0, 0)}?filters=binary")
    assert set(np.unique(got).tolist()) <= {0, 255}
    want = expected(slide, "binary", sources.tile_pixels(slide, 0, 0, 0))
    assert (got == want).all()
    # The whole slide (zoom 0) goes from dark to bright: both classes are there.
    assert 0.2 < (got[:192] == 255).mean() < 0.8


@pytest.mark.parametrize("method", ["otsu", "yen", "he-eosin", "hdab-dab", "g_rgb", "y_cmy"])
async def test_each_filter_renders_its_pixels_on_a_tile(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    slide: Path,
    method: str,
) -> None:
    got = await fetched(client, alice, f"{tile_url(uploaded, 2, 0, 1)}?filters={method}")
    assert (got == expected(slide, method, sources.tile_pixels(slide, 2, 0, 1))).all()


async def test_thumbnail_and_window_are_filtered(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    slide: Path,
) -> None:
    image = f"/api/imageinstance/{uploaded.instance}"
    whole = levels.Box(0, 0, WIDTH, HEIGHT)
    got = await fetched(client, alice, f"{image}/thumb.png?maxSize=256&filters=he-haematoxylin")
    want = expected(slide, "he-haematoxylin", sources.region_pixels(slide, whole, max_size=256))
    assert (got == want).all()
    box = levels.Box(100, 200, 300, 150)
    got = await fetched(client, alice, f"{image}/window-100-200-300-150.png?filters=mean")
    assert (got == expected(slide, "mean", sources.region_pixels(slide, box))).all()


async def test_crops_are_filtered_before_drawing(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    image = f"/api/imageinstance/{uploaded.instance}"
    crop = f"{image}/crop.png?geometry=POLYGON((100 100,400 100,400 300,100 300,100 100))"
    plain = await fetched(client, alice, crop)
    got = await fetched(client, alice, f"{crop}&filters=he-eosin")
    assert (got == filters.deconvolve(plain, "he-eosin")).all()
    window = f"{image}/window-100-200-300-150.png"
    plain = await fetched(client, alice, f"{window}?filters=otsu")
    drawn = await fetched(client, alice, f"{window}?filters=otsu&draw=true")
    assert set(np.unique(plain).tolist()) <= {0, 255}
    assert drawn.shape == plain.shape


async def test_one_filter_per_picture_in_the_query_or_the_body(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    window = f"/api/imageinstance/{uploaded.instance}/window-0-0-200-100.png"
    posted = await client.post(window, json={"filters": ["mean"]}, auth=auth(alice))
    got = await client.get(f"{window}?filters=mean", auth=auth(alice))
    assert posted.status_code == 200, posted.text
    assert (pixels(posted.content) == pixels(got.content)).all()
    r = await client.get(f"{tile_url(uploaded)}?filters=otsu&filters=yen", auth=auth(alice))
    assert_status(r, 400)
    assert "one image filter" in r.json()["errors"]["message"]


async def test_filters_are_part_of_the_etag(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    url = tile_url(uploaded, fmt="jpg")
    tags = {}
    for query in ("", "?filters=binary", "?filters=otsu", "?filters=he-eosin", "?filters=r_rgb"):
        r = await client.get(url + query, auth=auth(alice))
        assert r.status_code == 200, r.text
        tags[query] = r.headers["etag"]
    assert len(set(tags.values())) == len(tags)
    # Names are case-insensitive and aliases name the same filter: the same picture.
    r = await client.get(url + "?filters=ISODATA", auth=auth(alice))
    assert r.headers["etag"] == tags["?filters=binary"]
    # A browser holding the unfiltered tile gets the filtered one, not a 304.
    headers = {"If-None-Match": tags[""]}
    r = await client.get(url + "?filters=binary", auth=auth(alice), headers=headers)
    assert (r.status_code, r.headers["etag"]) == (200, tags["?filters=binary"])


async def test_fast_path_never_answers_a_filtered_request_with_unfiltered_bytes(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    url = tile_url(uploaded, fmt="jpg")
    wrapper = fast(client)
    plain = await client.get(url, auth=auth(alice))
    again = await client.get(url, auth=auth(alice))
    assert again.content == plain.content
    before = wrapper.hits
    filtered = await client.get(f"{url}?filters=binary", auth=auth(alice))
    assert_status(filtered, 200)
    assert wrapper.hits == before  # the app answers a request it has not seen
    assert filtered.content != plain.content
    assert filtered.headers["etag"] != plain.headers["etag"]
    warm = await client.get(f"{url}?filters=binary", auth=auth(alice))
    assert wrapper.hits == before + 1  # then the fast path replays the filtered answer
    assert (warm.content, warm.headers["etag"]) == (filtered.content, filtered.headers["etag"])
    other = await client.get(f"{url}?filters=otsu", auth=auth(alice))
    assert wrapper.hits == before + 1
    assert other.headers["etag"] != filtered.headers["etag"]


async def test_replay_of_the_web_ui_tile_request_with_a_filter(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    token = (await password_grant(client, "alice", "alice-password")).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    url = tile_url(uploaded, fmt="jpg")
    r = await client.get(f"{url}?{UI_QUERY}", headers=bearer)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/jpeg"
    got = pixels(r.content).astype(int)
    # A gray binary picture: JPEG keeps its pixels near black or white.
    assert (np.minimum(got, 255 - got) <= 40).mean() > 0.97
    unfiltered = UI_QUERY.replace("filters=binary&", "")
    plain = await client.get(f"{url}?{unfiltered}", headers=bearer)
    assert_status(plain, 200)
    assert plain.headers["etag"] != r.headers["etag"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/sliceinstance/{s}/normalized-tile/zoom/1/tx/0/ty/0.jpg",
        "/api/imageinstance/{i}/thumb.jpg",
        "/api/imageinstance/{i}/window-0-0-100-100.png",
    ],
)
async def test_unknown_filter_is_refused_naming_it(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    path: str,
) -> None:
    url = path.format(s=uploaded.slice, i=uploaded.instance)
    r = await client.get(f"{url}?filters=sharpen", auth=auth(alice))
    assert_status(r, 400)
    assert "sharpen" in r.json()["errors"]["message"]
    # Filters the core lists but the image server does not implement are refused as well.
    r = await client.get(f"{url}?filters=huang", auth=auth(alice))
    assert_status(r, 400)
    assert "huang" in r.text


async def test_filtered_tiles_follow_project_access(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    uploaded: Uploaded,
) -> None:
    url = f"{tile_url(uploaded, fmt='jpg')}?filters=otsu"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, auth=auth(bob))).status_code == 403
    assert (await client.get(url, auth=auth(admin))).status_code == 200
    r = await client.get(f"/api/imageinstance/{uploaded.instance}.json", auth=auth(alice))
    project = r.json()["project"]
    r = await client.post(f"/api/project/{project}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    member = await client.get(url, auth=auth(bob))
    assert_status(member, 200)
    owner = await client.get(url, auth=auth(alice))
    assert member.content == owner.content
