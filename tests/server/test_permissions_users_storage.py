"""Who may call which user, role and storage endpoint: one request per actor and endpoint.

The target account is ``bob``, a plain user who owns the target storage. Actors: a super
admin, bob himself (plain user acting on his own account and storage), a guest, a member
with READ on bob's storage, and an outsider (a plain user with no tie to bob's storage).
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ACTORS = ("super_admin", "plain_user", "guest", "member", "outsider")


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


def _only(allowed: tuple[str, ...], ok: int = 200, refused: int = 403) -> dict[str, int]:
    return {actor: ok if actor in allowed else refused for actor in ACTORS}


ADMIN = ("super_admin",)
ADMIN_OR_SELF = ("super_admin", "plain_user")
USERS = ("super_admin", "plain_user", "member", "outsider")
STORAGE_READERS = ("super_admin", "plain_user", "member")

# (name, method, path, body, expected status per actor)
MATRIX: list[tuple[str, str, str, Any, dict[str, int]]] = [
    ("list users", "GET", "/api/user.json", None, _all(200)),
    ("read user", "GET", "/api/user/{bob}.json", None, _all(200)),
    ("create user", "POST", "/api/user.json", {"username": "newbie"}, _only(ADMIN)),
    ("edit user", "PUT", "/api/user/{bob}.json", {"firstname": "B"}, _only(ADMIN_OR_SELF)),
    ("delete user", "DELETE", "/api/user/{bob}.json", None, _only(ADMIN)),
    ("lock user", "POST", "/api/user/{bob}/lock.json", None, _only(ADMIN)),
    ("unlock user", "DELETE", "/api/user/{bob}/lock.json", None, _only(ADMIN, ok=400)),
    (
        "change password",
        "PUT",
        "/api/user/{bob}/password.json",
        {"password": "n3w-pass"},
        _only(ADMIN_OR_SELF),
    ),
    ("list friends", "GET", "/api/user/{bob}/friends.json", None, _only(ADMIN_OR_SELF)),
    ("list roles", "GET", "/api/role.json", None, _all(200)),
    ("list user roles", "GET", "/api/user/{bob}/role.json", None, _all(200)),
    (
        "grant role",
        "POST",
        "/api/user/{bob}/role.json",
        {"role": "{role_admin}"},
        _only(ADMIN),
    ),
    ("define role", "PUT", "/api/user/{bob}/role/{role_admin}/define.json", None, _only(ADMIN)),
    ("remove role", "DELETE", "/api/user/{bob}/role/{role_user}.json", None, _only(ADMIN)),
    ("list storages", "GET", "/api/storage.json", None, _only(USERS)),
    ("create storage", "POST", "/api/storage.json", {"name": "mine"}, _only(USERS)),
    ("read storage", "GET", "/api/storage/{storage}.json", None, _only(STORAGE_READERS)),
    ("edit storage", "PUT", "/api/storage/{storage}.json", {"name": "x"}, _only(ADMIN_OR_SELF)),
    ("delete storage", "DELETE", "/api/storage/{storage}.json", None, _only(ADMIN_OR_SELF)),
    ("list members", "GET", "/api/storage/{storage}/user.json", None, _only(STORAGE_READERS)),
    (
        "grant storage",
        "POST",
        "/api/storage/{storage}/user/{outsider}.json",
        None,
        _only(ADMIN_OR_SELF),
    ),
    (
        "revoke storage",
        "DELETE",
        "/api/storage/{storage}/user/{member}.json",
        None,
        _only(STORAGE_READERS),
    ),
]

CASES = [
    pytest.param(method, path, body, actor, expected[actor], id=f"{name}-{actor}")
    for name, method, path, body, expected in MATRIX
    for actor in ACTORS
]


@pytest.fixture
async def world(
    db: asyncpg.Connection, admin: NewAccount, bob: NewAccount, guest: NewAccount
) -> dict[str, Any]:
    """Accounts by actor and the ids the paths refer to."""
    member = await create_account(db, username="member")
    outsider = await create_account(db, username="outsider")
    storage = await db.fetchval("SELECT id FROM storage WHERE user_id = $1", bob.id)
    await db.execute(
        "INSERT INTO storage_member (storage_id, user_id, permission) VALUES ($1, $2, 'READ')",
        storage,
        member.id,
    )
    roles = {r["authority"]: r["id"] for r in await db.fetch("SELECT * FROM sec_role")}
    actors = {
        "super_admin": admin,
        "plain_user": bob,
        "guest": guest,
        "member": member,
        "outsider": outsider,
    }
    ids = {
        "bob": bob.id,
        "storage": storage,
        "member": member.id,
        "outsider": outsider.id,
        "role_admin": roles["ROLE_ADMIN"],
        "role_user": roles["ROLE_USER"],
    }
    return {"actors": actors, "ids": ids}


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and value.endswith("}") else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "actor", "expected"), CASES)
async def test_endpoint_answers_each_actor_as_cytomine_would(
    client: AsyncTestClient,
    as_user,
    world: dict[str, Any],
    method: str,
    path: str,
    body: Any,
    actor: str,
    expected: int,
) -> None:
    ids = world["ids"]
    r = await client.request(
        method,
        _fill(path, ids),
        json=_fill(body, ids),
        auth=as_user(world["actors"][actor]),
    )
    assert r.status_code == expected, r.text
