"""Relations and relation terms: the parent relation, links, their rules and routes."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

RT = "be.cytomine.domain.ontology.RelationTerm"


async def _ontology(client: AsyncTestClient, auth: Any, name: str = "Histo") -> int:
    r = await client.post("/api/ontology.json", json={"name": name}, auth=auth)
    assert r.status_code == 200, r.text
    return int(r.json()["ontology"]["id"])


async def _term(client: AsyncTestClient, auth: Any, ontology: int, name: str) -> int:
    body = {"name": name, "color": "#123456", "ontology": ontology}
    r = await client.post("/api/term.json", json=body, auth=auth)
    assert r.status_code == 200, r.text
    return int(r.json()["term"]["id"])


@pytest.fixture
async def parent(db: asyncpg.Connection) -> int:
    return int(await db.fetchval("SELECT id FROM relation WHERE name = 'parent'"))


@pytest.fixture
async def three(client: AsyncTestClient, as_user: Any, alice: NewAccount) -> tuple[int, ...]:
    """Three terms a, b, c of one ontology owned by alice."""
    oid = await _ontology(client, as_user(alice))
    return tuple([await _term(client, as_user(alice), oid, n) for n in "abc"])


async def _link(client: AsyncTestClient, auth: Any, t1: int, t2: int, path: str = "parent") -> Any:
    return await client.post(
        f"/api/relation/{path}/term.json", json={"term1": t1, "term2": t2}, auth=auth
    )


async def test_relation_list_has_the_parent_relation(
    client: AsyncTestClient, as_user: Any, bob: NewAccount, parent: int
) -> None:
    body = (await client.get("/api/relation.json", auth=as_user(bob))).json()
    assert [(r["id"], r["name"]) for r in body["collection"]] == [(parent, "parent")]
    assert body["collection"][0]["class"] == "be.cytomine.domain.ontology.Relation"


async def test_relation_get_and_unknown_relation(
    client: AsyncTestClient, as_user: Any, bob: NewAccount, parent: int
) -> None:
    assert (await client.get(f"/api/relation/{parent}.json", auth=as_user(bob))).json()[
        "name"
    ] == "parent"
    assert (await client.get("/api/relation/999999.json", auth=as_user(bob))).status_code == 404


async def test_admin_creates_renames_and_deletes_a_relation(
    client: AsyncTestClient, as_user: Any, admin: NewAccount
) -> None:
    auth = as_user(admin)
    r = await client.post("/api/relation.json", json={"name": "synonym"}, auth=auth)
    assert_status(r, 200)
    rid = r.json()["relation"]["id"]
    r = await client.put(f"/api/relation/{rid}.json", json={"name": "alias"}, auth=auth)
    assert r.json()["relation"]["name"] == "alias"
    r = await client.delete(f"/api/relation/{rid}.json", auth=auth)
    assert r.status_code == 200 and r.json()["relation"]["id"] == rid


async def test_duplicate_relation_is_a_conflict(
    client: AsyncTestClient, as_user: Any, admin: NewAccount
) -> None:
    r = await client.post("/api/relation.json", json={"name": "parent"}, auth=as_user(admin))
    assert_status(r, 409)


async def test_users_cannot_create_relations(
    client: AsyncTestClient, as_user: Any, alice: NewAccount
) -> None:
    r = await client.post("/api/relation.json", json={"name": "x"}, auth=as_user(alice))
    assert_status(r, 403)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_the_parent_relation_cannot_be_changed(
    client: AsyncTestClient, as_user: Any, admin: NewAccount, parent: int, method: str
) -> None:
    kwargs = {"json": {"name": "x"}} if method == "PUT" else {}
    r = await client.request(method, f"/api/relation/{parent}.json", auth=as_user(admin), **kwargs)
    assert_status(r, 400)


@pytest.mark.parametrize("path", ["parent", "{parent}"])
async def test_link_makes_term2_a_child_of_term1(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    three: tuple[int, ...],
    parent: int,
    path: str,
) -> None:
    a, b, _ = three
    r = await _link(client, as_user(alice), a, b, path.format(parent=parent))
    assert_status(r, 200)
    env = r.json()
    link = env["relationterm"]
    assert (link["class"], link["relation"], link["term1"], link["term2"]) == (RT, parent, a, b)
    assert env["callback"]["relationtermID"] == str(link["id"])
    assert isinstance(env["command"], int)


async def test_link_with_an_explicit_relation_uses_it(
    client: AsyncTestClient,
    as_user: Any,
    admin: NewAccount,
    alice: NewAccount,
    three: tuple[int, ...],
    parent: int,
) -> None:
    other = await client.post("/api/relation.json", json={"name": "syn"}, auth=as_user(admin))
    rid = other.json()["relation"]["id"]
    a, b, _ = three
    body = {"term1": a, "term2": b, "relation": rid}
    r = await client.post(f"/api/relation/{parent}/term.json", json=body, auth=as_user(alice))
    assert r.json()["relationterm"]["relation"] == rid


@pytest.mark.parametrize("prefix", ["parent", "{parent}"])
async def test_link_is_read_and_deleted_by_its_terms(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    three: tuple[int, ...],
    parent: int,
    prefix: str,
) -> None:
    a, b, _ = three
    auth = as_user(alice)
    link = (await _link(client, auth, a, b)).json()["relationterm"]
    url = f"/api/relation/{prefix.format(parent=parent)}/term1/{a}/term2/{b}.json"
    assert (await client.get(url, auth=auth)).json() == link
    r = await client.delete(url, auth=auth)
    assert r.status_code == 200 and r.json()["relationterm"] == link
    assert (await client.get(url, auth=auth)).status_code == 404


async def test_links_are_listed_by_term_and_position(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    a, b, c = three
    auth = as_user(alice)
    await _link(client, auth, a, b)
    await _link(client, auth, b, c)

    async def pairs(url: str) -> list[tuple[int, int]]:
        body = (await client.get(url, auth=auth)).json()
        return sorted((x["term1"], x["term2"]) for x in body["collection"])

    assert await pairs(f"/api/relation/term/{b}.json") == [(a, b), (b, c)]
    assert await pairs(f"/api/relation/term/1/{b}.json") == [(b, c)]
    assert await pairs(f"/api/relation/term/2/{b}.json") == [(a, b)]


@pytest.mark.parametrize(
    "path", ["/api/relation/term/3/{a}.json", "/api/relation/term/999999.json"]
)
async def test_bad_position_or_unknown_term_is_404(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...], path: str
) -> None:
    url = path.format(a=three[0])
    assert (await client.get(url, auth=as_user(alice))).status_code == 404


async def test_duplicate_link_is_a_conflict(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    a, b, _ = three
    await _link(client, as_user(alice), a, b)
    assert (await _link(client, as_user(alice), a, b)).status_code == 409


async def test_a_term_cannot_be_its_own_parent(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    a = three[0]
    assert (await _link(client, as_user(alice), a, a)).status_code == 400


async def test_a_link_closing_a_cycle_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    a, b, c = three
    auth = as_user(alice)
    await _link(client, auth, a, b)
    await _link(client, auth, b, c)
    r = await _link(client, auth, c, a)
    assert_status(r, 400)
    assert "cycle" in r.json()["errors"]["message"]


async def test_terms_of_different_ontologies_cannot_be_linked(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    other = await _ontology(client, as_user(alice), "Other")
    foreign = await _term(client, as_user(alice), other, "x")
    r = await _link(client, as_user(alice), three[0], foreign)
    assert_status(r, 400)
    assert "same ontology" in r.json()["errors"]["message"]


@pytest.mark.parametrize(
    "body",
    [{"term1": 0}, {"term1": 999999, "term2": 0}, {"term1": "x", "term2": 0}],
    ids=["missing-term2", "unknown-term1", "bad-id"],
)
async def test_link_with_bad_terms_is_refused(
    client: AsyncTestClient,
    as_user: Any,
    alice: NewAccount,
    three: tuple[int, ...],
    body: dict[str, Any],
) -> None:
    body = {k: (three[1] if v == 0 else v) for k, v in body.items()}
    r = await client.post("/api/relation/parent/term.json", json=body, auth=as_user(alice))
    assert_status(r, 400)


async def test_link_with_an_unknown_relation_is_refused(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    body = {"term1": three[0], "term2": three[1], "relation": 999999}
    r = await client.post("/api/relation/parent/term.json", json=body, auth=as_user(alice))
    assert_status(r, 400)


async def test_reading_a_link_of_an_unknown_term_is_404(
    client: AsyncTestClient, as_user: Any, alice: NewAccount, three: tuple[int, ...]
) -> None:
    url = f"/api/relation/parent/term1/{three[0]}/term2/999999.json"
    assert (await client.get(url, auth=as_user(alice))).status_code == 404
