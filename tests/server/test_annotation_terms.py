"""Term links of annotations: list, read, link, unlink, replace, and who may do it."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def link_url(annotation: int, term: int, suffix: str = "") -> str:
    return f"/api/annotation/{annotation}/term/{term}{suffix}.json"


async def test_linking_a_term_answers_the_link_in_its_envelope(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1))
    body = {"userannotation": made["id"], "term": world.terms[0]}
    r = await client.post(link_url(made["id"], world.terms[0]), json=body, auth=auth(bob))
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["annotationterm"], c.AnnotationTerm)
    assert (obj.userannotation, obj.term, obj.user) == (made["id"], world.terms[0], bob.id)
    assert r.json()["callback"]["method"] == "be.cytomine.AddAnnotationTermCommand"
    got = await client.get(f"/api/annotation/{made['id']}.json", auth=auth(bob))
    assert got.json()["term"] == [world.terms[0]]


async def test_linking_twice_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    r = await client.post(link_url(made["id"], world.terms[0]), auth=auth(alice))
    assert_status(r, 409)


@pytest.mark.parametrize(("term", "status"), [(999999, 404), (None, 400)])
async def test_unknown_or_foreign_terms_are_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    term: int | None,
    status: int,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    if term is None:
        other = await db.fetchval(
            "INSERT INTO ontology (name, user_id) VALUES ('other', $1) RETURNING id", alice.id
        )
        term = await db.fetchval(
            "INSERT INTO term (name, ontology_id, color) VALUES ('x', $1, '#000') RETURNING id",
            other,
        )
    r = await client.post(link_url(made["id"], term), auth=auth(alice))
    assert r.status_code == status
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 0


async def test_links_are_listed_per_user_and_except_a_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    await client.post(link_url(made["id"], world.terms[1]), auth=auth(bob))
    base = f"/api/annotation/{made['id']}"
    every = (await client.get(f"{base}/term.json", auth=auth(alice))).json()
    assert sorted((t["term"], t["user"]) for t in every["collection"]) == [
        (world.terms[0], alice.id),
        (world.terms[1], bob.id),
    ]
    r = await client.get(f"{base}/term.json", params={"idUser": bob.id}, auth=auth(alice))
    assert [t["term"] for t in r.json()["collection"]] == [world.terms[1]]
    r = await client.get(f"{base}/notuser/{bob.id}/term.json", auth=auth(alice))
    assert [t["user"] for t in r.json()["collection"]] == [alice.id]
    legacy = f"/api/userannotation/{made['id']}/user/{alice.id}/term.json"
    assert (await client.get(legacy, auth=auth(alice))).json()["size"] == 1


async def test_one_link_is_read_by_term_and_by_term_and_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    r = await client.get(link_url(made["id"], world.terms[0]), auth=auth(bob))
    assert r.json()["user"] == alice.id
    url = link_url(made["id"], world.terms[0], f"/user/{bob.id}")
    assert (await client.get(url, auth=auth(bob))).status_code == 404
    url = link_url(made["id"], world.terms[0], f"/user/{alice.id}")
    assert (await client.get(url, auth=auth(bob))).status_code == 200


async def test_unlinking_removes_the_callers_link_and_answers_it(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    r = await client.delete(link_url(made["id"], world.terms[0]), auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["annotationterm"]["term"] == world.terms[0]
    got = await client.get(f"/api/annotation/{made['id']}.json", auth=auth(alice))
    assert got.json()["term"] == []
    again = await client.delete(link_url(made["id"], world.terms[0]), auth=auth(alice))
    assert_status(again, 404)


async def test_unlinking_another_users_link_by_its_user_route(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1), term=[world.terms[0]])
    url = link_url(made["id"], world.terms[0], f"/user/{bob.id}")
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["annotationterm"]["user"] == bob.id


@pytest.mark.parametrize(("for_all", "left"), [("false", 2), ("true", 1)])
async def test_clear_before_replaces_the_callers_or_everybodys_links(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
    for_all: str,
    left: int,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    await client.post(link_url(made["id"], world.terms[0]), auth=auth(bob))
    url = link_url(made["id"], world.terms[1], "/clearBefore")
    r = await client.post(url, params={"clearForAll": for_all}, auth=auth(alice))
    assert r.status_code == 200, r.text
    links = await client.get(f"/api/annotation/{made['id']}/term.json", auth=auth(alice))
    assert links.json()["size"] == left
    assert (world.terms[1], alice.id) in {
        (t["term"], t["user"]) for t in links.json()["collection"]
    }


async def test_algo_annotation_terms_are_listed_as_algo_annotation_terms(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(1, 1), "image": world.image, "term": [world.terms[0]]}
    made = (await client.post("/api/algoannotation.json", json=body, auth=auth(alice))).json()
    r = await client.get(
        f"/api/annotation/{made['algoannotation']['id']}/term.json", auth=auth(alice)
    )
    item = msgspec.convert(r.json()["collection"][0], c.AlgoAnnotationTerm)
    assert item.class_ == "be.cytomine.domain.ontology.AlgoAnnotationTerm"
    assert (item.term, item.user, item.project, item.rate) == (
        world.terms[0],
        alice.id,
        world.project,
        1.0,
    )
    r = await client.post(link_url(made["algoannotation"]["id"], world.terms[1]), auth=auth(alice))
    assert_status(r, 404)


async def test_guest_reads_links_but_cannot_link(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    r = await client.get(f"/api/annotation/{made['id']}/term.json", auth=auth(guest))
    assert_status(r, 200)
    assert (
        await client.post(link_url(made["id"], world.terms[1]), auth=auth(guest))
    ).status_code == 403
    assert (
        await client.delete(link_url(made["id"], world.terms[0]), auth=auth(guest))
    ).status_code == 403


async def test_outsider_cannot_read_links(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get(f"/api/annotation/{made['id']}/term.json", auth=auth(carol))
    assert_status(r, 403)


async def test_contributor_cannot_link_on_others_annotations_in_restricted_projects(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await db.execute("UPDATE project SET is_restricted = true WHERE id = $1", world.project)
    r = await client.post(link_url(made["id"], world.terms[0]), auth=auth(bob))
    assert_status(r, 403)


async def test_missing_annotation_is_not_found(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.get("/api/annotation/999999/term.json", auth=auth(alice))
    assert_status(r, 404)
    r = await client.post(link_url(999999, world.terms[0]), auth=auth(alice))
    assert_status(r, 404)
