"""Tiles never served before go through the fast path's pipeline exactly as through the app."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.runtime import runtime_of
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.iam_flow import password_grant
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    fast,
    fast_client_fixture,
    storage_root_fixture,
    uploaded_fixture,
)
from tiling import synthetic

_FIXTURES = (fast_client_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

TILE = "/api/sliceinstance/{s}/normalized-tile/zoom/2/tx/{x}/ty/0.jpg"


@pytest.fixture(scope="module", name="slide")
def stored_tiles_slide_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A slide whose JPEG tiles are stored as abbreviated streams, so they are copied through."""
    path = tmp_path_factory.mktemp("slides") / "slide.tiff"
    synthetic.write(path, 2048, 1536)
    return path


@pytest.fixture(name="settings")
def cached_accounts_settings_fixture(database_url: str, storage_root: Path) -> Settings:
    """Account rows kept for a minute, as a deployment keeps them for a few seconds."""
    return Settings(
        database_url=database_url, auth_cache_seconds=60.0, storage_dir=str(storage_root)
    )


async def signed(client: AsyncTestClient, alice: NewAccount, slice_id: int) -> str:  # type: ignore[type-arg]
    r = await client.get(f"/api/sliceinstance/{slice_id}/tileurl.json", auth=auth(alice))
    assert_status(r, 200)
    return str(r.json()["query"])


async def first_then_app(
    client: AsyncTestClient,  # type: ignore[type-arg]
    url: str,
    **kwargs: object,
) -> tuple[httpx.Response, httpx.Response, int]:
    """A tile asked for the first time (fast path on), then the app's answer to it with the
    picture caches emptied; and the fast path's hits on the first request."""
    wrapper = fast(client)
    before = wrapper.hits
    first = await client.get(url, **kwargs)  # type: ignore[arg-type]
    hits = wrapper.hits - before
    runtime = runtime_of(wrapper.app.state)
    runtime.picture_cache._items.clear()
    runtime.served_pictures._items.clear()
    wrapper.enabled = False
    try:
        app = await client.get(url, **kwargs)  # type: ignore[arg-type]
    finally:
        wrapper.enabled = True
    return first, app, hits


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content), b.text
    assert dict(a.headers) == dict(b.headers)


async def refused_by_the_app(
    client: AsyncTestClient,  # type: ignore[type-arg]
    url: str,
    status: int,
    **kwargs: object,
) -> None:
    """The fast path leaves a refusal to the app, which answers it as always."""
    first, app, hits = await first_then_app(client, url, **kwargs)
    assert_status(first, status)
    same(first, app)
    assert hits == 0


async def prepared(client: AsyncTestClient, alice: NewAccount, up: Uploaded) -> None:  # type: ignore[type-arg]
    """One tile rendered by the app, which indexes the file's stored tiles."""
    r = await client.get(TILE.format(s=up.slice, x=0), auth=auth(alice))
    assert_status(r, 200)


@pytest.mark.parametrize("signed_url", [False, True])
async def test_uncached_tile_is_copied_through_by_the_fast_path_as_the_app_does(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    signed_url: bool,
) -> None:
    await prepared(client, alice, uploaded)
    url = TILE.format(s=uploaded.slice, x=1)
    kwargs: dict[str, object] = {"auth": auth(alice)}
    if signed_url:
        url += "?" + await signed(client, alice, uploaded.slice)
        kwargs = {"headers": {"Origin": "https://viewer.example"}}
    first, app, hits = await first_then_app(client, url, **kwargs)
    assert_status(first, 200)
    assert first.headers["content-type"] == "image/jpeg"
    assert first.headers["cache-control"].startswith("public" if signed_url else "private")
    same(first, app)
    assert hits == 1


# tx, what follows ``ty/0`` -> (status, fast path hits): what needs no rendering is answered.
CASES = {
    "the .jpeg spelling": (1, ".jpeg", 200, 1),
    "outside the pyramid": (99, ".jpg", 404, 0),
    "a filter to render": (1, ".jpg?filters=otsu", 200, 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_only_tiles_that_need_no_rendering_are_answered_by_the_fast_path(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    case: str,
) -> None:
    await prepared(client, alice, uploaded)
    x, ending, status, expected_hits = CASES[case]
    url = TILE.format(s=uploaded.slice, x=x).removesuffix(".jpg") + ending
    first, app, hits = await first_then_app(client, url, auth=auth(alice))
    assert_status(first, status)
    same(first, app)
    assert hits == expected_hits


@pytest.mark.parametrize("in_query", [False, True])
async def test_bearer_tokens_are_checked_on_the_fast_path_as_in_the_app(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    in_query: bool,
) -> None:
    await prepared(client, alice, uploaded)
    token = (await password_grant(client, "alice", "alice-password")).json()["access_token"]
    url = TILE.format(s=uploaded.slice, x=1)
    kwargs: dict[str, object] = {"headers": {"Authorization": f"Bearer {token}"}}
    if in_query:
        url, kwargs = f"{url}?auth={token}", {}
    first, app, hits = await first_then_app(client, url, **kwargs)
    assert_status(first, 200)
    same(first, app)
    assert hits == 1
    forged = url.replace(token[-8:], "A" * 8) if in_query else url
    headers = {} if in_query else {"Authorization": f"Bearer {token[:-8]}AAAAAAAA"}
    await refused_by_the_app(client, forged, 401, headers=headers)


async def test_outsider_and_anonymous_callers_get_the_apps_refusal(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    bob: NewAccount,
    uploaded: Uploaded,
) -> None:
    await prepared(client, alice, uploaded)
    url = TILE.format(s=uploaded.slice, x=1)
    await refused_by_the_app(client, url, 403, auth=auth(bob))
    await refused_by_the_app(client, url, 401)


async def test_a_locked_account_is_refused_at_once_despite_the_account_cache(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    admin: NewAccount,
    uploaded: Uploaded,
) -> None:
    await prepared(client, alice, uploaded)
    url = TILE.format(s=uploaded.slice, x=1)
    assert_status(await client.get(url, auth=auth(alice)), 200)
    r = await client.post(f"/api/user/{alice.id}/lock.json", auth=auth(admin))
    assert_status(r, 200)
    before = fast(client).hits
    refused = await client.get(url, auth=auth(alice))
    assert_status(refused, 401)
    assert fast(client).hits == before
