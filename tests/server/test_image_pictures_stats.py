"""Histograms (image, channel, slice, bounds) and associated image names of an image."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def test_image_histogram_counts_every_band(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/histogram.json?nBins=16", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["nBins"] == 16 and len(body["histogram"]) == 16
    assert sum(body["histogram"]) == 3 * 1024 * 768
    assert body["type"] == "FAST" and 0 <= body["minimum"] <= body["maximum"] <= 255


async def test_image_histogram_bounds_are_the_extremes(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/histogram/bounds.json", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"type", "minimum", "maximum"}


@pytest.mark.parametrize("route", ["channelhistogram", "channelhistogram/bounds"])
async def test_channel_histograms_list_the_three_bands(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, route: str
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/{route}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    items = r.json()["collection"]
    assert [(i["channel"], i["apparentChannel"], i["color"]) for i in items] == [
        (0, 0, "#f00"),
        (0, 1, "#0f0"),
        (0, 2, "#00f"),
    ]


async def test_slice_histogram_is_a_collection_of_its_plane(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/sliceinstance/{uploaded.slice}/histogram.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["size"] == 3 and body["collection"][0]["nBins"] == 256


async def test_histogram_of_a_non_member_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/histogram.json", auth=auth(bob))
    assert_status(r, 403)


async def test_invalid_bin_count_is_a_400(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/histogram.json?nBins=0", auth=auth(alice)
    )
    assert_status(r, 400)


@pytest.mark.parametrize("kind", ["imageinstance", "abstractimage"])
async def test_associated_names_of_a_plain_tiff_are_empty(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, kind: str
) -> None:
    object_id = uploaded.instance if kind == "imageinstance" else uploaded.abstract
    r = await client.get(f"/api/{kind}/{object_id}/associated.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["collection"] == []
