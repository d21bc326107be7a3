"""Who may call each project route: super admin, manager, contributor, outsider, guest.

Every row runs each caller against a fresh project, so a change made by one caller never
decides the answer of the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts.errors import Forbidden, NotFound
from server.db.store.accounts import NewAccount, create_account
from server.db.store.acl import ProjectAccess, project_access
from server.principal import Principal
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ROLES = ("admin", "manager", "contributor", "outsider", "guest")
READ = dict(zip(ROLES, (200, 200, 200, 403, 200), strict=True))
MANAGE = dict(zip(ROLES, (200, 200, 403, 403, 403), strict=True))


class World(msgspec.Struct, kw_only=True):
    """One project with a member of each kind, and the ids the routes need."""

    project: int
    accounts: dict[str, NewAccount]
    rep: int
    layer: int

    def uid(self, name: str) -> int:
        return self.accounts[name].id


Request = tuple[str, str, Any]
Route = Callable[[World], Request]


async def _world(client: AsyncTestClient, accounts: dict[str, NewAccount], n: int) -> World:
    owner = accounts["manager"]
    members = [accounts[k].id for k in ("contributor", "guest", "erin")]
    project = await make_project(
        client, owner, f"P{n}", users=members, admins=[accounts["frank"].id]
    )
    pid = project["id"]
    rep = await client.post(
        f"/api/project/{pid}/representative.json",
        json={"user": accounts["frank"].id},
        auth=auth(owner),
    )
    layer = await client.post(
        f"/api/project/{pid}/defaultlayer.json",
        json={"user": accounts["erin"].id, "hideByDefault": True},
        auth=auth(owner),
    )
    return World(
        project=pid,
        accounts=accounts,
        rep=rep.json()["projectrepresentativeuser"]["id"],
        layer=layer.json()["projectdefaultlayer"]["id"],
    )


def _p(w: World, tail: str = "") -> str:
    return f"/api/project/{w.project}{tail}"


ROUTES: dict[str, tuple[Route, dict[str, int]]] = {
    "show project": (lambda w: ("GET", _p(w, ".json"), None), READ),
    "update project": (lambda w: ("PUT", _p(w, ".json"), {"isRestricted": True}), MANAGE),
    "delete project": (lambda w: ("DELETE", _p(w, ".json"), None), MANAGE),
    "members": (lambda w: ("GET", _p(w, "/user.json"), None), READ),
    "managers": (lambda w: ("GET", _p(w, "/admin.json"), None), READ),
    "creator": (lambda w: ("GET", _p(w, "/creator.json"), None), READ),
    "user layers": (lambda w: ("GET", _p(w, "/userlayer.json"), None), READ),
    "representative users": (
        lambda w: ("GET", _p(w, "/users/representative.json"), None),
        READ,
    ),
    "users activity": (lambda w: ("GET", _p(w, "/usersActivity.json"), None), READ),
    "online users": (lambda w: ("GET", _p(w, "/online/user.json"), None), READ),
    "members csv": (lambda w: ("GET", _p(w, "/user/download?format=csv"), None), READ),
    "add member": (lambda w: ("POST", _p(w, f"/user/{w.uid('outsider')}.json"), None), MANAGE),
    "remove member": (lambda w: ("DELETE", _p(w, f"/user/{w.uid('erin')}.json"), None), MANAGE),
    "add manager": (
        lambda w: ("POST", _p(w, f"/user/{w.uid('erin')}/admin.json"), None),
        MANAGE,
    ),
    "drop manager": (
        lambda w: ("DELETE", _p(w, f"/user/{w.uid('frank')}/admin.json"), None),
        MANAGE,
    ),
    "add members": (
        lambda w: ("POST", _p(w, f"/user.json?users={w.uid('outsider')}"), None),
        MANAGE,
    ),
    "remove members": (
        lambda w: ("DELETE", _p(w, f"/user.json?users={w.uid('erin')}"), None),
        MANAGE,
    ),
    "resume activity of a manager": (
        lambda w: ("GET", _p(w, f"/resumeActivity/{w.uid('manager')}.json"), None),
        MANAGE,
    ),
    "invite into project": (
        lambda w: ("POST", _p(w, "/invitation.json"), {"name": f"invitee{w.project}"}),
        MANAGE,
    ),
    "representatives": (lambda w: ("GET", _p(w, "/representative.json"), None), READ),
    "show representative": (lambda w: ("GET", _p(w, f"/representative/{w.rep}.json"), None), READ),
    "add representative": (
        lambda w: ("POST", _p(w, "/representative.json"), {"user": w.uid("erin")}),
        MANAGE,
    ),
    "delete representative": (
        lambda w: ("DELETE", _p(w, f"/representative/{w.rep}.json"), None),
        MANAGE,
    ),
    "default layers": (lambda w: ("GET", _p(w, "/defaultlayer.json"), None), READ),
    "show default layer": (lambda w: ("GET", _p(w, f"/defaultlayer/{w.layer}.json"), None), READ),
    "add default layer": (
        lambda w: ("POST", _p(w, "/defaultlayer.json"), {"user": w.uid("contributor")}),
        MANAGE,
    ),
    "update default layer": (
        lambda w: ("PUT", _p(w, f"/defaultlayer/{w.layer}.json"), {"hideByDefault": False}),
        MANAGE,
    ),
    "delete default layer": (
        lambda w: ("DELETE", _p(w, f"/defaultlayer/{w.layer}.json"), None),
        MANAGE,
    ),
    "create project": (
        lambda w: ("POST", "/api/project.json", {"name": f"new {w.project}"}),
        dict(zip(ROLES, (200, 200, 200, 200, 403), strict=True)),
    ),
    "list projects": (
        lambda w: ("GET", "/api/project.json", None),
        dict.fromkeys(ROLES, 200),
    ),
    "project bounds": (
        lambda w: ("GET", "/api/bounds/project.json", None),
        dict.fromkeys(ROLES, 200),
    ),
    "last opened": (
        lambda w: ("GET", "/api/project/method/lastopened.json", None),
        dict.fromkeys(ROLES, 200),
    ),
}


@pytest.fixture
async def accounts(
    db: asyncpg.Connection, admin: NewAccount, alice: NewAccount, bob: NewAccount, guest: NewAccount
) -> dict[str, NewAccount]:
    return {
        "admin": admin,
        "manager": alice,
        "contributor": bob,
        "guest": guest,
        "outsider": await create_account(db, username="carol"),
        "erin": await create_account(db, username="erin"),
        "frank": await create_account(db, username="frank"),
    }


@pytest.mark.parametrize("name", list(ROUTES))
async def test_route_permissions(
    client: AsyncTestClient, accounts: dict[str, NewAccount], name: str
) -> None:
    route, expected = ROUTES[name]
    found = {}
    for n, role in enumerate(ROLES):
        method, url, body = route(await _world(client, accounts, n))
        kwargs = {"json": body} if body is not None else {}
        r = await client.request(method, url, auth=auth(accounts[role]), **kwargs)
        found[role] = r.status_code
    assert found == expected


async def test_outsider_gets_not_found_for_a_missing_project(
    client: AsyncTestClient, accounts: dict[str, NewAccount]
) -> None:
    r = await client.get("/api/project/123456/user.json", auth=auth(accounts["outsider"]))
    assert_status(r, 404)


async def test_read_only_project_keeps_manager_rights(
    client: AsyncTestClient, accounts: dict[str, NewAccount]
) -> None:
    world = await _world(client, accounts, 0)
    owner = auth(accounts["manager"])
    await client.put(_p(world, ".json"), json={"isReadOnly": True}, auth=owner)
    r = await client.post(_p(world, f"/user/{world.uid('outsider')}.json"), auth=owner)
    assert_status(r, 200)


async def test_admin_with_closed_session_is_an_outsider(
    client: AsyncTestClient, accounts: dict[str, NewAccount], db: asyncpg.Connection
) -> None:
    world = await _world(client, accounts, 0)
    admin = accounts["admin"]
    await db.execute("UPDATE sec_user SET admin_session = false WHERE id = $1", admin.id)
    r = await client.get(_p(world, ".json"), auth=auth(admin))
    assert_status(r, 403)


# --- the reusable access check ------------------------------------------------------------


async def _access(db: asyncpg.Connection, account: NewAccount, project_id: int) -> ProjectAccess:
    rank = await db.fetchval("SELECT rank FROM user_rank WHERE user_id = $1", account.id)
    me = Principal(id=account.id, username=account.username, rank=rank)
    return await project_access(db, me, project_id)


@pytest.mark.parametrize(
    ("role", "read", "write", "manage"),
    [
        ("admin", True, True, True),
        ("manager", True, True, True),
        ("contributor", True, True, False),
        ("outsider", False, False, False),
        ("guest", True, False, False),
    ],
)
async def test_project_access_flags(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    accounts: dict[str, NewAccount],
    role: str,
    read: bool,
    write: bool,
    manage: bool,
) -> None:
    world = await _world(client, accounts, 0)
    access = await _access(db, accounts[role], world.project)
    assert (access.can_read, access.can_write, access.can_manage) == (read, write, manage)


async def test_read_only_project_lets_only_managers_write(
    client: AsyncTestClient, db: asyncpg.Connection, accounts: dict[str, NewAccount]
) -> None:
    world = await _world(client, accounts, 0)
    await db.execute("UPDATE project SET is_read_only = true WHERE id = $1", world.project)
    assert (await _access(db, accounts["contributor"], world.project)).can_write is False
    assert (await _access(db, accounts["manager"], world.project)).can_write is True


async def test_restricted_project_lets_contributors_edit_only_their_data(
    client: AsyncTestClient, db: asyncpg.Connection, accounts: dict[str, NewAccount]
) -> None:
    world = await _world(client, accounts, 0)
    await db.execute("UPDATE project SET is_restricted = true WHERE id = $1", world.project)
    access = await _access(db, accounts["contributor"], world.project)
    assert access.may_edit(accounts["contributor"].id) is True
    assert access.may_edit(accounts["erin"].id) is False
    with pytest.raises(Forbidden):
        access.require_edit(accounts["erin"].id)
    manager = await _access(db, accounts["manager"], world.project)
    assert manager.may_edit(accounts["erin"].id) is True


async def test_project_access_of_a_missing_project_is_not_found(
    db: asyncpg.Connection, accounts: dict[str, NewAccount]
) -> None:
    with pytest.raises(NotFound):
        await _access(db, accounts["manager"], 123456)
