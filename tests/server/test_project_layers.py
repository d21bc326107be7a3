"""Project representatives and default layers."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

REP_CLASS = "be.cytomine.domain.project.ProjectRepresentativeUser"
LAYER_CLASS = "be.cytomine.domain.project.ProjectDefaultLayer"


async def _add_rep(client: AsyncTestClient, owner: NewAccount, project_id: int, user_id: int):
    return await client.post(
        f"/api/project/{project_id}/representative.json",
        json={"project": project_id, "user": user_id},
        auth=auth(owner),
    )


async def _add_layer(
    client: AsyncTestClient, owner: NewAccount, project_id: int, user_id: int, hide: bool = True
):
    return await client.post(
        f"/api/project/{project_id}/defaultlayer.json",
        json={"project": project_id, "user": user_id, "hideByDefault": hide},
        auth=auth(owner),
    )


# --- representatives --------------------------------------------------------------------


async def test_creator_is_listed_as_representative(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.get(f"/api/project/{project['id']}/representative.json", auth=auth(alice))
    assert_status(r, 200)
    [rep] = r.json()["collection"]
    assert (rep["class"], rep["project"], rep["user"]) == (REP_CLASS, project["id"], alice.id)


async def test_manager_adds_a_representative(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await _add_rep(client, alice, project["id"], bob.id)
    assert_status(r, 200)
    body = r.json()
    assert body["projectrepresentativeuser"]["user"] == bob.id
    assert body["callback"]["method"] == "be.cytomine.AddProjectRepresentativeUserCommand"
    row = await db.fetchrow("SELECT project_id, type FROM command WHERE id = $1", body["command"])
    assert (row["project_id"], row["type"]) == (project["id"], "ADD")


async def test_path_project_wins_over_the_body(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.post(
        f"/api/project/{project['id']}/representative.json",
        json={"project": 1, "user": bob.id},
        auth=auth(alice),
    )
    assert r.json()["projectrepresentativeuser"]["project"] == project["id"]


async def test_a_representative_must_be_a_member(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await _add_rep(client, alice, project["id"], bob.id)
    assert_status(r, 400)


async def test_duplicate_representative_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await _add_rep(client, alice, project["id"], alice.id)
    assert_status(r, 409)


async def test_representative_of_an_unknown_user_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await _add_rep(client, alice, project["id"], 777777)
    assert_status(r, 404)


async def test_representative_body_needs_a_user(client: AsyncTestClient, alice: NewAccount) -> None:
    project = await make_project(client, alice)
    r = await client.post(
        f"/api/project/{project['id']}/representative.json", json={}, auth=auth(alice)
    )
    assert_status(r, 400)


async def test_representative_is_read_and_deleted_by_id(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    rep = (await _add_rep(client, alice, project["id"], bob.id)).json()["projectrepresentativeuser"]
    url = f"/api/project/{project['id']}/representative/{rep['id']}.json"
    assert (await client.get(url, auth=auth(bob))).json() == rep
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["projectrepresentativeuser"] == rep
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_representative_is_deleted_by_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    await _add_rep(client, alice, project["id"], bob.id)
    r = await client.delete(
        f"/api/project/{project['id']}/representative.json?user={bob.id}", auth=auth(alice)
    )
    assert_status(r, 200)
    assert r.json()["projectrepresentativeuser"]["user"] == bob.id


async def test_the_last_representative_cannot_be_removed(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.delete(
        f"/api/project/{project['id']}/representative.json?user={alice.id}", auth=auth(alice)
    )
    assert_status(r, 400)
    assert "last representative" in r.json()["errors"]["message"]


async def test_representative_of_another_project_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    first = await make_project(client, alice, "A")
    second = await make_project(client, alice, "B")
    reps = await client.get(f"/api/project/{first['id']}/representative.json", auth=auth(alice))
    rep_id = reps.json()["collection"][0]["id"]
    r = await client.get(
        f"/api/project/{second['id']}/representative/{rep_id}.json", auth=auth(alice)
    )
    assert_status(r, 404)


async def test_update_representatives_list_replaces_them(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await client.put(
        f"/api/project/{project['id']}.json", json={"representatives": [bob.id]}, auth=auth(alice)
    )
    assert_status(r, 200)
    reps = await db.fetch(
        "SELECT user_id FROM project_representative_user WHERE project_id = $1", project["id"]
    )
    assert [row["user_id"] for row in reps] == [bob.id]


async def test_update_refuses_non_member_representatives(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await client.put(
        f"/api/project/{project['id']}.json",
        json={"name": "Changed", "representatives": [bob.id]},
        auth=auth(alice),
    )
    assert_status(r, 400)
    again = await client.get(f"/api/project/{project['id']}.json", auth=auth(alice))
    assert again.json()["name"] == project["name"]


async def test_removed_member_loses_the_representative_role(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    await _add_rep(client, alice, project["id"], bob.id)
    await client.delete(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    reps = await db.fetch(
        "SELECT user_id FROM project_representative_user WHERE project_id = $1", project["id"]
    )
    assert [row["user_id"] for row in reps] == [alice.id]


# --- default layers ---------------------------------------------------------------------


async def test_manager_adds_a_default_layer(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice, users=[bob.id])
    r = await _add_layer(client, alice, project["id"], bob.id)
    assert_status(r, 200)
    layer = r.json()["projectdefaultlayer"]
    assert (layer["class"], layer["user"], layer["hideByDefault"]) == (LAYER_CLASS, bob.id, True)
    listed = await client.get(f"/api/project/{project['id']}/defaultlayer.json", auth=auth(bob))
    assert listed.json()["collection"] == [layer]


async def test_default_layer_user_must_be_a_member(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice)
    r = await _add_layer(client, alice, project["id"], bob.id)
    assert_status(r, 400)


async def test_duplicate_default_layer_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    await _add_layer(client, alice, project["id"], alice.id)
    r = await _add_layer(client, alice, project["id"], alice.id, hide=False)
    assert_status(r, 409)


async def test_default_layer_is_updated_with_the_full_object(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    project = await make_project(client, alice)
    layer = (await _add_layer(client, alice, project["id"], alice.id)).json()["projectdefaultlayer"]
    url = f"/api/project/{project['id']}/defaultlayer/{layer['id']}.json"
    r = await client.put(url, json={**layer, "hideByDefault": False}, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["projectdefaultlayer"]["hideByDefault"] is False
    assert r.json()["projectdefaultlayer"]["updated"] is not None
    assert (await client.get(url, auth=auth(alice))).json()["hideByDefault"] is False


async def test_default_layer_cannot_move_to_a_non_member(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    project = await make_project(client, alice)
    layer = (await _add_layer(client, alice, project["id"], alice.id)).json()["projectdefaultlayer"]
    r = await client.put(
        f"/api/project/{project['id']}/defaultlayer/{layer['id']}.json",
        json={"user": bob.id},
        auth=auth(alice),
    )
    assert_status(r, 400)


async def test_default_layer_is_deleted(client: AsyncTestClient, alice: NewAccount) -> None:
    project = await make_project(client, alice)
    layer = (await _add_layer(client, alice, project["id"], alice.id)).json()["projectdefaultlayer"]
    url = f"/api/project/{project['id']}/defaultlayer/{layer['id']}.json"
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["projectdefaultlayer"] == layer
    assert r.json()["callback"]["method"] == "be.cytomine.DeleteProjectDefaultLayerCommand"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
async def test_unknown_default_layer_is_not_found(
    client: AsyncTestClient, alice: NewAccount, method: str
) -> None:
    project = await make_project(client, alice)
    url = f"/api/project/{project['id']}/defaultlayer/424242.json"
    kwargs = {"json": {"hideByDefault": True}} if method == "put" else {}
    r = await client.request(method.upper(), url, auth=auth(alice), **kwargs)
    assert_status(r, 404)
