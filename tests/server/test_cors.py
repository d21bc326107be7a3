"""Every answer carries CORS headers (errors, 304s, the tile fast path), preflights are real."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server import fast_tiles
from server.app import create_app
from server.cors import CorsPolicy, with_headers
from server.db.store.accounts import NewAccount
from server.settings import Settings, load_settings
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

_FIXTURES = (
    fast_client_fixture,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ORIGIN = {"Origin": "https://viewer.example"}
# What Cytomine's JS client sends on a signed API call.
CLIENT_HEADERS = "authorization,datefull,content-type-full,date,content-type,x-requested-with"


def assert_cors(r: httpx.Response) -> None:
    """An answer any origin's page may read, without credentials."""
    assert r.headers["access-control-allow-origin"] == "*", (r.status_code, dict(r.headers))
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "content-length", "content-type"} <= exposed
    assert "access-control-allow-credentials" not in r.headers
    assert "origin" not in r.headers.get("vary", "").lower()


async def test_a_401_carries_cors_headers(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/api/project.json", headers=ORIGIN)
    assert_status(r, 401)
    assert_cors(r)


async def test_an_unknown_route_404_carries_cors_headers(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/no/such/route", headers=ORIGIN)
    assert_status(r, 404)
    assert_cors(r)


async def test_answers_without_an_origin_carry_them_too(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/api/project.json")
    assert_cors(r)


async def test_success_403_400_and_304_carry_cors_headers(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    bob: NewAccount,
    uploaded: Uploaded,
) -> None:
    info = f"/iiif/{uploaded.instance}/info.json"
    ok = await client.get(info, headers=ORIGIN, auth=auth(alice))
    assert_status(ok, 200)
    assert_cors(ok)
    refused = await client.get(info, headers=ORIGIN, auth=auth(bob))
    assert_status(refused, 403)
    assert_cors(refused)
    bad = await client.get(
        f"/iiif/{uploaded.instance}/full/max/45/default.jpg", headers=ORIGIN, auth=auth(alice)
    )
    assert_status(bad, 400)
    assert_cors(bad)
    again = await client.get(
        info, headers={**ORIGIN, "If-None-Match": ok.headers["etag"]}, auth=auth(alice)
    )
    assert_status(again, 304)
    assert_cors(again)


async def test_a_500_carries_cors_headers(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
    storage_root: Path,
) -> None:
    # The stored file vanishes behind the server's back: rendering fails unexpectedly.
    for stored in storage_root.rglob("*"):
        if stored.is_file():
            stored.unlink()
    url = f"/api/imageinstance/{uploaded.instance}/window-0-0-64-64.jpg"
    r = await client.get(url, headers=ORIGIN, auth=auth(alice))
    assert r.status_code >= 500, r.text
    assert_cors(r)


async def test_tiles_answered_from_memory_carry_the_same_cors_headers(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    uploaded: Uploaded,
) -> None:
    url = f"/api/sliceinstance/{uploaded.slice}/normalized-tile/zoom/1/tx/0/ty/0.jpg"
    first = await client.get(url, headers=ORIGIN, auth=auth(alice))
    wrapper = fast(client)
    hits = wrapper.hits
    second = await client.get(url, headers=ORIGIN, auth=auth(alice))
    assert wrapper.hits == hits + 1
    assert_cors(second)
    assert dict(first.headers) == dict(second.headers)


async def test_preflight_allows_the_methods_and_headers_clients_send(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    headers = {
        **ORIGIN,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": f"{CLIENT_HEADERS},x-custom-thing",
    }
    r = await client.options("/api/project/1.json", headers=headers)
    assert_status(r, 204)
    assert r.headers["access-control-allow-origin"] == "*"
    methods = {m.strip() for m in r.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"} <= methods
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert set(CLIENT_HEADERS.split(",")) | {"x-custom-thing"} <= allowed
    assert int(r.headers["access-control-max-age"]) >= 600
    assert "access-control-allow-credentials" not in r.headers


async def test_preflight_of_a_picture_route_is_answered_too(
    client: AsyncTestClient,  # type: ignore[type-arg]
    uploaded: Uploaded,
) -> None:
    headers = {
        **ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    r = await client.options(f"/iiif/{uploaded.instance}/info.json", headers=headers)
    assert_status(r, 204)
    assert "authorization" in r.headers["access-control-allow-headers"].lower()


async def test_login_routes_never_allow_credentials(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/iam/realms/cytomine/.well-known/openid-configuration", headers=ORIGIN)
    assert_status(r, 200)
    assert "access-control-allow-credentials" not in r.headers
    preflight = await client.options(
        "/iam/realms/cytomine/protocol/openid-connect/token",
        headers={**ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-credentials" not in preflight.headers


@pytest.fixture
async def listed(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A client of an app that lets only two origins read its answers."""
    only = msgspec.structs.replace(settings, cors_origins="https://a.example, https://b.example/")
    async with AsyncTestClient(app=fast_tiles.wrap(create_app(only))) as c:  # type: ignore[arg-type]
        yield c


async def test_a_listed_origin_is_echoed_with_vary(listed: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await listed.get("/api/project.json", headers={"Origin": "https://b.example"})
    assert_status(r, 401)
    assert r.headers["access-control-allow-origin"] == "https://b.example"
    assert "Origin" in r.headers["vary"]


async def test_an_unlisted_origin_gets_no_allow_origin(listed: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await listed.get("/api/project.json", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert "Origin" in r.headers["vary"]
    preflight = await listed.options(
        "/api/project.json",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert_status(preflight, 204)
    assert not any(k.startswith("access-control-") for k in preflight.headers)


async def test_origins_come_from_the_environment() -> None:
    settings = load_settings({"LAMINA_CORS_ORIGINS": "https://a.example"})
    assert CorsPolicy.parse(settings.cors_origins).origins == ("https://a.example",)
    assert CorsPolicy.parse(Settings().cors_origins).any_origin


async def test_a_malformed_origin_list_stops_the_server() -> None:
    settings = Settings(database_url="postgresql://unused@/unused", cors_origins="a.example")
    with pytest.raises(ValueError, match="a.example"):
        create_app(settings)


async def test_handler_vary_values_are_kept_and_origin_added_once() -> None:
    policy = CorsPolicy.parse("https://a.example")
    merged = with_headers(
        [(b"vary", b"Accept"), (b"access-control-allow-origin", b"*")],
        policy.response_headers("https://a.example"),
    )
    assert (b"vary", b"Accept, Origin") in merged
    assert merged.count((b"access-control-allow-origin", b"https://a.example")) == 1
    assert (b"access-control-allow-origin", b"*") not in merged
