"""User service: listing, profile, creation, deletion, lock, password and contacts."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.passwords import verify_password
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _project_with(db: asyncpg.Connection, name: str, *members: NewAccount) -> int:
    project_id = await db.fetchval("INSERT INTO project (name) VALUES ($1) RETURNING id", name)
    for member in members:
        await db.execute(
            "INSERT INTO project_member (project_id, user_id) VALUES ($1, $2)",
            project_id,
            member.id,
        )
    return int(project_id)


# --- listing -----------------------------------------------------------------------------


async def test_users_are_listed_by_username_ascending(
    client: AsyncTestClient, as_user, admin: NewAccount, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get("/api/user.json", auth=as_user(alice))
    assert_status(r, 200)
    body = r.json()
    assert [u["username"] for u in body["collection"]] == ["admin", "alice", "bob"]
    assert body["size"] == 3 and body["totalPages"] == 1


async def test_plain_users_do_not_see_other_peoples_email(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> None:
    await db.execute("UPDATE sec_user SET email = username || '@x.org'")
    r = await client.get("/api/user.json", auth=as_user(alice))
    emails = {u["username"]: u["email"] for u in r.json()["collection"]}
    assert emails == {"alice": "alice@x.org", "bob": None}


async def test_admins_see_every_email(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, admin: NewAccount, bob: NewAccount
) -> None:
    await db.execute("UPDATE sec_user SET email = username || '@x.org'")
    r = await client.get("/api/user.json", auth=as_user(admin))
    assert {u["email"] for u in r.json()["collection"]} == {"admin@x.org", "bob@x.org"}


async def test_public_key_finds_the_owner_of_a_key(
    client: AsyncTestClient, as_user, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get(f"/api/user.json?publicKey={bob.public_key}", auth=as_user(alice))
    assert_status(r, 200)
    assert r.json()["id"] == bob.id


async def test_unknown_public_key_is_404(
    client: AsyncTestClient, as_user, alice: NewAccount
) -> None:
    r = await client.get("/api/user.json?publicKey=nope", auth=as_user(alice))
    assert_status(r, 404)


async def test_with_roles_adds_the_highest_role(
    client: AsyncTestClient, as_user, admin: NewAccount, alice: NewAccount, guest: NewAccount
) -> None:
    r = await client.get("/api/user.json?withRoles=true", auth=as_user(alice))
    roles = {u["username"]: u["role"] for u in r.json()["collection"]}
    assert roles == {"admin": "ROLE_SUPER_ADMIN", "alice": "ROLE_USER", "guest": "ROLE_GUEST"}


async def test_user_list_takes_filters_sort_and_paging(
    client: AsyncTestClient, as_user, admin: NewAccount, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get(
        "/api/user.json?username[ilike]=B&sort=username&order=desc&max=1&offset=0",
        auth=as_user(alice),
    )
    body = r.json()
    assert [u["username"] for u in body["collection"]] == ["bob"]
    assert body["size"] == 1


async def test_one_user_is_read_by_id(client: AsyncTestClient, as_user, alice, bob) -> None:
    r = await client.get(f"/api/user/{bob.id}.json", auth=as_user(alice))
    assert_status(r, 200)
    assert r.json()["username"] == "bob"
    assert r.json()["class"] == "be.cytomine.domain.security.User"


async def test_unknown_user_is_404(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.get("/api/user/999999.json", auth=as_user(alice))
    assert_status(r, 404)
    assert r.json()["errors"]["message"] == "User not found with filters : {id=999999}"


# --- creation -----------------------------------------------------------------------------


async def test_admin_creates_a_user_without_the_password_in_the_answer(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, admin: NewAccount
) -> None:
    body = {"username": "carol", "password": "s3cret-pass", "email": "c@x.org", "isDeveloper": True}
    r = await client.post("/api/user.json", json=body, auth=as_user(admin))
    assert_status(r, 200)
    created = r.json()["user"]
    assert created["username"] == "carol" and created["isDeveloper"] is True
    assert created["user"] == admin.id and created["origin"] == "ADMINISTRATOR"
    assert created.get("password") is None and "s3cret-pass" not in r.text
    assert r.json()["callback"]["method"] == "be.cytomine.AddUserCommand"
    stored = await db.fetchval("SELECT password_hash FROM sec_user WHERE id = $1", created["id"])
    assert verify_password(stored, "s3cret-pass")


async def test_a_new_user_gets_a_storage_named_after_them(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, admin: NewAccount
) -> None:
    r = await client.post("/api/user.json", json={"username": "carol"}, auth=as_user(admin))
    user_id = r.json()["user"]["id"]
    row = await db.fetchrow(
        "SELECT s.name, m.permission FROM storage s JOIN storage_member m ON m.storage_id = s.id"
        " WHERE s.user_id = $1",
        user_id,
    )
    assert (row["name"], row["permission"]) == ("carol storage", "ADMINISTRATION")


@pytest.mark.parametrize("username", ["ALICE", "alice"])
async def test_usernames_are_unique_ignoring_case(
    client: AsyncTestClient, as_user, admin: NewAccount, alice: NewAccount, username: str
) -> None:
    r = await client.post("/api/user.json", json={"username": username}, auth=as_user(admin))
    assert_status(r, 409)


async def test_creating_a_user_needs_a_username(client: AsyncTestClient, as_user, admin) -> None:
    r = await client.post("/api/user.json", json={"email": "x@y.z"}, auth=as_user(admin))
    assert_status(r, 400)


async def test_plain_users_cannot_create_users(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.post("/api/user.json", json={"username": "carol"}, auth=as_user(alice))
    assert_status(r, 403)


# --- profile ------------------------------------------------------------------------------


async def test_users_edit_their_own_profile(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.put(
        f"/api/user/{alice.id}.json",
        json={"id": 1, "firstname": "Alice", "lastname": "Liddell", "class": "x"},
        auth=as_user(alice),
    )
    assert_status(r, 200)
    user = r.json()["user"]
    assert (user["id"], user["firstname"], user["fullName"]) == (alice.id, "Alice", "Alice Liddell")


async def test_users_cannot_edit_someone_else(client: AsyncTestClient, as_user, alice, bob) -> None:
    r = await client.put(f"/api/user/{bob.id}.json", json={"firstname": "B"}, auth=as_user(alice))
    assert_status(r, 403)


async def test_admins_edit_anyone(client: AsyncTestClient, as_user, admin, bob) -> None:
    r = await client.put(f"/api/user/{bob.id}.json", json={"firstname": "B"}, auth=as_user(admin))
    assert r.status_code == 200 and r.json()["user"]["firstname"] == "B"


async def test_renaming_onto_a_taken_username_is_409(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.put(
        f"/api/user/{alice.id}.json", json={"username": "Bob"}, auth=as_user(alice)
    )
    assert_status(r, 409)


async def test_users_cannot_unlock_themselves_through_their_profile(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, alice
) -> None:
    r = await client.put(f"/api/user/{alice.id}.json", json={"enabled": False}, auth=as_user(alice))
    assert_status(r, 200)
    assert await db.fetchval("SELECT enabled FROM sec_user WHERE id = $1", alice.id) is True


# --- deletion -----------------------------------------------------------------------------


async def test_admin_deletes_a_user_and_their_storages(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, admin, bob
) -> None:
    r = await client.delete(f"/api/user/{bob.id}.json", auth=as_user(admin))
    assert_status(r, 200)
    assert r.json()["user"]["id"] == bob.id
    assert await db.fetchval("SELECT count(*) FROM sec_user WHERE id = $1", bob.id) == 0
    assert await db.fetchval("SELECT count(*) FROM storage WHERE name = 'bob storage'") == 0


async def test_deleted_users_can_no_longer_sign_in(
    client: AsyncTestClient, as_user, admin, bob
) -> None:
    await client.delete(f"/api/user/{bob.id}.json", auth=as_user(admin))
    r = await client.get("/api/user/current.json", auth=as_user(bob))
    assert_status(r, 401)


async def test_admins_cannot_delete_themselves(client: AsyncTestClient, as_user, admin) -> None:
    r = await client.delete(f"/api/user/{admin.id}.json", auth=as_user(admin))
    assert_status(r, 403)


# --- lock ---------------------------------------------------------------------------------


async def test_a_locked_user_is_refused(client: AsyncTestClient, as_user, admin, bob) -> None:
    r = await client.post(f"/api/user/{bob.id}/lock.json", auth=as_user(admin))
    assert r.status_code == 200 and r.json()["user"]["enabled"] is False
    r = await client.get("/api/user/current.json", auth=as_user(bob))
    assert_status(r, 401)


async def test_locking_twice_is_400(client: AsyncTestClient, as_user, admin, bob) -> None:
    await client.post(f"/api/user/{bob.id}/lock.json", auth=as_user(admin))
    r = await client.post(f"/api/user/{bob.id}/lock", auth=as_user(admin))
    assert_status(r, 400)


async def test_an_unlocked_user_signs_in_again(
    client: AsyncTestClient, as_user, admin, bob
) -> None:
    await client.post(f"/api/user/{bob.id}/lock.json", auth=as_user(admin))
    r = await client.delete(f"/api/user/{bob.id}/lock.json", auth=as_user(admin))
    assert r.status_code == 200 and r.json()["user"]["enabled"] is True
    r = await client.get("/api/user/current.json", auth=as_user(bob))
    assert_status(r, 200)


# --- password -----------------------------------------------------------------------------


async def test_users_change_their_own_password(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, alice
) -> None:
    r = await client.put(
        f"/api/user/{alice.id}/password.json", json={"password": "n3w-pass"}, auth=as_user(alice)
    )
    assert_status(r, 200)
    assert "n3w-pass" not in r.text
    stored = await db.fetchval("SELECT password_hash FROM sec_user WHERE id = $1", alice.id)
    assert verify_password(stored, "n3w-pass")


async def test_users_cannot_change_someone_elses_password(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.put(
        f"/api/user/{bob.id}/password.json", json={"password": "x"}, auth=as_user(alice)
    )
    assert_status(r, 403)


async def test_an_empty_password_is_refused(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.put(
        f"/api/user/{alice.id}/password.json", json={"password": ""}, auth=as_user(alice)
    )
    assert_status(r, 400)


@pytest.mark.parametrize("body", [b"{not json", b'["n3w-pass"]', b'{"password": 5}'])
async def test_a_password_body_that_is_not_an_object_with_a_password_is_refused(
    client: AsyncTestClient, as_user, alice, body: bytes
) -> None:
    r = await client.put(
        f"/api/user/{alice.id}/password.json",
        content=body,
        headers={"content-type": "application/json"},
        auth=as_user(alice),
    )
    assert_status(r, 400)
    assert r.json()["errors"]["message"].startswith("Bad request body"), r.text


@pytest.mark.parametrize(("password", "status"), [("alice-password", 200), ("wrong", 403)])
async def test_security_check_verifies_the_callers_password(
    client: AsyncTestClient, as_user, alice, password: str, status: int
) -> None:
    r = await client.post(
        "/api/user/security_check.json", json={"password": password}, auth=as_user(alice)
    )
    assert r.status_code == status


# --- contacts -----------------------------------------------------------------------------


async def test_friends_are_users_sharing_a_project(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, alice, bob, guest
) -> None:
    await _project_with(db, "p1", alice, bob)
    r = await client.get(f"/api/user/{alice.id}/friends.json?offline=true", auth=as_user(alice))
    assert_status(r, 200)
    assert [u["username"] for u in r.json()["collection"]] == ["alice", "bob"]


async def test_friends_can_be_restricted_to_one_project(
    client: AsyncTestClient, as_user, db: asyncpg.Connection, alice, bob, guest
) -> None:
    await _project_with(db, "p1", alice, bob)
    p2 = await _project_with(db, "p2", alice, guest)
    r = await client.get(f"/api/user/{alice.id}/friends.json?project={p2}", auth=as_user(alice))
    assert [u["username"] for u in r.json()["collection"]] == ["alice", "guest"]


async def test_friends_of_someone_else_are_private(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.get(f"/api/user/{bob.id}/friends.json", auth=as_user(alice))
    assert_status(r, 403)


async def test_friends_in_an_unknown_project_is_404(
    client: AsyncTestClient, as_user, alice
) -> None:
    r = await client.get(f"/api/user/{alice.id}/friends.json?project=999999", auth=as_user(alice))
    assert_status(r, 404)


# --- LDAP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/ldap/user.json"), ("GET", "/api/ldap/alice/user.json")]
)
async def test_ldap_routes_explain_that_ldap_is_not_supported(
    client: AsyncTestClient, as_user, admin, method: str, path: str
) -> None:
    r = await client.request(method, path, auth=as_user(admin))
    assert_status(r, 400)
    assert "LDAP" in r.json()["errors"]["message"]


async def test_one_user_is_read_by_username_ignoring_case(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.get("/api/user/BOB.json", auth=as_user(alice))
    assert r.status_code == 200 and r.json()["id"] == bob.id


async def test_current_user_route_is_not_taken_for_a_username(
    client: AsyncTestClient, as_user, alice
) -> None:
    r = await client.get("/api/user/current.json", auth=as_user(alice))
    assert r.json()["publicKey"] == alice.public_key
