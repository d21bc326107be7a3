"""Built-in OIDC provider: discovery, JWKS, grants, the code flow with PKCE, SSO, logout."""

from __future__ import annotations

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.iam_flow import (
    APP,
    OIDC,
    REALM,
    auth_params,
    exchange,
    fragment_of,
    log_in,
    password_grant,
    pkce_pair,
)
from tests.signing import bearer_token

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ISSUER = f"http://testserver.local{REALM}"


async def _code_flow(client: AsyncTestClient, account: NewAccount, **extra: str) -> dict:
    verifier, challenge = pkce_pair()
    params = auth_params(challenge, **extra)
    r = await log_in(client, account.username, f"{account.username}-password", params)
    assert r.status_code == 302, r.text
    answer = fragment_of(r.headers["location"])
    tokens = await exchange(client, answer["code"], verifier, params["redirect_uri"])
    assert tokens.status_code == 200, tokens.text
    return {"params": params, "answer": answer, "tokens": tokens.json()}


async def test_discovery_names_the_realm_endpoints(client: AsyncTestClient) -> None:
    r = await client.get(f"{REALM}/.well-known/openid-configuration")
    assert_status(r, 200)
    doc = r.json()
    assert doc["issuer"] == ISSUER
    assert doc["token_endpoint"] == f"{ISSUER}/protocol/openid-connect/token"
    assert doc["jwks_uri"] == f"{ISSUER}/protocol/openid-connect/certs"


