"""Storages and storage members."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _storage_of(db: asyncpg.Connection, account: NewAccount) -> int:
    return int(await db.fetchval("SELECT id FROM storage WHERE user_id = $1", account.id))


async def test_users_list_the_storages_they_can_read(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.get("/api/storage.json", auth=as_user(alice))
    assert_status(r, 200)
    storages = r.json()["collection"]
    assert [(s["name"], s["user"]) for s in storages] == [("alice storage", alice.id)]
    assert storages[0]["class"] == "be.cytomine.domain.image.server.Storage"


@pytest.mark.parametrize(("query", "expected"), [("", 1), ("?all=true", 3)])
async def test_admins_list_every_storage_only_with_all(
    client: AsyncTestClient, as_user, admin, alice, bob, query: str, expected: int
) -> None:
    r = await client.get(f"/api/storage.json{query}", auth=as_user(admin))
    assert r.json()["size"] == expected


async def test_all_does_not_widen_a_plain_users_list(
    client: AsyncTestClient, as_user, alice, bob
) -> None:
    r = await client.get("/api/storage.json?all=true", auth=as_user(alice))
    assert r.json()["size"] == 1


async def test_a_created_storage_belongs_to_its_creator(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    body = {"name": "scans", "user": bob.id}
    r = await client.post("/api/storage.json", json=body, auth=as_user(alice))
    assert_status(r, 200)
    created = r.json()["storage"]
    assert (created["name"], created["user"]) == ("scans", alice.id)
    permission = await db.fetchval(
        "SELECT permission FROM storage_member WHERE storage_id = $1 AND user_id = $2",
        created["id"],
        alice.id,
    )
    assert permission == "ADMINISTRATION"


async def test_a_storage_needs_a_name(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.post("/api/storage.json", json={"name": " "}, auth=as_user(alice))
    assert_status(r, 400)


async def test_owners_read_their_storage(client: AsyncTestClient, as_user, db, alice) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.get(f"/api/storage/{storage_id}.json", auth=as_user(alice))
    assert r.status_code == 200 and r.json()["id"] == storage_id


async def test_others_cannot_read_a_storage(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.get(f"/api/storage/{storage_id}.json", auth=as_user(bob))
    assert_status(r, 403)


async def test_unknown_storage_is_404(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.get("/api/storage/999999.json", auth=as_user(alice))
    assert_status(r, 404)
    assert r.json()["errors"]["message"] == "Storage not found with filters : {id=999999}"


async def test_owners_rename_their_storage(client: AsyncTestClient, as_user, db, alice) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.put(
        f"/api/storage/{storage_id}.json", json={"name": "renamed"}, auth=as_user(alice)
    )
    assert_status(r, 200)
    assert r.json()["storage"]["name"] == "renamed"
    assert r.json()["storage"]["updated"] is not None


async def test_a_new_owner_administers_the_storage(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.put(f"/api/storage/{storage_id}.json", json={"user": bob.id}, auth=as_user(alice))
    r = await client.put(f"/api/storage/{storage_id}.json", json={"name": "b"}, auth=as_user(bob))
    assert_status(r, 200)


async def test_owners_delete_their_storage(client: AsyncTestClient, as_user, db, alice) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.delete(f"/api/storage/{storage_id}.json", auth=as_user(alice))
    assert_status(r, 200)
    assert r.json()["storage"]["id"] == storage_id
    assert await db.fetchval("SELECT count(*) FROM storage WHERE id = $1", storage_id) == 0


async def test_members_are_listed_with_the_owner(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.post(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    r = await client.get(f"/api/storage/{storage_id}/user.json", auth=as_user(alice))
    assert [u["username"] for u in r.json()["collection"]] == ["alice", "bob"]


async def test_granting_access_answers_ok_and_lets_the_member_read(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.post(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    assert r.status_code == 200 and r.json() == {"data": {"message": "OK"}}
    r = await client.get(f"/api/storage/{storage_id}.json", auth=as_user(bob))
    assert_status(r, 200)


async def test_granting_keeps_an_administrators_rights(
    client: AsyncTestClient, as_user, db, alice
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.post(f"/api/storage/{storage_id}/user/{alice.id}.json", auth=as_user(alice))
    r = await client.put(f"/api/storage/{storage_id}.json", json={"name": "x"}, auth=as_user(alice))
    assert_status(r, 200)


async def test_readers_cannot_manage_the_storage(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.post(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    r = await client.put(f"/api/storage/{storage_id}.json", json={"name": "x"}, auth=as_user(bob))
    assert_status(r, 403)


async def test_revoking_access_stops_reading(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.post(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    r = await client.delete(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    assert r.status_code == 200 and r.json() == {"data": {"message": "OK"}}
    r = await client.get(f"/api/storage/{storage_id}.json", auth=as_user(bob))
    assert_status(r, 403)


async def test_members_may_leave_a_storage(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    storage_id = await _storage_of(db, alice)
    await client.post(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(alice))
    r = await client.delete(f"/api/storage/{storage_id}/user/{bob.id}.json", auth=as_user(bob))
    assert_status(r, 200)


async def test_the_owner_cannot_be_removed(
    client: AsyncTestClient, as_user, db, admin, alice
) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.delete(f"/api/storage/{storage_id}/user/{alice.id}.json", auth=as_user(admin))
    assert_status(r, 400)
    assert r.json()["errors"]["message"] == "The storage owner cannot be deleted."


async def test_granting_to_an_unknown_user_is_404(
    client: AsyncTestClient, as_user, db, alice
) -> None:
    storage_id = await _storage_of(db, alice)
    r = await client.post(f"/api/storage/{storage_id}/user/999999.json", auth=as_user(alice))
    assert_status(r, 404)


async def test_guests_have_no_storage_access(client: AsyncTestClient, as_user, guest) -> None:
    r = await client.get("/api/storage.json", auth=as_user(guest))
    assert_status(r, 403)
