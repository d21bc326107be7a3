"""Configuration: global settings, readable by ALL, USER or ADMIN, written by admins."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _create(client: AsyncTestClient, who: NewAccount, key: str, role: str = "ALL") -> Any:
    body = {"key": key, "value": f"{key} text", "readingRole": role}
    return await client.post("/api/configuration.json", json=body, auth=auth(who))


@pytest.fixture
async def settings_by_role(client: AsyncTestClient, admin: NewAccount) -> None:
    for key, role in (("WELCOME", "ALL"), ("MEMBERS", "USER"), ("SECRET", "ADMIN")):
        assert (await _create(client, admin, key, role)).status_code == 200


async def test_an_admin_creates_a_setting(client: AsyncTestClient, admin: NewAccount) -> None:
    r = await _create(client, admin, "WELCOME")
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["configuration"], c.Configuration)
    assert (obj.class_, obj.key, obj.value, obj.reading_role) == (
        "be.cytomine.domain.meta.Configuration",
        "WELCOME",
        "WELCOME text",
        "ALL",
    )
    assert r.json()["command"] is not None


@pytest.mark.usefixtures("settings_by_role")
@pytest.mark.parametrize(
    ("who", "keys"),
    [("guest", {"WELCOME"}), ("alice", {"WELCOME", "MEMBERS"}), ("admin", None)],
)
async def test_each_caller_lists_the_settings_its_role_reads(
    client: AsyncTestClient,
    guest: NewAccount,
    alice: NewAccount,
    admin: NewAccount,
    who: str,
    keys: set[str] | None,
) -> None:
    account = {"guest": guest, "alice": alice, "admin": admin}[who]
    r = await client.get("/api/configuration.json?max=0&offset=0", auth=auth(account))
    assert_status(r, 200)
    expected = keys or {"WELCOME", "MEMBERS", "SECRET"}
    assert {x["key"] for x in r.json()["collection"]} == expected


@pytest.mark.usefixtures("settings_by_role")
@pytest.mark.parametrize(
    ("key", "guest_status", "user_status"),
    [("WELCOME", 200, 200), ("MEMBERS", 403, 200), ("SECRET", 403, 403), ("NONE", 404, 404)],
)
async def test_reading_one_setting_follows_its_reading_role(
    client: AsyncTestClient,
    guest: NewAccount,
    alice: NewAccount,
    key: str,
    guest_status: int,
    user_status: int,
) -> None:
    url = f"/api/configuration/key/{key}.json"
    assert (await client.get(url, auth=auth(guest))).status_code == guest_status
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == user_status
    if user_status == 200:
        assert r.json()["key"] == key


async def test_an_admin_with_the_session_closed_reads_like_a_user(
    client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount, alice: NewAccount
) -> None:
    await db.execute(
        "INSERT INTO configuration (key, value, reading_role) VALUES ('SECRET', 's', 'ADMIN')"
    )
    await db.execute("UPDATE sec_user SET admin_session = false WHERE id = $1", admin.id)
    r = await client.get("/api/configuration/key/SECRET.json", auth=auth(admin))
    assert_status(r, 403)


async def test_put_changes_a_setting(client: AsyncTestClient, admin: NewAccount) -> None:
    await _create(client, admin, "WELCOME")
    body = {"key": "WELCOME", "value": "Hello", "readingRole": "USER"}
    r = await client.put("/api/configuration/key/WELCOME.json", json=body, auth=auth(admin))
    assert r.status_code == 200, r.text
    assert (r.json()["configuration"]["value"], r.json()["message"]) == (
        "Hello",
        f"Configuration {r.json()['configuration']['id']} edited",
    )
    shown = (await client.get("/api/configuration/key/WELCOME.json", auth=auth(admin))).json()
    assert (shown["value"], shown["readingRole"], shown["updated"] is not None) == (
        "Hello",
        "USER",
        True,
    )


async def test_put_on_a_new_key_creates_it(client: AsyncTestClient, admin: NewAccount) -> None:
    body = {"key": "BANNER", "value": "Maintenance", "readingRole": "ALL"}
    r = await client.put("/api/configuration/key/BANNER.json", json=body, auth=auth(admin))
    assert r.status_code == 200, r.text
    assert r.json()["configuration"]["key"] == "BANNER"


async def test_delete_removes_a_setting(client: AsyncTestClient, admin: NewAccount) -> None:
    await _create(client, admin, "WELCOME")
    url = "/api/configuration/key/WELCOME.json"
    r = await client.delete(url, auth=auth(admin))
    assert_status(r, 200)
    assert r.json()["configuration"]["key"] == "WELCOME"
    assert (await client.get(url, auth=auth(admin))).status_code == 404
    assert (await client.delete(url, auth=auth(admin))).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
async def test_only_admins_write(
    client: AsyncTestClient, admin: NewAccount, alice: NewAccount, method: str
) -> None:
    await _create(client, admin, "WELCOME")
    body = {"key": "WELCOME", "value": "x", "readingRole": "ALL"}
    if method == "post":
        r = await _create(client, alice, "OTHER")
    elif method == "put":
        r = await client.put("/api/configuration/key/WELCOME.json", json=body, auth=auth(alice))
    else:
        r = await client.delete("/api/configuration/key/WELCOME.json", auth=auth(alice))
    assert_status(r, 403)
    shown = (await client.get("/api/configuration/key/WELCOME.json", auth=auth(alice))).json()
    assert shown["value"] == "WELCOME text"


@pytest.mark.parametrize(
    "body",
    [
        {"value": "v", "readingRole": "ALL"},
        {"key": "A.B", "value": "v", "readingRole": "ALL"},
        {"key": "A", "value": " ", "readingRole": "ALL"},
        {"key": "A", "value": "v"},
        {"key": "A", "value": "v", "readingRole": "EVERYONE"},
    ],
)
async def test_a_bad_setting_is_refused(
    client: AsyncTestClient, admin: NewAccount, body: dict[str, Any]
) -> None:
    r = await client.post("/api/configuration.json", json=body, auth=auth(admin))
    assert_status(r, 400)
    assert "message" in r.json()["errors"]
    listed = (await client.get("/api/configuration.json", auth=auth(admin))).json()
    assert listed["collection"] == []


async def test_a_key_is_unique(client: AsyncTestClient, admin: NewAccount) -> None:
    await _create(client, admin, "WELCOME")
    assert (await _create(client, admin, "WELCOME")).status_code == 409


async def test_settings_need_credentials(client: AsyncTestClient) -> None:
    assert (await client.get("/api/configuration.json")).status_code == 401
