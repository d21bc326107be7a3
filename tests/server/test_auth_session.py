"""Authentication & session service: legacy login, signatures, login tokens, admin session, keys."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from server.auth import provider
from server.auth.apikey import sign
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.signing import CytomineAuth, bearer_token

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def _keys(account: NewAccount) -> CytomineAuth:
    return CytomineAuth(account.public_key, account.private_key)


async def test_authenticate_answers_a_bearer_token(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.post(
        "/api/authenticate",
        json={"username": "alice", "password": "alice-password", "rememberMe": True},
    )
    assert_status(r, 200)
    body = r.json()
    assert body.keys() == {"token", "shortTermToken"}
    me = await client.get("/api/user/current.json", auth=bearer_token(body["token"]))
    assert (me.status_code, me.json()["username"]) == (200, "alice")


async def test_authenticate_with_a_wrong_password_is_401(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.post("/api/authenticate", json={"username": "alice", "password": "no"})
    assert_status(r, 401)
    assert "message" in r.json()["errors"]


async def test_signature_is_what_the_caller_would_sign(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    query = {
        "method": "post",
        "content-MD5": "",
        "content-type": "application/json",
        "date": "Thu, 01 Jan 2026 00:00:00 +0000",
        "forwardURI": "/upload",
        "queryString": "idStorage=1",
    }
    r = await client.get("/api/signature.json", params=query, auth=_keys(alice))
    assert_status(r, 200)
    expected = sign(
        alice.private_key,
        "POST\n\napplication/json\nThu, 01 Jan 2026 00:00:00 +0000\n/upload?idStorage=1",
    )
    assert r.json() == {"signature": expected, "publicKey": alice.public_key}


async def test_admin_login_token_logs_the_user_in_once(
    client: AsyncTestClient, admin: NewAccount, alice: NewAccount
) -> None:
    r = await client.get("/api/token.json", params={"username": "alice"}, auth=_keys(admin))
    assert r.status_code == 200 and r.json()["success"] is True
    login = {"username": "alice", "tokenKey": r.json()["token"]}
    first = await client.get("/login/loginWithToken", params=login)
    assert_status(first, 200)
    me = await client.get("/api/user/current.json", auth=bearer_token(first.json()["token"]))
    assert me.json()["username"] == "alice"
    assert (await client.get("/login/loginWithToken", params=login)).status_code == 401


async def test_login_token_is_admin_only(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/token.json", params={"username": "alice"}, auth=_keys(alice))
    assert_status(r, 403)


async def _admin_by_now(client: AsyncTestClient, account: NewAccount) -> bool:
    r = await client.get("/api/user/current.json", auth=_keys(account))
    return bool(r.json()["adminByNow"])


async def test_closing_and_opening_the_admin_session_changes_admin_by_now(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    assert await _admin_by_now(client, admin)
    closed = await client.get("/session/admin/close.json", auth=_keys(admin))
    assert (closed.status_code, closed.json()["adminByNow"]) == (200, False)
    assert not await _admin_by_now(client, admin)
    opened = await client.get("/session/admin/open.json", auth=_keys(admin))
    assert opened.json()["adminByNow"] is True
    assert await _admin_by_now(client, admin)


async def test_admin_session_info_tells_the_roles(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    r = await client.get("/session/admin/info.json", auth=_keys(admin))
    assert_status(r, 200)
    assert r.json()["admin"] is True and r.json()["adminByNow"] is True


async def test_plain_users_cannot_open_an_admin_session(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get("/session/admin/open.json", auth=_keys(alice))
    assert_status(r, 403)


async def test_current_keys_are_the_callers_pair(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get("/api/user/current/keys", auth=_keys(alice))
    assert r.json() == {"primaryKey": alice.public_key, "secondaryKey": alice.private_key}


async def test_regenerated_keys_replace_the_old_pair(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.post("/api/user/current/keys", auth=_keys(alice))
    assert_status(r, 200)
    fresh = r.json()
    assert fresh["primaryKey"] != alice.public_key
    assert (await client.get("/api/user/current.json", auth=_keys(alice))).status_code == 401
    auth = CytomineAuth(fresh["primaryKey"], fresh["secondaryKey"])
    assert (await client.get("/api/user/current.json", auth=auth)).status_code == 200


@pytest.mark.parametrize("caller", ["alice", "admin"])
async def test_user_keys_are_readable_by_self_and_admin(
    client: AsyncTestClient, alice: NewAccount, admin: NewAccount, caller: str
) -> None:
    auth = _keys(alice if caller == "alice" else admin)
    r = await client.get(f"/api/user/{alice.id}/keys.json", auth=auth)
    assert_status(r, 200)
    assert r.json() == {"privateKey": alice.private_key, "publicKey": alice.public_key}
    by_key = await client.get(f"/api/userkey/{alice.public_key}/keys.json", auth=auth)
    assert by_key.json() == r.json()


async def test_user_keys_of_someone_else_are_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get(f"/api/user/{alice.id}/keys.json", auth=_keys(bob))
    assert_status(r, 403)
    by_key = await client.get(f"/api/userkey/{alice.public_key}/keys.json", auth=_keys(bob))
    assert_status(by_key, 403)


async def test_user_keys_of_an_unknown_user_are_404_for_an_admin(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    r = await client.get("/api/user/999999/keys.json", auth=_keys(admin))
    assert_status(r, 404)


def _request(opt: dict[str, bool], query: dict[str, str]) -> SimpleNamespace:
    return SimpleNamespace(route_handler=SimpleNamespace(opt=opt), query_params=query)


@pytest.mark.parametrize("name", ["auth", "Authorization", "authorization"])
def test_query_token_is_read_from_each_parameter_name(name: str) -> None:
    request = _request({"query_token": True}, {name: "Bearer abc"})
    assert provider._query_token(request) == "abc"  # type: ignore[arg-type]


def test_query_token_is_ignored_on_routes_without_the_option() -> None:
    request = _request({}, {"authorization": "Bearer abc"})
    assert provider._query_token(request) is None  # type: ignore[arg-type]
