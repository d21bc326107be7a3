"""Keycloak Account REST subset and the Web UI's configuration.json."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.iam_flow import REALM, password_grant
from tests.signing import BearerAuth, bearer_token

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _bearer(client: AsyncTestClient, username: str) -> BearerAuth:
    r = await password_grant(client, username, f"{username}-password")
    return bearer_token(r.json()["access_token"])


async def test_account_answers_the_keycloak_representation(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get(f"{REALM}/account", auth=await _bearer(client, "alice"))
    assert_status(r, 200)
    body = r.json()
    assert (body["id"], body["username"]) == (str(alice.id), "alice")
    assert body["attributes"] == {"locale": ["en"], "isDeveloper": ["0"]}
    assert {"firstName", "lastName", "email", "emailVerified"} <= body.keys()


async def test_account_needs_a_token(client: AsyncTestClient) -> None:
    r = await client.get(f"{REALM}/account")
    assert_status(r, 401)


async def test_account_update_changes_names_email_and_developer_flag(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    auth = await _bearer(client, "alice")
    body = {
        "id": str(alice.id),
        "username": "alice",
        "firstName": "Alice",
        "lastName": "Liddell",
        "email": "alice@example.org",
        "attributes": {"locale": ["en"], "isDeveloper": ["1"]},
    }
    r = await client.post(f"{REALM}/account", json=body, auth=auth)
    assert_status(r, 204)
    after = (await client.get(f"{REALM}/account", auth=auth)).json()
    assert (after["firstName"], after["lastName"], after["email"]) == (
        "Alice",
        "Liddell",
        "alice@example.org",
    )
    assert after["attributes"]["isDeveloper"] == ["1"]
    user = (await client.get("/api/user/current.json", auth=auth)).json()
    assert user["firstname"] == "Alice" and user["isDeveloper"] is True


async def test_account_update_cannot_rename_the_user(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    auth = await _bearer(client, "alice")
    await client.post(f"{REALM}/account", json={"username": "mallory"}, auth=auth)
    assert (await client.get(f"{REALM}/account", auth=auth)).json()["username"] == "alice"


async def test_account_credentials_list_the_password(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get(f"{REALM}/account/credentials", auth=await _bearer(client, "alice"))
    assert_status(r, 200)
    [password] = r.json()
    assert password["type"] == "password"
    assert len(password["userCredentialMetadatas"]) == 1


async def test_configuration_json_points_the_ui_at_this_origin(client: AsyncTestClient) -> None:
    r = await client.get("/configuration.json")
    assert_status(r, 200)
    body = r.json()
    assert body["CORE_URL"] == "http://testserver.local/api"
    assert body["IAM_URL"] == "http://testserver.local/iam/realms/cytomine"
    assert body["PIMS_URL"] == "http://testserver.local"
    assert body["APPENGINE_ENABLED"] is False
    assert r.headers["cache-control"] == "no-cache"
