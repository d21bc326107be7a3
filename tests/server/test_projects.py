"""Projects: create, read, update, delete, and the project lists."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_ontology, make_project, members_of

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

PROJECT_CLASS = "be.cytomine.domain.project.Project"


# --- create ---------------------------------------------------------------------------


async def test_create_answers_the_envelope(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.post("/api/project.json", json={"name": "Lung"}, auth=auth(alice))
    assert_status(r, 200)
    body = r.json()
    project = body["project"]
    assert project["class"] == PROJECT_CLASS
    assert project["name"] == "Lung"
    assert isinstance(project["created"], str) and project["updated"] is None
    assert project["numberOfImages"] == 0 and project["ontology"] is None
    assert body["callback"] == {
        "method": "be.cytomine.AddProjectCommand",
        "projectID": str(project["id"]),
    }
    assert body["printMessage"] is True and isinstance(body["command"], int)


async def test_creator_becomes_manager_and_representative(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    assert await members_of(db, project["id"]) == {alice.id: True}
    reps = await db.fetchval(
        "SELECT array_agg(user_id) FROM project_representative_user WHERE project_id = $1",
        project["id"],
    )
    assert reps == [alice.id]


async def test_users_and_admins_lists_become_members(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice, users=[bob.id], admins=[carol.id])
    assert await members_of(db, project["id"]) == {alice.id: True, bob.id: False, carol.id: True}


async def test_unknown_member_ids_are_skipped(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[999999])
    assert await members_of(db, project["id"]) == {alice.id: True}


async def test_create_records_a_command(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    r = await client.post("/api/project.json", json={"name": "X"}, auth=auth(alice))
    row = await db.fetchrow("SELECT * FROM command WHERE id = $1", r.json()["command"])
    assert (row["type"], row["class_name"], row["project_id"]) == (
        "ADD",
        PROJECT_CLASS,
        r.json()["project"]["id"],
    )


async def test_create_with_flags_and_an_ontology(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    ontology = await make_ontology(db, alice, "Anatomy")
    project = await make_project(
        client, alice, ontology=ontology, blindMode=True, isReadOnly=True, hideUsersLayers=True
    )
    assert project["ontology"] == ontology and project["ontologyName"] == "Anatomy"
    assert (project["blindMode"], project["isReadOnly"], project["hideUsersLayers"]) == (
        True,
        True,
        True,
    )
    assert project["isRestricted"] is False


async def test_duplicate_name_is_a_conflict(client: AsyncTestClient, alice: NewAccount) -> None:
    await make_project(client, alice, "Same")
    r = await client.post("/api/project.json", json={"name": "same"}, auth=auth(alice))
    assert_status(r, 409)
    assert "already exist" in r.json()["errors"]["message"]


@pytest.mark.parametrize("body", [{}, {"name": None}, {"name": "  "}, {"name": 3}])
async def test_create_without_a_name_is_refused(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, body: dict[str, Any]
) -> None:
    r = await client.post("/api/project.json", json=body, auth=auth(alice))
    assert_status(r, 400)
    assert await db.fetchval("SELECT count(*) FROM project") == 0


async def test_bad_member_ids_are_refused(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.post("/api/project.json", json={"name": "P", "users": ["x"]}, auth=auth(alice))
    assert_status(r, 400)


async def test_unknown_ontology_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.post(
        "/api/project.json", json={"name": "P", "ontology": 424242}, auth=auth(alice)
    )
    assert_status(r, 404)


async def test_someone_elses_ontology_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    ontology = await make_ontology(db, bob)
    r = await client.post(
        "/api/project.json", json={"name": "P", "ontology": ontology}, auth=auth(alice)
    )
    assert_status(r, 403)
    assert await db.fetchval("SELECT count(*) FROM project") == 0


async def test_guest_cannot_create(client: AsyncTestClient, guest: NewAccount) -> None:
    r = await client.post("/api/project.json", json={"name": "P"}, auth=auth(guest))
    assert_status(r, 403)


# --- read, update, delete ---------------------------------------------------------------


async def test_show_returns_the_bare_project(client: AsyncTestClient, alice: NewAccount) -> None:
    project = await make_project(client, alice)
    r = await client.get(f"/api/project/{project['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json() == project


async def test_unknown_project_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/project/987654.json", auth=auth(alice))
    assert_status(r, 404)
    assert r.json()["errors"]["message"] == "Project not found with filters : {id=987654}"


async def test_update_sends_the_whole_object_back(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    changed = {**project, "name": "Renamed", "isRestricted": True, "unknownField": [1]}
    r = await client.put(f"/api/project/{project['id']}.json", json=changed, auth=auth(alice))
    assert_status(r, 200)
    body = r.json()
    assert body["project"]["name"] == "Renamed" and body["project"]["isRestricted"] is True
    assert body["project"]["updated"] is not None
    assert body["callback"]["method"] == "be.cytomine.EditProjectCommand"


async def test_update_with_null_ontology_detaches_it(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, ontology=await make_ontology(db, alice))
    r = await client.put(
        f"/api/project/{project['id']}.json", json={"ontology": None}, auth=auth(alice)
    )
    assert r.json()["project"]["ontology"] is None


async def test_update_without_ontology_keeps_it(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    ontology = await make_ontology(db, alice)
    project = await make_project(client, alice, ontology=ontology)
    r = await client.put(f"/api/project/{project['id']}.json", json={"name": "N"}, auth=auth(alice))
    assert r.json()["project"]["ontology"] == ontology


async def test_update_path_id_wins_over_body_id(client: AsyncTestClient, alice: NewAccount) -> None:
    first = await make_project(client, alice, "A")
    second = await make_project(client, alice, "B")
    r = await client.put(
        f"/api/project/{first['id']}.json",
        json={"id": second["id"], "name": "A2"},
        auth=auth(alice),
    )
    assert r.json()["project"]["id"] == first["id"]


async def test_update_to_an_existing_name_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    await make_project(client, alice, "A")
    second = await make_project(client, alice, "B")
    r = await client.put(f"/api/project/{second['id']}.json", json={"name": "A"}, auth=auth(alice))
    assert_status(r, 409)


async def test_update_to_an_empty_name_is_refused(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.put(f"/api/project/{project['id']}.json", json={"name": " "}, auth=auth(alice))
    assert_status(r, 400)


async def test_update_users_list_replaces_the_members(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice, users=[bob.id])
    r = await client.put(
        f"/api/project/{project['id']}.json", json={"users": [carol.id]}, auth=auth(alice)
    )
    assert_status(r, 200)
    assert await members_of(db, project["id"]) == {alice.id: True, carol.id: False}


async def test_update_admins_list_replaces_the_managers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    carol = await create_account(db, username="carol")
    project = await make_project(client, alice, users=[bob.id], admins=[carol.id])
    r = await client.put(
        f"/api/project/{project['id']}.json", json={"admins": [bob.id]}, auth=auth(alice)
    )
    assert_status(r, 200)
    assert await members_of(db, project["id"]) == {alice.id: True, bob.id: True, carol.id: False}


async def test_update_without_lists_keeps_the_members(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    await client.put(
        f"/api/project/{project['id']}.json",
        json={"name": "N", "users": None, "admins": None},
        auth=auth(alice),
    )
    assert await members_of(db, project["id"]) == {alice.id: True, bob.id: False}


async def test_delete_answers_the_project_as_it_was(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice)
    r = await client.delete(f"/api/project/{project['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["project"] == project
    assert r.json()["callback"]["method"] == "be.cytomine.DeleteProjectCommand"
    assert await db.fetchval("SELECT count(*) FROM project_member") == 0
    gone = await client.get(f"/api/project/{project['id']}.json", auth=auth(alice))
    assert_status(gone, 404)


async def test_delete_of_unknown_project_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.delete("/api/project/55555.json", auth=auth(alice))
    assert_status(r, 404)


# --- lists ------------------------------------------------------------------------------


async def _names(client: AsyncTestClient, who: NewAccount, query: str = "") -> list[str]:
    r = await client.get(f"/api/project.json?{query}", auth=auth(who))
    assert r.status_code == 200, r.text
    return [p["name"] for p in r.json()["collection"]]


async def test_list_shows_only_the_callers_projects(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    await make_project(client, alice, "Mine")
    await make_project(client, bob, "Theirs")
    assert await _names(client, alice) == ["Mine"]


async def test_admin_lists_every_project(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, admin: NewAccount
) -> None:
    await make_project(client, alice, "A")
    await make_project(client, bob, "B")
    assert sorted(await _names(client, admin)) == ["A", "B"]


async def test_admin_with_closed_session_lists_own_projects(
    client: AsyncTestClient, alice: NewAccount, admin: NewAccount, db: asyncpg.Connection
) -> None:
    await make_project(client, alice, "A")
    await db.execute("UPDATE sec_user SET admin_session = false WHERE id = $1", admin.id)
    assert await _names(client, admin) == []


async def test_list_filters_sorts_and_pages(client: AsyncTestClient, alice: NewAccount) -> None:
    for name in ("Lung", "Liver", "Skin", "lymph"):
        await make_project(client, alice, name)
    assert await _names(client, alice, "name[ilike]=l&sort=name&order=asc") == [
        "Liver",
        "Lung",
        "lymph",
    ]
    r = await client.get("/api/project.json?max=2&offset=2&sort=name&order=asc", auth=auth(alice))
    body = r.json()
    assert [p["name"] for p in body["collection"]] == ["Skin", "lymph"]
    assert (body["size"], body["totalPages"], body["perPage"], body["offset"]) == (4, 2, 2, 2)


async def test_list_accepts_double_encoded_filters(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    await make_project(client, alice, "acc js")
    await make_project(client, alice, "other")
    assert await _names(client, alice, "name%255Bilike%255D=acc%2520js") == ["acc js"]


async def test_list_extras_appear_only_when_asked(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    await make_project(client, alice, "P", users=[bob.id])
    plain = (await client.get("/api/project.json", auth=auth(alice))).json()["collection"][0]
    assert not {"membersCount", "lastActivity", "currentUserRoles", "currentUserRole"} & set(plain)
    query = (
        "withMembersCount=true&withLastActivity=true&withDescription=true&withCurrentUserRoles=true"
    )
    r = await client.get(f"/api/project.json?{query}", auth=auth(bob))
    row = r.json()["collection"][0]
    assert row["membersCount"] == 2 and row["description"] == ""
    assert row["currentUserRoles"] == {"admin": False, "representative": False}
    assert isinstance(row["lastActivity"], str)
    assert "currentUserRole" not in row


async def test_list_filters_on_the_callers_role(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    await make_project(client, alice, "Managed")
    await make_project(client, bob, "Joined", users=[alice.id])
    query = "withCurrentUserRoles=true&currentUserRole%255Bin%255D=manager"
    assert await _names(client, alice, query) == ["Managed"]
    both = "withCurrentUserRoles=true&currentUserRole[in]=contributor,manager"
    assert sorted(await _names(client, alice, both)) == ["Joined", "Managed"]


async def test_sorting_on_last_activity_needs_the_extra(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get("/api/project.json?sort=lastActivity", auth=auth(alice))
    assert_status(r, 400)
    ok = await client.get(
        "/api/project.json?sort=lastActivity&withLastActivity=true", auth=auth(alice)
    )
    assert_status(ok, 200)


async def test_bounds_cover_the_visible_projects(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    await make_project(client, alice, "A", users=[bob.id])
    await make_project(client, alice, "B")
    r = await client.get("/api/bounds/project.json?withMembersCount=true", auth=auth(alice))
    assert_status(r, 200)
    body = r.json()
    assert body["members"] == {"min": 1, "max": 2}
    assert body["numberOfImages"] == {"min": 0, "max": 0}
    assert body["name"] == {"min": "A", "max": "B"}
    assert set(body) >= {"numberOfAnnotations", "numberOfReviewedAnnotations", "created"}


async def test_last_opened_pads_with_the_newest_projects(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    for name in ("A", "B", "C"):
        await make_project(client, alice, name)
    r = await client.get("/api/project/method/lastopened.json?max=2", auth=auth(alice))
    assert_status(r, 200)
    rows = r.json()["collection"]
    assert len(rows) == 2 and all(row["opened"] is False for row in rows)
    assert set(rows[0]) == {"id", "date", "opened"}
