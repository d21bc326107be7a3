"""Ontologies: CRUD, the term tree widget shape, light lists, deletion rules, users."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ONTOLOGY = "be.cytomine.domain.ontology.Ontology"
TERM = "be.cytomine.domain.ontology.Term"


async def _ontology(client: AsyncTestClient, auth: Any, name: str = "Histo") -> dict[str, Any]:
    r = await client.post("/api/ontology.json", json={"name": name}, auth=auth)
    assert r.status_code == 200, r.text
    return r.json()["ontology"]


async def _term(client: AsyncTestClient, auth: Any, ontology: int, name: str) -> int:
    body = {"name": name, "color": "#AA0000", "ontology": ontology}
    r = await client.post("/api/term.json", json=body, auth=auth)
    assert r.status_code == 200, r.text
    return int(r.json()["term"]["id"])


async def _link(client: AsyncTestClient, auth: Any, parent: int, child: int) -> None:
    body = {"term1": parent, "term2": child}
    r = await client.post("/api/relation/parent/term.json", json=body, auth=auth)
    assert r.status_code == 200, r.text


async def _project(db: asyncpg.Connection, ontology: int, name: str = "P") -> int:
    return int(
        await db.fetchval(
            "INSERT INTO project (name, ontology_id) VALUES ($1, $2) RETURNING id", name, ontology
        )
    )


async def test_create_answers_the_envelope_with_the_creator_as_owner(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, db: asyncpg.Connection
) -> None:
    r = await client.post(
        "/api/ontology.json", json={"name": "Histo", "user": 1}, auth=as_user(alice)
    )
    assert_status(r, 200)
    body = r.json()
    obj = body["ontology"]
    assert (obj["name"], obj["user"], obj["class"]) == ("Histo", alice.id, ONTOLOGY)
    assert body["message"] == "Ontology Histo added"
    assert body["callback"]["ontologyID"] == str(obj["id"])
    assert body["printMessage"] is True
    row = await db.fetchrow("SELECT type, object_id FROM command WHERE id = $1", body["command"])
    assert (row["type"], row["object_id"]) == ("ADD", obj["id"])


async def test_new_ontology_has_the_tree_widget_fields(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    obj = await _ontology(client, as_user(alice))
    assert obj["title"] == obj["data"] == "Histo"
    assert obj["attr"] == {"id": obj["id"], "type": ONTOLOGY}
    assert (obj["isFolder"], obj["key"], obj["hideCheckbox"], obj["state"]) == (
        True,
        obj["id"],
        True,
        "open",
    )
    assert obj["projects"] == [] and obj["children"] == []
    assert isinstance(obj["created"], str) and obj["updated"] is None


async def test_children_are_the_nested_term_tree(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    auth = as_user(alice)
    oid = (await _ontology(client, auth))["id"]
    root = await _term(client, auth, oid, "Tumour")
    child_b = await _term(client, auth, oid, "b-cell")
    child_a = await _term(client, auth, oid, "a-cell")
    await _term(client, auth, oid, "Stroma")
    await _link(client, auth, root, child_b)
    await _link(client, auth, root, child_a)
    tree = (await client.get(f"/api/ontology/{oid}.json", auth=auth)).json()["children"]
    assert [n["name"] for n in tree] == ["Stroma", "Tumour"]
    tumour = tree[1]
    assert [n["id"] for n in tumour["children"]] == [child_a, child_b]
    assert (tumour["isFolder"], tumour["hideCheckbox"], tumour["parent"]) == (True, True, None)
    leaf = tumour["children"][0]
    assert leaf == {
        "name": "a-cell",
        "id": child_a,
        "title": "a-cell",
        "data": "a-cell",
        "color": "#AA0000",
        "class": TERM,
        "parent": root,
        "attr": {"id": child_a, "type": TERM},
        "checked": False,
        "key": child_a,
        "children": [],
        "isFolder": False,
        "hideCheckbox": False,
    }


async def test_projects_lists_the_projects_using_it(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, db: asyncpg.Connection
) -> None:
    oid = (await _ontology(client, as_user(alice)))["id"]
    pid = await _project(db, oid)
    await db.execute(
        "INSERT INTO project_member (project_id, user_id) VALUES ($1, $2)", pid, alice.id
    )
    obj = (await client.get(f"/api/ontology/{oid}.json", auth=as_user(alice))).json()
    assert [(p["id"], p["name"], p["ontology"]) for p in obj["projects"]] == [(pid, "P", oid)]
    assert obj["projects"][0]["class"] == "be.cytomine.domain.project.Project"


async def test_list_shows_full_objects_in_the_list_envelope(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    await _ontology(client, as_user(alice), "A")
    await _ontology(client, as_user(alice), "B")
    body = (await client.get("/api/ontology.json?max=1", auth=as_user(alice))).json()
    assert (body["size"], body["totalPages"], body["perPage"]) == (2, 2, 1)
    assert body["collection"][0]["name"] == "B" and "children" in body["collection"][0]


@pytest.mark.parametrize("path", ["/api/ontology.json", "/api/ontology_light.json"])
async def test_light_list_has_only_id_and_name(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, path: str
) -> None:
    obj = await _ontology(client, as_user(alice))
    body = (await client.get(f"{path}?light=true", auth=as_user(alice))).json()
    assert body["collection"] == [{"id": obj["id"], "name": "Histo"}]


async def test_update_renames_and_keeps_the_owner(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, admin: NewAccount
) -> None:
    obj = await _ontology(client, as_user(alice))
    r = await client.put(
        f"/api/ontology/{obj['id']}.json",
        json={**obj, "name": "Cyto", "user": admin.id, "class_": ONTOLOGY},
        auth=as_user(admin),
    )
    assert_status(r, 200)
    updated = r.json()["ontology"]
    assert (updated["name"], updated["user"]) == ("Cyto", alice.id)
    assert updated["updated"] is not None
    assert r.json()["message"] == "Ontology Cyto edited"


async def test_duplicate_name_is_a_conflict_on_create(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    await _ontology(client, as_user(alice))
    r = await client.post("/api/ontology.json", json={"name": "Histo"}, auth=as_user(alice))
    assert_status(r, 409)
    assert "already exist" in r.json()["errors"]["message"]


async def test_duplicate_name_is_a_conflict_on_update(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    await _ontology(client, as_user(alice), "A")
    other = await _ontology(client, as_user(alice), "B")
    r = await client.put(
        f"/api/ontology/{other['id']}.json", json={"name": "A"}, auth=as_user(alice)
    )
    assert_status(r, 409)


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "  "}, {"name": None}])
async def test_create_without_a_name_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, body: dict[str, Any]
) -> None:
    r = await client.post("/api/ontology.json", json=body, auth=as_user(alice))
    assert_status(r, 400)


async def test_update_with_an_empty_name_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    obj = await _ontology(client, as_user(alice))
    r = await client.put(f"/api/ontology/{obj['id']}.json", json={"name": ""}, auth=as_user(alice))
    assert_status(r, 400)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_unknown_ontology_is_404(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, method: str
) -> None:
    kwargs = {"json": {"name": "x"}} if method == "PUT" else {}
    r = await client.request(method, "/api/ontology/999999.json", auth=as_user(alice), **kwargs)
    assert_status(r, 404)
    assert r.json()["errors"]["message"] == "Ontology not found with filters : {id=999999}"


async def test_delete_removes_the_ontology_and_its_terms(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, db: asyncpg.Connection
) -> None:
    auth = as_user(alice)
    oid = (await _ontology(client, auth))["id"]
    await _term(client, auth, oid, "T")
    r = await client.delete(f"/api/ontology/{oid}.json", auth=auth)
    assert_status(r, 200)
    assert r.json()["ontology"]["id"] == oid
    assert r.json()["message"] == "Ontology Histo deleted"
    assert await db.fetchval("SELECT count(*) FROM term WHERE ontology_id = $1", oid) == 0
    assert (await client.get(f"/api/ontology/{oid}.json", auth=auth)).status_code == 404


async def test_delete_of_an_ontology_used_by_a_project_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, db: asyncpg.Connection
) -> None:
    oid = (await _ontology(client, as_user(alice)))["id"]
    await _project(db, oid)
    r = await client.delete(f"/api/ontology/{oid}.json", auth=as_user(alice))
    assert_status(r, 400)
    assert "linked with project" in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM ontology WHERE id = $1", oid) == 1


async def test_users_are_the_members_of_projects_using_it(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    db: asyncpg.Connection,
) -> None:
    oid = (await _ontology(client, as_user(alice)))["id"]
    pid = await _project(db, oid)
    await db.execute(
        "INSERT INTO project_member (project_id, user_id) VALUES ($1, $2)", pid, bob.id
    )
    body = (await client.get(f"/api/ontology/{oid}/user.json", auth=as_user(alice))).json()
    assert [u["username"] for u in body["collection"]] == ["bob"]
    assert body["collection"][0]["class"] == "be.cytomine.domain.security.User"


async def test_tree_and_export_follow_the_terms(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    auth = as_user(alice)
    oid = (await _ontology(client, auth))["id"]
    root, child = await _term(client, auth, oid, "R"), await _term(client, auth, oid, "C")
    await _link(client, auth, root, child)
    tree = (await client.get(f"/api/ontology/{oid}/tree.json", auth=auth)).json()
    assert [(n["id"], [c["id"] for c in n["children"]]) for n in tree] == [(root, [child])]
    export = (await client.get(f"/api/ontology/{oid}/export", auth=auth)).json()
    assert export == {
        "name": "Histo",
        "terms": [
            {"name": "R", "color": "#AA0000", "parent": None},
            {"name": "C", "color": "#AA0000", "parent": "R"},
        ],
    }
