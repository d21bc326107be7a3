"""Terms: CRUD, color and name rules, duplicates, the derived parent, term lists."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _ontology(client: AsyncTestClient, auth: Any, name: str = "Histo") -> int:
    r = await client.post("/api/ontology.json", json={"name": name}, auth=auth)
    assert r.status_code == 200, r.text
    return int(r.json()["ontology"]["id"])


async def _term(
    client: AsyncTestClient, auth: Any, ontology: int, name: str = "Tumour"
) -> dict[str, Any]:
    body = {"name": name, "color": "#00FF7f", "ontology": ontology, "comment": "c"}
    r = await client.post("/api/term.json", json=body, auth=auth)
    assert r.status_code == 200, r.text
    return r.json()["term"]


@pytest.fixture
async def ontology(client: AsyncTestClient, as_user: Any, alice: NewAccount) -> int:
    return await _ontology(client, as_user(alice))


async def test_create_answers_the_envelope_with_the_ontology_callback(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    body = {"name": "Tumour", "color": "#00FF7f", "ontology": ontology, "class": None, "id": None}
    r = await client.post("/api/term.json", json=body, auth=as_user(alice))
    assert_status(r, 200)
    env = r.json()
    term = env["term"]
    assert term["class"] == "be.cytomine.domain.ontology.Term"
    assert (term["name"], term["color"], term["ontology"], term["parent"]) == (
        "Tumour",
        "#00FF7f",
        ontology,
        None,
    )
    assert env["callback"] == {
        "method": "be.cytomine.AddTermCommand",
        "termID": str(term["id"]),
        "ontologyID": str(ontology),
    }
    assert isinstance(env["command"], int)


async def test_get_shows_the_parent_from_the_parent_relation(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    auth = as_user(alice)
    parent, child = await _term(client, auth, ontology, "P"), await _term(client, auth, ontology)
    body = {"term1": parent["id"], "term2": child["id"]}
    await client.post("/api/relation/parent/term.json", json=body, auth=auth)
    r = await client.get(f"/api/term/{child['id']}.json", auth=auth)
    assert_status(r, 200)
    assert r.json()["parent"] == parent["id"]


@pytest.mark.parametrize("color", ["red", "#12345", "#GGGGGG", "00FF00", "#00FF00 ", None])
async def test_create_with_a_bad_color_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int, color: str | None
) -> None:
    body = {"name": "T", "color": color, "ontology": ontology}
    r = await client.post("/api/term.json", json=body, auth=as_user(alice))
    assert_status(r, 400)
    assert "color" in r.json()["errors"]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"color": "#000000"},
        {"name": " ", "color": "#000000"},
        {"name": "T", "color": "#000000", "ontology": None},
        {"name": "T", "color": "#000000", "ontology": 999999},
        {"name": "T", "color": "#000000", "ontology": "abc"},
    ],
    ids=["no-name", "blank-name", "no-ontology", "unknown-ontology", "bad-ontology-id"],
)
async def test_create_with_bad_fields_is_refused(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    ontology: int,
    body: dict[str, Any],
) -> None:
    body = {"ontology": ontology, **body}
    r = await client.post("/api/term.json", json=body, auth=as_user(alice))
    assert_status(r, 400)


async def test_duplicate_name_in_one_ontology_is_a_conflict(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    await _term(client, as_user(alice), ontology)
    body = {"name": "Tumour", "color": "#000000", "ontology": ontology}
    r = await client.post("/api/term.json", json=body, auth=as_user(alice))
    assert_status(r, 409)


async def test_same_name_in_another_ontology_is_allowed(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    other = await _ontology(client, as_user(alice), "Other")
    await _term(client, as_user(alice), ontology)
    assert (await _term(client, as_user(alice), other))["ontology"] == other


async def test_update_changes_name_and_color_and_keeps_the_rest(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    term = await _term(client, as_user(alice), ontology)
    body = {**term, "name": "Necrosis", "color": "#101010", "comment": None}
    r = await client.put(f"/api/term/{term['id']}.json", json=body, auth=as_user(alice))
    assert_status(r, 200)
    updated = r.json()["term"]
    assert (updated["name"], updated["color"], updated["comment"]) == ("Necrosis", "#101010", "c")
    assert r.json()["message"] == "Term Necrosis edited"


@pytest.mark.parametrize(
    ("change", "status"),
    [({"color": "blue"}, 400), ({"name": ""}, 400), ({"name": "Other"}, 409)],
)
async def test_update_with_bad_or_duplicate_values_is_refused(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    ontology: int,
    change: dict[str, Any],
    status: int,
) -> None:
    await _term(client, as_user(alice), ontology, "Other")
    term = await _term(client, as_user(alice), ontology)
    r = await client.put(f"/api/term/{term['id']}.json", json=change, auth=as_user(alice))
    assert r.status_code == status


async def test_a_term_cannot_move_to_another_ontology(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    other = await _ontology(client, as_user(alice), "Other")
    term = await _term(client, as_user(alice), ontology)
    body = {"ontology": other}
    r = await client.put(f"/api/term/{term['id']}.json", json=body, auth=as_user(alice))
    assert_status(r, 400)


async def test_delete_removes_the_term_and_its_links(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int, db: asyncpg.Connection
) -> None:
    auth = as_user(alice)
    parent, child = await _term(client, auth, ontology, "P"), await _term(client, auth, ontology)
    body = {"term1": parent["id"], "term2": child["id"]}
    await client.post("/api/relation/parent/term.json", json=body, auth=auth)
    r = await client.delete(f"/api/term/{parent['id']}.json", auth=auth)
    assert_status(r, 200)
    assert r.json()["term"]["id"] == parent["id"]
    assert await db.fetchval("SELECT count(*) FROM relation_term") == 0
    assert (await client.get(f"/api/term/{child['id']}.json", auth=auth)).json()["parent"] is None


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_unknown_term_is_404(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, method: str
) -> None:
    kwargs = {"json": {"name": "x"}} if method == "PUT" else {}
    r = await client.request(method, "/api/term/999999.json", auth=as_user(alice), **kwargs)
    assert_status(r, 404)
    assert r.json()["errors"]["message"] == "Term not found with filters : {id=999999}"


async def test_term_list_shows_only_terms_of_readable_ontologies(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, bob: NewAccount, ontology: int
) -> None:
    await _term(client, as_user(alice), ontology, "Mine")
    theirs = await _ontology(client, as_user(bob), "Theirs")
    await _term(client, as_user(bob), theirs, "Theirs")
    body = (await client.get("/api/term.json", auth=as_user(alice))).json()
    assert [t["name"] for t in body["collection"]] == ["Mine"]
    assert body["size"] == 1


async def test_ontology_term_list_has_the_terms_of_that_ontology(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int
) -> None:
    other = await _ontology(client, as_user(alice), "Other")
    await _term(client, as_user(alice), ontology, "A")
    await _term(client, as_user(alice), ontology, "B")
    await _term(client, as_user(alice), other, "C")
    r = await client.get(
        f"/api/ontology/{ontology}/term.json?sort=name&order=asc", auth=as_user(alice)
    )
    assert [t["name"] for t in r.json()["collection"]] == ["A", "B"]


async def test_project_term_list_has_the_terms_of_its_ontology(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, ontology: int, db: asyncpg.Connection
) -> None:
    await _term(client, as_user(alice), ontology, "A")
    pid = await db.fetchval(
        "INSERT INTO project (name, ontology_id) VALUES ('P', $1) RETURNING id", ontology
    )
    await db.execute(
        "INSERT INTO project_member (project_id, user_id) VALUES ($1, $2)", pid, alice.id
    )
    r = await client.get(f"/api/project/{pid}/term.json", auth=as_user(alice))
    assert [t["name"] for t in r.json()["collection"]] == ["A"]


async def test_project_without_ontology_has_no_terms(
    client: AsyncTestClient, as_user: Any, admin: NewAccount, db: asyncpg.Connection
) -> None:
    pid = await db.fetchval("INSERT INTO project (name) VALUES ('P') RETURNING id")
    r = await client.get(f"/api/project/{pid}/term.json", auth=as_user(admin))
    assert r.status_code == 200 and r.json()["size"] == 0


@pytest.mark.parametrize(
    "path", ["/api/ontology/999999/term.json", "/api/project/999999/term.json"]
)
async def test_term_list_of_an_unknown_parent_is_404(
    client: AsyncTestClient, as_user: Any, admin: NewAccount, path: str
) -> None:
    assert (await client.get(path, auth=as_user(admin))).status_code == 404
