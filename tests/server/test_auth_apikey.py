"""API-key authentication: both string-to-sign variants, date skew, bad keys."""

from __future__ import annotations

import time

import pytest
from litestar.testing import AsyncTestClient

from server.auth.apikey import sign
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def _date(offset: float = 0) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(time.time() + offset))


async def test_ping_answers_without_credentials(client: AsyncTestClient) -> None:
    r = await client.get("/server/ping")
    assert_status(r, 200)
    assert r.json()["alive"] is True


async def test_python_client_signature_is_accepted(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get(
        "/api/user/current.json", auth=CytomineAuth(alice.public_key, alice.private_key)
    )
    assert_status(r, 200)
    body = r.json()
    assert (body["id"], body["username"], body["publicKey"]) == (
        alice.id,
        "alice",
        alice.public_key,
    )
    assert body["class"] == "be.cytomine.domain.security.User"
    assert body["user"] is True and body["admin"] is False


async def test_signature_over_path_and_query_is_accepted(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    auth = CytomineAuth(alice.public_key, alice.private_key, with_path=True)
    r = await client.get("/api/user/current.json?x=1", auth=auth)
    assert_status(r, 200)


async def test_signature_with_content_type_the_server_ignores(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    date = _date()
    sig = sign(alice.private_key, f"GET\n\n\n{date}")
    r = await client.get(
        "/api/user/current.json",
        headers={
            "date": date,
            "content-type": "application/json",
            "authorization": f"CYTOMINE {alice.public_key}:{sig}",
        },
    )
    assert_status(r, 200)


@pytest.mark.parametrize("offset", [-600, 600])
async def test_stale_date_is_refused(
    client: AsyncTestClient, alice: NewAccount, offset: int
) -> None:
    date = _date(offset)
    sig = sign(alice.private_key, f"GET\n\n\n{date}")
    r = await client.get(
        "/api/user/current.json",
        headers={"date": date, "authorization": f"CYTOMINE {alice.public_key}:{sig}"},
    )
    assert_status(r, 401)
    assert "date" in r.json()["errors"]["message"]


async def test_wrong_private_key_is_refused(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get(
        "/api/user/current.json", auth=CytomineAuth(alice.public_key, "not-the-key")
    )
    assert_status(r, 401)
    assert r.json() == {"errors": {"message": "Bad signature"}}


async def test_unknown_public_key_is_refused(client: AsyncTestClient) -> None:
    r = await client.get("/api/user/current.json", auth=CytomineAuth("nobody", "x"))
    assert_status(r, 401)


async def test_missing_credentials_get_json_401(client: AsyncTestClient) -> None:
    r = await client.get("/api/user/current.json")
    assert_status(r, 401)
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["errors"]["message"] == "Authentication required"


async def test_locked_account_is_refused(client: AsyncTestClient, alice: NewAccount, db) -> None:
    await db.execute("UPDATE sec_user SET enabled = false WHERE id = $1", alice.id)
    r = await client.get(
        "/api/user/current.json", auth=CytomineAuth(alice.public_key, alice.private_key)
    )
    assert_status(r, 401)


async def test_unknown_route_is_json_404(client: AsyncTestClient) -> None:
    r = await client.get("/api/nothing-here.json")
    assert_status(r, 404)
    assert "errors" in r.json()
