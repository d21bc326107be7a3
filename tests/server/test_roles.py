"""Roles and user-role links: listing, grants, removal and ``define``."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

AUTHORITIES = ["ROLE_GUEST", "ROLE_USER", "ROLE_ADMIN", "ROLE_SUPER_ADMIN"]


async def _role(db: asyncpg.Connection, authority: str) -> int:
    return int(await db.fetchval("SELECT id FROM sec_role WHERE authority = $1", authority))


async def _authorities(db: asyncpg.Connection, user_id: int) -> list[str]:
    rows = await db.fetch(
        "SELECT r.authority FROM sec_user_sec_role ur JOIN sec_role r ON r.id = ur.role_id"
        " WHERE ur.user_id = $1 ORDER BY r.rank",
        user_id,
    )
    return [r["authority"] for r in rows]


@pytest.fixture
async def plain_admin(db: asyncpg.Connection) -> NewAccount:
    return await create_account(db, username="padmin", rank=3)


async def test_the_four_roles_are_listed(client: AsyncTestClient, as_user, guest) -> None:
    r = await client.get("/api/role.json", auth=as_user(guest))
    assert_status(r, 200)
    assert [x["authority"] for x in r.json()["collection"]] == AUTHORITIES


async def test_one_role_is_read(client: AsyncTestClient, as_user, db, alice) -> None:
    role_id = await _role(db, "ROLE_ADMIN")
    r = await client.get(f"/api/role/{role_id}.json", auth=as_user(alice))
    assert r.json()["authority"] == "ROLE_ADMIN"
    assert r.json()["class"] == "be.cytomine.domain.security.SecRole"


async def test_unknown_role_is_404(client: AsyncTestClient, as_user, alice) -> None:
    r = await client.get("/api/role/999999.json", auth=as_user(alice))
    assert_status(r, 404)


async def test_roles_of_a_user_are_listed(client: AsyncTestClient, as_user, admin, alice) -> None:
    r = await client.get(f"/api/user/{admin.id}/role.json", auth=as_user(alice))
    links = r.json()["collection"]
    assert [x["authority"] for x in links] == AUTHORITIES[1:]
    assert {x["user"] for x in links} == {admin.id}


@pytest.mark.parametrize(
    ("who", "expected"), [("admin", "ROLE_SUPER_ADMIN"), ("guest", "ROLE_GUEST")]
)
async def test_highest_gives_only_the_highest_role(
    client: AsyncTestClient, as_user, admin, guest, alice, who: str, expected: str
) -> None:
    target = {"admin": admin, "guest": guest}[who]
    r = await client.get(f"/api/user/{target.id}/role.json?highest=true", auth=as_user(alice))
    assert [x["authority"] for x in r.json()["collection"]] == [expected]


async def test_admin_grants_a_role_and_it_applies_at_once(
    client: AsyncTestClient, as_user, db, admin, alice
) -> None:
    role_id = await _role(db, "ROLE_ADMIN")
    body = {"user": alice.id, "role": role_id}
    r = await client.post(f"/api/user/{alice.id}/role.json", json=body, auth=as_user(admin))
    assert_status(r, 200)
    assert r.json()["secusersecrole"]["authority"] == "ROLE_ADMIN"
    current = await client.get("/api/user/current.json", auth=as_user(alice))
    assert current.json()["admin"] is True


async def test_granting_a_role_twice_is_409(
    client: AsyncTestClient, as_user, db, admin, alice
) -> None:
    role_id = await _role(db, "ROLE_USER")
    body = {"user": alice.id, "role": role_id}
    r = await client.post(f"/api/user/{alice.id}/role.json", json=body, auth=as_user(admin))
    assert_status(r, 409)


async def test_plain_users_cannot_grant_roles(
    client: AsyncTestClient, as_user, db, alice, bob
) -> None:
    role_id = await _role(db, "ROLE_ADMIN")
    body = {"user": bob.id, "role": role_id}
    r = await client.post(f"/api/user/{bob.id}/role.json", json=body, auth=as_user(alice))
    assert_status(r, 403)


async def test_only_super_admins_grant_super_admin(
    client: AsyncTestClient, as_user, db, plain_admin, alice
) -> None:
    role_id = await _role(db, "ROLE_SUPER_ADMIN")
    body = {"user": alice.id, "role": role_id}
    r = await client.post(f"/api/user/{alice.id}/role.json", json=body, auth=as_user(plain_admin))
    assert_status(r, 403)
    assert await _authorities(db, alice.id) == ["ROLE_USER"]


async def test_one_link_is_read(client: AsyncTestClient, as_user, db, alice) -> None:
    role_id = await _role(db, "ROLE_USER")
    r = await client.get(f"/api/user/{alice.id}/role/{role_id}.json", auth=as_user(alice))
    assert (r.json()["user"], r.json()["role"]) == (alice.id, role_id)


async def test_a_missing_link_is_404(client: AsyncTestClient, as_user, db, alice) -> None:
    role_id = await _role(db, "ROLE_ADMIN")
    r = await client.get(f"/api/user/{alice.id}/role/{role_id}.json", auth=as_user(alice))
    assert_status(r, 404)


async def test_admin_removes_a_role(client: AsyncTestClient, as_user, db, admin, alice) -> None:
    role_id = await _role(db, "ROLE_USER")
    r = await client.delete(f"/api/user/{alice.id}/role/{role_id}.json", auth=as_user(admin))
    assert_status(r, 200)
    assert r.json()["secusersecrole"]["authority"] == "ROLE_USER"
    assert await _authorities(db, alice.id) == []


async def test_nobody_removes_their_own_admin_role(
    client: AsyncTestClient, as_user, db, admin
) -> None:
    role_id = await _role(db, "ROLE_ADMIN")
    r = await client.delete(f"/api/user/{admin.id}/role/{role_id}.json", auth=as_user(admin))
    assert_status(r, 403)


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        ("ROLE_GUEST", ["ROLE_GUEST"]),
        ("ROLE_ADMIN", ["ROLE_GUEST", "ROLE_USER", "ROLE_ADMIN"]),
        ("ROLE_SUPER_ADMIN", AUTHORITIES),
    ],
)
async def test_define_sets_exactly_the_role_and_those_below(
    client: AsyncTestClient, as_user, db, admin, alice, authority: str, expected: list[str]
) -> None:
    role_id = await _role(db, authority)
    r = await client.put(f"/api/user/{alice.id}/role/{role_id}/define.json", auth=as_user(admin))
    assert_status(r, 200)
    assert [x["authority"] for x in r.json()["collection"]] == expected
    assert await _authorities(db, alice.id) == expected


async def test_a_user_defined_as_guest_can_no_longer_write(
    client: AsyncTestClient, as_user, db, admin, alice
) -> None:
    role_id = await _role(db, "ROLE_GUEST")
    await client.put(f"/api/user/{alice.id}/role/{role_id}/define.json", auth=as_user(admin))
    r = await client.post("/api/storage.json", json={"name": "s"}, auth=as_user(alice))
    assert_status(r, 403)


async def test_plain_users_cannot_define_roles(client: AsyncTestClient, as_user, db, alice) -> None:
    role_id = await _role(db, "ROLE_SUPER_ADMIN")
    r = await client.put(f"/api/user/{alice.id}/role/{role_id}/define.json", auth=as_user(alice))
    assert_status(r, 403)


async def test_plain_admins_cannot_demote_a_super_admin(
    client: AsyncTestClient, as_user, db, admin, plain_admin
) -> None:
    role_id = await _role(db, "ROLE_USER")
    r = await client.put(
        f"/api/user/{admin.id}/role/{role_id}/define.json", auth=as_user(plain_admin)
    )
    assert_status(r, 403)