async def test_jwks_verifies_the_signature_of_an_access_token(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    token = (await password_grant(client, "alice", "alice-password")).json()["access_token"]
    keys = KeySet.import_key_set((await client.get(f"{OIDC}/certs")).json())
    claims = jwt.decode(token, keys, algorithms=["RS256"]).claims
    assert (claims["sub"], claims["iss"], claims["typ"]) == (str(alice.id), ISSUER, "Bearer")
    assert claims["preferred_username"] == "alice"
    assert claims["resource_access"]["core"]["roles"] == ["USER"]


async def test_password_grant_answers_a_keycloak_token_set(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await password_grant(client, "alice", "alice-password")
    assert_status(r, 200)
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert (body["expires_in"], body["refresh_expires_in"]) == (300, 1800)
    assert body["not-before-policy"] == 0 and body["session_state"]
    assert "id_token" not in body


@pytest.mark.parametrize(("username", "password"), [("alice", "nope"), ("nobody", "x")])
async def test_password_grant_with_wrong_credentials_is_invalid_grant(
    client: AsyncTestClient, alice: NewAccount, username: str, password: str
) -> None:
    r = await password_grant(client, username, password)
    assert_status(r, 401)
    assert r.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid user credentials",
    }


async def test_password_grant_for_another_client_is_refused(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await password_grant(client, "alice", "alice-password", client_id="other")
    assert_status(r, 401)
    assert r.json()["error"] == "invalid_client"


async def test_admin_role_reaches_the_token(client: AsyncTestClient, admin: NewAccount) -> None:
    token = (await password_grant(client, "admin", "admin-password")).json()["access_token"]
    claims = jwt.decode(token, _keys(await client.get(f"{OIDC}/certs"))).claims
    assert claims["resource_access"]["core"]["roles"] == ["ADMIN", "USER"]


def _keys(response: object) -> KeySet:
    return KeySet.import_key_set(response.json())  # type: ignore[attr-defined]


async def test_auth_without_session_shows_the_login_form(client: AsyncTestClient) -> None:
    r = await client.get(f"{OIDC}/auth", params=auth_params(pkce_pair()[1]))
    assert_status(r, 200)
    assert r.headers["content-type"].startswith("text/html")
    assert 'name="password"' in r.text


@pytest.mark.parametrize(
    "override",
    [{"redirect_uri": "https://evil.example/"}, {"client_id": "other"}, {"redirect_uri": "x"}],
)
async def test_auth_refuses_foreign_redirects_and_clients(
    client: AsyncTestClient, override: dict[str, str]
) -> None:
    r = await client.get(f"{OIDC}/auth", params=auth_params("c", **override))
    assert_status(r, 400)


async def test_wrong_password_shows_the_form_again_with_an_error(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await log_in(client, "alice", "wrong", auth_params(pkce_pair()[1]))
    assert_status(r, 200)
    assert "Invalid username or password" in r.text
    assert 'value="alice"' in r.text


async def test_login_redirects_with_state_session_issuer_and_code(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    params = auth_params(pkce_pair()[1])
    r = await log_in(client, "alice", "alice-password", params)
    assert_status(r, 302)
    location = r.headers["location"]
    assert location.startswith(APP + "#state=")
    answer = fragment_of(location)
    assert answer["state"] == params["state"]
    assert answer["iss"] == ISSUER
    assert answer["session_state"] and answer["code"]
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Path=/iam" in cookie


async def test_code_flow_tokens_authenticate_api_calls(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    flow = await _code_flow(client, alice)
    r = await client.get(
        "/api/user/current.json", auth=bearer_token(flow["tokens"]["access_token"])
    )
    assert_status(r, 200)
    assert r.json()["username"] == "alice"


async def test_id_token_carries_the_nonce_and_session(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    flow = await _code_flow(client, alice)
    keys = _keys(await client.get(f"{OIDC}/certs"))
    claims = jwt.decode(flow["tokens"]["id_token"], keys).claims
    assert claims["nonce"] == flow["params"]["nonce"]
    assert (claims["aud"], claims["typ"]) == ("core", "ID")
    assert claims["sid"] == flow["answer"]["session_state"] == flow["tokens"]["session_state"]


async def test_code_exchange_with_a_wrong_verifier_is_refused(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    params = auth_params(pkce_pair()[1])
    r = await log_in(client, "alice", "alice-password", params)
    code = fragment_of(r.headers["location"])["code"]
    refused = await exchange(client, code, pkce_pair()[0])
    assert_status(refused, 400)
    assert refused.json()["error"] == "invalid_grant"


async def test_a_code_works_only_once(client: AsyncTestClient, alice: NewAccount) -> None:
    verifier, challenge = pkce_pair()
    r = await log_in(client, "alice", "alice-password", auth_params(challenge))
    code = fragment_of(r.headers["location"])["code"]
    assert (await exchange(client, code, verifier)).status_code == 200
    again = await exchange(client, code, verifier)
    assert_status(again, 400)
    assert again.json()["error"] == "invalid_grant"


async def test_code_exchange_with_another_redirect_uri_is_refused(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    verifier, challenge = pkce_pair()
    r = await log_in(client, "alice", "alice-password", auth_params(challenge))
    code = fragment_of(r.headers["location"])["code"]
    refused = await exchange(client, code, verifier, redirect_uri=APP + "other")
    assert_status(refused, 400)


async def test_sso_cookie_sends_the_second_authorization_straight_back(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    first = await _code_flow(client, alice)
    verifier, challenge = pkce_pair()
    r = await client.get(f"{OIDC}/auth", params=auth_params(challenge), follow_redirects=False)
    assert_status(r, 302)
    answer = fragment_of(r.headers["location"])
    assert answer["session_state"] == first["answer"]["session_state"]
    assert (await exchange(client, answer["code"], verifier)).status_code == 200


async def test_redirect_uri_with_a_fragment_gets_parameters_after_an_ampersand(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    params = auth_params(pkce_pair()[1], redirect_uri=APP + "#/projects")
    r = await log_in(client, "alice", "alice-password", params)
    location = r.headers["location"]
    assert location.startswith(APP + "#/projects&state=")
    assert location.count("#") == 1


async def test_query_response_mode_puts_the_code_in_the_query(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    params = auth_params(pkce_pair()[1], response_mode="query")
    r = await log_in(client, "alice", "alice-password", params)
    assert r.headers["location"].startswith(APP + "?state=")


async def test_refresh_token_gives_a_new_token_set(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    tokens = (await password_grant(client, "alice", "alice-password")).json()
    r = await client.post(
        f"{OIDC}/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "core",
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert_status(r, 200)
    assert r.json()["session_state"] == tokens["session_state"]


async def test_logout_with_the_refresh_token_ends_the_session(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    tokens = (await password_grant(client, "alice", "alice-password")).json()
    refresh = {"client_id": "core", "refresh_token": tokens["refresh_token"]}
    out = await client.post(f"{OIDC}/logout", data=refresh)
    assert_status(out, 200)
    r = await client.post(f"{OIDC}/token", data={**refresh, "grant_type": "refresh_token"})
    assert_status(r, 400)
    assert r.json()["error"] == "invalid_grant"


async def test_browser_logout_clears_the_cookie_and_redirects(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    flow = await _code_flow(client, alice)
    r = await client.get(
        f"{OIDC}/logout",
        params={
            "client_id": "core",
            "post_logout_redirect_uri": APP,
            "id_token_hint": flow["tokens"]["id_token"],
        },
        follow_redirects=False,
    )
    assert (r.status_code, r.headers["location"]) == (302, APP)
    again = await client.get(f"{OIDC}/auth", params=auth_params(pkce_pair()[1]))
    assert again.status_code == 200 and 'name="password"' in again.text
    refresh = {"grant_type": "refresh_token", "client_id": "core"}
    r = await client.post(
        f"{OIDC}/token", data={**refresh, "refresh_token": flow["tokens"]["refresh_token"]}
    )
    assert_status(r, 400)


async def test_a_garbled_refresh_token_is_invalid_grant(client: AsyncTestClient) -> None:
    data = {"grant_type": "refresh_token", "client_id": "core", "refresh_token": "a.b.c"}
    r = await client.post(f"{OIDC}/token", data=data)
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")


async def test_unknown_grant_type_is_refused(client: AsyncTestClient) -> None:
    r = await client.post(f"{OIDC}/token", data={"grant_type": "magic", "client_id": "core"})
    assert (r.status_code, r.json()["error"]) == (400, "unsupported_grant_type")


@pytest.mark.parametrize(
    ("page", "needle"),
    [
        ("3p-cookies/step1.html", '"unsupported"'),
        ("3p-cookies/step2.html", '"unsupported"'),
        ("login-status-iframe.html", '"unchanged"'),
    ],
)
async def test_iframe_pages_answer_keycloak_js(
    client: AsyncTestClient, page: str, needle: str
) -> None:
    r = await client.get(f"{OIDC}/{page}")
    assert_status(r, 200)
    assert r.headers["content-type"].startswith("text/html")
    assert needle in r.text


async def test_password_grant_with_openid_scope_adds_an_id_token(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await password_grant(client, "alice", "alice-password", scope="openid")
    assert "id_token" in r.json()
    assert r.json()["scope"].split()[0] == "openid"


async def test_refresh_after_the_code_flow_keeps_the_id_token(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    flow = await _code_flow(client, alice)
    data = {"grant_type": "refresh_token", "client_id": "core"}
    r = await client.post(
        f"{OIDC}/token", data={**data, "refresh_token": flow["tokens"]["refresh_token"]}
    )
    assert_status(r, 200)
    assert "id_token" in r.json()


async def test_silent_check_without_a_session_answers_login_required(
    client: AsyncTestClient,
) -> None:
    params = auth_params(pkce_pair()[1], prompt="none")
    r = await client.get(f"{OIDC}/auth", params=params, follow_redirects=False)
    assert_status(r, 302)
    assert fragment_of(r.headers["location"])["error"] == "login_required"
