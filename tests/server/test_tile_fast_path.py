"""The raw-ASGI fast path answers warm picture GETs exactly as the app does, or not at all."""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx
import pytest
from litestar.testing import AsyncTestClient

from server import signed_urls
from server.db.store.accounts import NewAccount
from server.runtime import runtime_of
from tests.assertions import assert_status
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    fast,
    fast_client_fixture,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)
from tests.signing import CytomineAuth

_FIXTURES = (
    fast_client_fixture,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

URLS = {
    "tile": "/api/sliceinstance/{s}/normalized-tile/zoom/2/tx/1/ty/1.jpg",
    "tile by index": "/api/sliceinstance/{s}/normalized-tile/zoom/1/ti/3.jpg",
    "png tile": "/api/sliceinstance/{s}/normalized-tile/zoom/0/tx/0/ty/0.png",
    "abstract slice tile": "/api/abstractslice/{a_s}/normalized-tile/zoom/3/tx/2/ty/1.jpg",
    "thumb": "/api/imageinstance/{i}/thumb.jpg?maxSize=128",
    "deepzoom tile": "/dzi/{i}_files/9/0_0.jpeg",
    "iiif": "/iiif/{i}/0,0,512,512/256,/0/default.jpg",
}


async def url_of(client: AsyncTestClient, alice: NewAccount, up: Uploaded, name: str) -> str:  # type: ignore[type-arg]
    r = await client.get(f"/api/abstractimage/{up.abstract}/abstractslice.json", auth=auth(alice))
    abstract_slice = r.json()["collection"][0]["id"]
    return URLS[name].format(s=up.slice, i=up.instance, a_s=abstract_slice)


async def signed(client: AsyncTestClient, alice: NewAccount, kind: str, object_id: int) -> str:  # type: ignore[type-arg]
    r = await client.get(f"/api/{kind}/{object_id}/tileurl.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return str(r.json()["query"])


async def twice(
    client: AsyncTestClient,
    url: str,
    **kwargs: object,  # type: ignore[type-arg]
) -> tuple[httpx.Response, httpx.Response, int]:
    """The app's answer (fast path off), then the same request again; and the fast hits."""
    wrapper = fast(client)
    wrapper.enabled = False
    slow = await client.get(url, **kwargs)  # type: ignore[arg-type]
    wrapper.enabled = True
    before = wrapper.hits
    again = await client.get(url, **kwargs)  # type: ignore[arg-type]
    return slow, again, wrapper.hits - before


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)
    assert dict(a.headers) == dict(b.headers)


async def test_warm_pictures_with_api_key_are_answered_from_memory_identically(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    for name in sorted(URLS):  # every eligible route shape
        url = await url_of(client, alice, uploaded, name)
        slow, again, hits = await twice(client, url, auth=auth(alice))
        assert slow.status_code == 200, (name, slow.text)
        same(slow, again)
        assert hits == 1, name


async def test_warm_tile_with_signed_url_is_answered_from_memory_identically(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    query = await signed(client, alice, "sliceinstance", uploaded.slice)
    url = f"{await url_of(client, alice, uploaded, 'tile')}?{query}"
    slow, again, hits = await twice(client, url)
    assert slow.headers["cache-control"].startswith("public")
    same(slow, again)
    assert hits == 1


@pytest.mark.parametrize("signed_url", [False, True])
async def test_if_none_match_gets_the_same_304_from_memory(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,
    signed_url: bool,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    if signed_url:
        url += "?" + await signed(client, alice, "sliceinstance", uploaded.slice)
    kwargs = {} if signed_url else {"auth": auth(alice)}
    tag = (await client.get(url, **kwargs)).headers["etag"]  # type: ignore[arg-type]
    slow, again, hits = await twice(client, url, headers={"If-None-Match": tag}, **kwargs)
    assert_status(slow, 304)
    same(slow, again)
    assert hits == 1


async def test_signature_covering_the_path_is_checked_on_the_fast_path(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    path_auth = CytomineAuth(alice.public_key, alice.private_key, with_path=True)
    slow, again, hits = await twice(client, url, auth=path_auth)
    same(slow, again)
    assert hits == 1


async def test_outsider_with_a_warm_tile_url_is_refused_by_the_app(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    await client.get(url, auth=auth(alice))
    slow, again, hits = await twice(client, url, auth=auth(bob))
    assert_status(slow, 403)
    same(slow, again)
    assert hits == 0


async def test_tampered_signature_on_a_warm_tile_is_refused_by_the_app(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    query = await signed(client, alice, "sliceinstance", uploaded.slice)
    url = f"{await url_of(client, alice, uploaded, 'tile')}?{query}"
    await client.get(url)
    slow, again, hits = await twice(client, url.replace("sig=", "sig=A"))
    assert_status(slow, 403)
    same(slow, again)
    assert hits == 0


async def test_anonymous_request_for_a_warm_tile_goes_to_the_app(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    await client.get(url, auth=auth(alice))
    slow, again, hits = await twice(client, url)
    assert_status(slow, 401)
    same(slow, again)
    assert hits == 0


async def test_expired_access_decision_is_taken_again_by_the_same_statement(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    await client.get(url, auth=auth(alice))
    runtime_of(fast(client).app.state).image_decisions.ttl = 0.0
    runtime_of(fast(client).app.state).image_decisions._items.clear()
    slow, again, hits = await twice(client, url, auth=auth(alice))
    same(slow, again)
    assert hits == 1
    slow, again, hits = await twice(client, url, auth=auth(bob))
    assert slow.status_code == 403
    same(slow, again)
    assert hits == 0


async def test_other_query_parameters_are_another_request(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    url = await url_of(client, alice, uploaded, "tile")
    await client.get(url, auth=auth(alice))
    slow, again, hits = await twice(client, f"{url}?channels=0", auth=auth(alice))
    same(slow, again)
    assert hits == 1  # the first of the pair (fast path off) made it known


async def test_expired_signed_url_on_a_warm_tile_is_refused_by_the_app(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query = await signed(client, alice, "sliceinstance", uploaded.slice)
    url = f"{await url_of(client, alice, uploaded, 'tile')}?{query}"
    await client.get(url)
    later = SimpleNamespace(time=lambda: time.time() + 30 * 86400)
    monkeypatch.setattr(signed_urls, "time", later)
    slow, again, hits = await twice(client, url)
    assert_status(slow, 403)
    same(slow, again)
    assert hits == 0


async def path_signed(client: AsyncTestClient, alice: NewAccount, up: Uploaded) -> dict[str, str]:  # type: ignore[type-arg]
    """Tile URLs under the path-signed IIIF base and DeepZoom descriptor of an image."""
    r = await client.get(f"/api/imageinstance/{up.instance}/tileurl.json", auth=auth(alice))
    urls = r.json()
    return {
        "iiif": f"{urls['iiifBase']}/0,0,512,512/256,/0/default.jpg",
        "dzi": urls["dzi"].removesuffix(".dzi") + "_files/9/0_0.jpg",
    }


async def test_warm_tiles_under_a_path_signed_base_are_answered_from_memory(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    for name, url in (await path_signed(client, alice, uploaded)).items():
        slow, again, hits = await twice(client, url, headers={"Origin": "https://v.example"})
        assert slow.status_code == 200, (name, slow.text)
        assert slow.headers["cache-control"].startswith("public")
        assert slow.headers["access-control-allow-origin"] == "*"
        same(slow, again)
        assert hits == 1, name


async def test_a_tampered_path_token_on_a_warm_tile_is_refused_by_the_app(
    client: AsyncTestClient,
    alice: NewAccount,
    uploaded: Uploaded,  # type: ignore[type-arg]
) -> None:
    for url in (await path_signed(client, alice, uploaded)).values():
        await client.get(url)
        token = url.split("/s/")[1].split("/")[0]
        slow, again, hits = await twice(client, url.replace(token, token[:-2] + "AA"))
        assert_status(slow, 403)
        same(slow, again)
        assert hits == 0
