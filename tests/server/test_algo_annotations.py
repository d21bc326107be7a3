"""Algo (job) annotations: CRUD, the generic route, counters, counts and permissions."""

from __future__ import annotations

from typing import Any

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


async def make_algo(
    client: AsyncTestClient, who: NewAccount, world: World, location: str, **fields: Any
) -> dict[str, Any]:
    """POST one algo annotation; return it (asserts 200)."""
    body = {"location": location, "image": world.image, **fields}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()["algoannotation"]  # type: ignore[no-any-return]


async def test_created_algo_annotation_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(10, 20), "image": world.image, "term": [world.terms[0]]}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["annotation"] == got["algoannotation"]
    obj = msgspec.convert(got["algoannotation"], c.AlgoAnnotation)
    assert obj.class_ == "be.cytomine.domain.ontology.AlgoAnnotation"
    assert (obj.image, obj.slice, obj.user, obj.term) == (
        world.image,
        world.slice,
        alice.id,
        [world.terms[0]],
    )
    assert obj.crop_url is not None and obj.crop_url.endswith(
        f"/api/algoannotation/{obj.id}/crop.png"
    )
    assert got["callback"]["method"] == "be.cytomine.AddAlgoAnnotationCommand"


async def test_algo_annotation_is_read_on_its_route_and_the_generic_one(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    for url in (f"/api/algoannotation/{made['id']}.json", f"/api/annotation/{made['id']}.json"):
        r = await client.get(url, auth=auth(alice))
        assert r.status_code == 200, url
        assert r.json()["class"] == "be.cytomine.domain.ontology.AlgoAnnotation"


async def test_user_annotation_routes_do_not_serve_algo_annotations(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    r = await client.get(f"/api/userannotation/{made['id']}.json", auth=auth(alice))
    assert_status(r, 404)
    user = await create(client, alice, world.image, sq(5, 5))
    r = await client.get(f"/api/algoannotation/{user['id']}.json", auth=auth(alice))
    assert_status(r, 404)


async def test_default_annotation_listing_leaves_algo_annotations_out_of_the_items(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    await make_algo(client, alice, world, sq(1, 1))
    user = await create(client, alice, world.image, sq(5, 5))
    r = await client.get(f"/api/userannotation/{user['id']}.json", auth=auth(alice))
    assert r.json()["reviewed"] is False


async def test_update_changes_location_and_terms(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1), term=[world.terms[0]])
    body = {**made, "location": sq(2, 2, 20), "term": [world.terms[1]]}
    r = await client.put(f"/api/algoannotation/{made['id']}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()["algoannotation"]
    assert (got["area"], got["term"]) == (400.0, [world.terms[1]])


async def test_generic_route_updates_and_deletes_an_algo_annotation(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    url = f"/api/annotation/{made['id']}.json"
    r = await client.put(url, json={"location": sq(3, 3)}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["algoannotation"]["location"].startswith("POLYGON((3 3")
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["callback"]["method"] == "be.cytomine.DeleteAlgoAnnotationCommand"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_delete_answers_the_algo_annotation_as_it_was(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    r = await client.delete(f"/api/algoannotation/{made['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["algoannotation"]["id"] == made["id"]


async def test_each_kind_updates_its_own_counters(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await make_algo(client, alice, world, sq(1, 1))
    gone = await make_algo(client, alice, world, sq(30, 30))
    await create(client, alice, world.image, sq(5, 5))
    await client.delete(f"/api/algoannotation/{gone['id']}.json", auth=auth(alice))
    counts = await db.fetchrow(
        "SELECT p.count_annotations AS pu, p.count_job_annotations AS pa,"
        " i.count_annotations AS iu, i.count_job_annotations AS ia"
        " FROM project p JOIN image_instance i ON i.project_id = p.id WHERE i.id = $1",
        world.image,
    )
    assert dict(counts) == {"pu": 1, "pa": 1, "iu": 1, "ia": 1}


async def test_array_post_creates_all_or_nothing(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    good = {"location": sq(1, 1), "image": world.image}
    bad = {"location": "POLYGON((nope))", "image": world.image}
    r = await client.post("/api/algoannotation.json", json=[good, bad], auth=auth(alice))
    assert r.json()["status"] == 400
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE kind = 'algo'") == 0
    r = await client.post("/api/algoannotation.json", json=[good, good], auth=auth(alice))
    assert r.json()["status"] == 200
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE kind = 'algo'") == 2


async def test_listing_shows_algo_annotations_of_readable_projects_only(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    await create(client, alice, world.image, sq(5, 5))
    r = await client.get("/api/algoannotation.json", auth=auth(alice))
    assert_status(r, 200)
    assert [a["id"] for a in r.json()["collection"]] == [made["id"]]
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get("/api/algoannotation.json", auth=auth(carol))
    assert r.json()["size"] == 0


async def test_project_count_follows_date_bounds(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    old = await make_algo(client, alice, world, sq(1, 1))
    await make_algo(client, alice, world, sq(9, 9))
    await db.execute("UPDATE annotation SET created = '2020-01-01' WHERE id = $1", old["id"])
    url = f"/api/project/{world.project}/algoannotation/count.json"
    assert (await client.get(url, auth=auth(alice))).json() == {"total": 2}
    since_2021 = {"startDate": "1609459200000"}
    r = await client.get(url, params=since_2021, auth=auth(alice))
    assert r.json() == {"total": 1}
    r = await client.get(url, params={"endDate": "soon"}, auth=auth(alice))
    assert_status(r, 400)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"location": "POLYGON((nope))"}, 400),
        ({"location": "POINT (1 1)", "term": [999999]}, 400),
        ({"location": "POINT (1 1)", "image": 999999}, 404),
        ({"image": None, "location": "POINT (1 1)"}, 400),
    ],
)
async def test_bad_create_input_is_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    body: dict[str, Any],
    status: int,
) -> None:
    payload = {"image": world.image, **body}
    r = await client.post("/api/algoannotation.json", json=payload, auth=auth(alice))
    assert r.status_code == status, r.text
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0


async def test_guest_member_reads_but_cannot_create_or_delete(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    made = await make_algo(client, alice, world, sq(1, 1))
    url = f"/api/algoannotation/{made['id']}.json"
    assert (await client.get(url, auth=auth(guest))).status_code == 200
    body = {"location": sq(1, 1), "image": world.image}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(guest))
    assert_status(r, 403)
    assert (await client.delete(url, auth=auth(guest))).status_code == 403


async def test_outsider_cannot_read_or_count(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get(f"/api/algoannotation/{made['id']}.json", auth=auth(carol))
    assert_status(r, 403)
    url = f"/api/project/{world.project}/algoannotation/count.json"
    assert (await client.get(url, auth=auth(carol))).status_code == 403


async def test_contributor_cannot_change_others_algo_annotations_in_restricted_projects(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    made = await make_algo(client, alice, world, sq(1, 1))
    await db.execute("UPDATE project SET is_restricted = true WHERE id = $1", world.project)
    r = await client.delete(f"/api/algoannotation/{made['id']}.json", auth=auth(bob))
    assert_status(r, 403)
