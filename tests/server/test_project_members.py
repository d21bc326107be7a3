"""Project members: adding and removing users and managers, member lists, activity."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_ontology, make_project, members_of

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

OK = {"data": {"message": "OK"}}


async def test_manager_adds_a_contributor(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    r = await client.post(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json() == OK
    assert await members_of(db, project["id"]) == {alice.id: True, bob.id: False}


async def test_adding_an_unknown_user_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.post(f"/api/project/{project['id']}/user/98765.json", auth=auth(alice))
    assert_status(r, 404)
    assert "User" in r.json()["errors"]["message"]


async def test_adding_to_an_unknown_project_is_not_found(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.post(f"/api/project/98765/user/{bob.id}.json", auth=auth(alice))
    assert_status(r, 404)


async def test_adding_twice_keeps_one_membership(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    for _ in range(2):
        await client.post(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert await members_of(db, project["id"]) == {alice.id: True, bob.id: False}


async def test_adding_a_manager_as_contributor_keeps_the_manager_right(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, admins=[bob.id])
    await client.post(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert (await members_of(db, project["id"]))[bob.id] is True


async def test_manager_removes_a_member(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.delete(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200 and r.json() == OK
    assert await members_of(db, project["id"]) == {alice.id: True}


async def test_contributor_may_leave_a_project(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.delete(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(bob))
    assert_status(r, 200)
    assert bob.id not in await members_of(db, project["id"])


async def test_removing_the_last_representative_hands_the_role_to_the_caller(
    client: AsyncTestClient, alice: NewAccount, admin: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    r = await client.delete(f"/api/project/{project['id']}/user/{alice.id}.json", auth=auth(admin))
    assert_status(r, 200)
    reps = await db.fetch(
        "SELECT user_id FROM project_representative_user WHERE project_id = $1", project["id"]
    )
    assert [row["user_id"] for row in reps] == [admin.id]
    assert await members_of(db, project["id"]) == {admin.id: True}


async def test_manager_right_is_granted_and_dropped(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    url = f"/api/project/{project['id']}/user/{bob.id}/admin.json"
    assert (await client.post(url, auth=auth(alice))).json() == OK
    assert (await members_of(db, project["id"]))[bob.id] is True
    assert (await client.delete(url, auth=auth(alice))).json() == OK
    assert (await members_of(db, project["id"]))[bob.id] is False


async def test_making_a_non_member_manager_adds_them(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    await client.post(f"/api/project/{project['id']}/user/{bob.id}/admin.json", auth=auth(alice))
    assert (await members_of(db, project["id"]))[bob.id] is True


async def test_a_manager_may_drop_their_own_manager_right(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, admins=[bob.id])
    r = await client.delete(
        f"/api/project/{project['id']}/user/{bob.id}/admin.json", auth=auth(bob)
    )
    assert_status(r, 200)
    assert (await members_of(db, project["id"]))[bob.id] is False


async def test_bulk_add_and_remove(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice)
    url = f"/api/project/{project['id']}/user.json?users={bob.id},{carol.id}"
    r = await client.post(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json() == {"data": {"message": "OK"}, "status": 200}
    assert set(await members_of(db, project["id"])) == {alice.id, bob.id, carol.id}
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert set(await members_of(db, project["id"])) == {alice.id}


async def test_bulk_add_reports_wrong_ids_with_206(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    r = await client.post(
        f"/api/project/{project['id']}/user.json?users={bob.id},x,424242", auth=auth(alice)
    )
    assert_status(r, 206)
    assert r.json()["status"] == 206
    assert "x" in r.json()["data"]["message"] and "424242" in r.json()["data"]["message"]
    assert bob.id in await members_of(db, project["id"])


async def test_bulk_add_needs_the_users_parameter(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.post(f"/api/project/{project['id']}/user.json", auth=auth(alice))
    assert_status(r, 400)


# --- member lists -----------------------------------------------------------------------


async def test_member_list_carries_roles(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice, users=[bob.id], admins=[carol.id])
    r = await client.get(f"/api/project/{project['id']}/user.json", auth=auth(bob))
    assert_status(r, 200)
    roles = {u["username"]: u["role"] for u in r.json()["collection"]}
    assert roles == {"alice": "representative", "bob": "contributor", "carol": "manager"}
    first = r.json()["collection"][0]
    assert first["class"] == "be.cytomine.domain.security.User"
    assert "projectRole" not in first


async def test_member_list_filters_on_project_role(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(
        f"/api/project/{project['id']}/user.json?projectRole[in]=contributor", auth=auth(alice)
    )
    assert [u["username"] for u in r.json()["collection"]] == ["bob"]


async def test_member_list_sorts_with_sort_column(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(
        f"/api/project/{project['id']}/user.json?sortColumn=username&sortDirection=desc",
        auth=auth(alice),
    )
    assert [u["username"] for u in r.json()["collection"]] == ["bob", "alice"]


@pytest.mark.parametrize(
    ("route", "expected"),
    [("admin", ["alice", "carol"]), ("creator", ["alice"]), ("users/representative", ["alice"])],
)
async def test_role_lists(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    db: asyncpg.Connection,
    route: str,
    expected: list[str],
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice, users=[bob.id], admins=[carol.id])
    r = await client.get(f"/api/project/{project['id']}/{route}.json", auth=auth(bob))
    assert_status(r, 200)
    assert sorted(u["username"] for u in r.json()["collection"]) == expected


@pytest.mark.parametrize(
    ("hide_users", "hide_admins", "expected"),
    [
        (False, False, ["alice", "bob", "carol"]),
        (True, False, ["alice", "bob"]),
        (False, True, ["bob", "carol"]),
        (True, True, ["bob"]),
    ],
)
async def test_user_layers_follow_the_hiding_flags(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    db: asyncpg.Connection,
    hide_users: bool,
    hide_admins: bool,
    expected: list[str],
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(
        client,
        alice,
        users=[bob.id, carol.id],
        hideUsersLayers=hide_users,
        hideAdminsLayers=hide_admins,
    )
    r = await client.get(f"/api/project/{project['id']}/userlayer.json", auth=auth(bob))
    assert sorted(u["username"] for u in r.json()["collection"]) == expected


async def test_managers_see_every_layer(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(
        client, alice, users=[bob.id], hideUsersLayers=True, hideAdminsLayers=True
    )
    r = await client.get(f"/api/project/{project['id']}/userlayer.json", auth=auth(alice))
    assert sorted(u["username"] for u in r.json()["collection"]) == ["alice", "bob"]


# --- activity ---------------------------------------------------------------------------


async def test_users_activity_lists_members_without_activity(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(f"/api/project/{project['id']}/usersActivity.json", auth=auth(alice))
    assert_status(r, 200)
    rows = r.json()["collection"]
    assert [row["username"] for row in rows] == ["alice", "bob"]
    assert rows[0]["frequency"] == 0 and rows[0]["lastConnection"] is None


async def test_nobody_is_online(client: AsyncTestClient, alice: NewAccount) -> None:
    project = await make_project(client, alice)
    r = await client.get(f"/api/project/{project['id']}/online/user.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["collection"] == [] and r.json()["size"] == 0


async def test_resume_activity_is_empty(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(
        f"/api/project/{project['id']}/resumeActivity/{bob.id}.json", auth=auth(alice)
    )
    assert_status(r, 200)
    assert r.json() == {
        "firstConnection": None,
        "lastConnection": None,
        "totalAnnotations": 0,
        "totalConnections": 0,
        "totalConsultations": 0,
        "totalAnnotationSelections": 0,
    }


async def test_resume_activity_of_another_member_is_for_managers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(
        f"/api/project/{project['id']}/resumeActivity/{alice.id}.json", auth=auth(bob)
    )
    assert_status(r, 403)


async def test_member_list_downloads_as_csv(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.get(f"/api/project/{project['id']}/user/download?format=csv", auth=auth(alice))
    assert_status(r, 200)
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines() == ["username,name", "alice,alice", "bob,bob"]


async def test_member_list_download_refuses_other_formats(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.get(f"/api/project/{project['id']}/user/download?format=pdf", auth=auth(alice))
    assert_status(r, 400)


# --- the projects of a user or an ontology ---------------------------------------------


async def test_projects_of_a_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, admin: NewAccount
) -> None:
    await make_project(client, alice, "A", users=[bob.id])
    await make_project(client, alice, "Alone")
    r = await client.get(f"/api/user/{bob.id}/project.json", auth=auth(admin))
    assert [p["name"] for p in r.json()["collection"]] == ["A"]


async def test_projects_of_an_ontology(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    ontology = await make_ontology(db, alice)
    await make_project(client, alice, "With", ontology=ontology)
    await make_project(client, alice, "Without")
    r = await client.get(f"/api/ontology/{ontology}/project.json", auth=auth(alice))
    assert [p["name"] for p in r.json()["collection"]] == ["With"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", ["Joined", "Mine"]), ("admin=true", ["Mine"]), ("creator=true", ["Mine"])],
)
async def test_light_project_lists_by_role(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, query: str, expected: list[str]
) -> None:
    await make_project(client, alice, "Mine")
    await make_project(client, bob, "Joined", users=[alice.id])
    r = await client.get(f"/api/user/{alice.id}/project/light.json?{query}", auth=auth(alice))
    assert_status(r, 200)
    assert sorted(p["name"] for p in r.json()["collection"]) == expected
    assert set(r.json()["collection"][0]) == {"id", "name"}


async def test_light_list_of_someone_else_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get(f"/api/user/{bob.id}/project/light.json", auth=auth(alice))
    assert_status(r, 403)


# --- invitations ------------------------------------------------------------------------


async def test_invitation_creates_a_member_account(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    body = {"name": "newbie", "firstname": "New", "lastname": "Bie", "mail": "n@example.com"}
    r = await client.post(
        f"/api/project/{project['id']}/invitation.json", json=body, auth=auth(alice)
    )
    assert_status(r, 200)
    user = r.json()
    assert (user["username"], user["email"], user["lastname"]) == ("newbie", "n@example.com", "Bie")
    assert (await members_of(db, project["id"]))[user["id"]] is False
    expired = "SELECT password_expired FROM sec_user WHERE id = $1"
    assert await db.fetchval(expired, user["id"]) is True


async def test_invitation_of_an_existing_name_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.post("/api/user/invitation.json", json={"name": "alice"}, auth=auth(alice))
    assert_status(r, 409)


async def test_nobody_is_listed_as_online_member(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.get(f"/api/project/{project['id']}/user.json?online=true", auth=auth(alice))
    assert r.status_code == 200 and r.json()["size"] == 0
