"""User annotations: create, read, change, delete, geometry policy and permissions."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.annotation_helpers import HEIGHT, WIDTH, World, create, make_image, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def test_created_annotation_answers_in_cytomine_shape_under_both_keys(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(10, 20), "image": world.image, "term": [world.terms[0]]}
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["annotation"] == got["userannotation"]
    obj = msgspec.convert(got["annotation"], c.UserAnnotation)
    assert obj.class_ == "be.cytomine.domain.ontology.UserAnnotation"
    assert (obj.image, obj.slice, obj.project, obj.user) == (
        world.image,
        world.slice,
        world.project,
        alice.id,
    )
    assert obj.location == "POLYGON((10 20,20 20,20 30,10 30,10 20))"
    assert (obj.term, obj.area, obj.perimeter) == ([world.terms[0]], 100.0, 40.0)
    assert obj.crop_url is not None and obj.crop_url.endswith(
        f"/api/userannotation/{obj.id}/crop.png"
    )
    assert obj.crop_url.startswith("http")
    assert got["callback"]["method"] == "be.cytomine.AddUserAnnotationCommand"
    assert isinstance(got["command"], int)


async def test_userannotation_route_creates_and_reads_too(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": "POINT (5 5)", "image": world.image, "terms": [world.terms[1]]}
    r = await client.post("/api/userannotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    created = r.json()["userannotation"]
    r = await client.get(f"/api/userannotation/{created['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["term"] == [world.terms[1]]
    assert r.json()["centroid"] == {"x": 5.0, "y": 5.0}


async def test_area_is_in_square_microns_when_the_image_has_a_resolution(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    image, _ = await make_image(db, world.project, alice.id, resolution=0.5)
    got = await create(client, alice, image, sq(0, 0, 100))
    assert (got["area"], got["areaUnit"]) == (2500.0, "micron²")
    assert (got["perimeter"], got["perimeterUnit"]) == (0.2, "mm")


async def test_project_and_image_counters_follow_creates_and_deletes(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    first = await create(client, alice, world.image, sq(1, 1))
    await create(client, alice, world.image, sq(50, 50))
    await client.delete(f"/api/annotation/{first['id']}.json", auth=auth(alice))
    counts = await db.fetchrow(
        "SELECT p.count_annotations AS p, i.count_annotations AS i FROM project p"
        " JOIN image_instance i ON i.project_id = p.id WHERE i.id = $1",
        world.image,
    )
    assert (counts["p"], counts["i"]) == (1, 1)


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("POLYGON ((0 0, 10 0", "syntax"),
        ("POLYGON EMPTY", "empty"),
        ("POLYGON ((2000 2000, 2100 2000, 2100 2100, 2000 2000))", "outside"),
        ("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))", "type"),
    ],
)
async def test_unacceptable_location_is_refused_with_its_reason(
    client: AsyncTestClient, alice: NewAccount, world: World, location: str, reason: str
) -> None:
    body = {"location": location, "image": world.image}
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert r.status_code == 400, r.text
    assert r.json()["errorValues"]["reason"] == reason


async def test_shape_crossing_the_border_is_clipped_to_the_image(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    got = await create(client, alice, world.image, sq(WIDTH - 10, HEIGHT - 10, 20))
    assert got["area"] == 100.0


async def test_missing_image_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.post("/api/annotation.json", json={"location": sq(1, 1)}, auth=auth(alice))
    assert_status(r, 400)


async def test_term_outside_the_project_ontology_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(1, 1), "image": world.image, "term": [world.project]}
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_update_replaces_location_and_terms_and_keeps_what_is_null(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    body = {**made, "class_": made["class"], "location": sq(100, 100, 20), "term": [world.terms[1]]}
    r = await client.put(f"/api/annotation/{made['id']}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (r.json()["annotation"]["area"], r.json()["annotation"]["term"]) == (
        400.0,
        [world.terms[1]],
    )
    r = await client.put(
        f"/api/annotation/{made['id']}.json", json={"location": None}, auth=auth(alice)
    )
    assert (
        r.json()["annotation"]["location"] == "POLYGON((100 100,120 100,120 120,100 120,100 100))"
    )
    assert r.json()["annotation"]["updated"] is not None


async def test_delete_answers_the_annotation_as_it_was_and_removes_it(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    r = await client.delete(f"/api/annotation/{made['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["annotation"]["id"] == made["id"]
    r = await client.get(f"/api/annotation/{made['id']}.json", auth=auth(alice))
    assert_status(r, 404)


async def test_outsider_can_neither_read_nor_create(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    assert (
        await client.get(f"/api/annotation/{made['id']}.json", auth=auth(carol))
    ).status_code == 403
    body = {"location": sq(1, 1), "image": world.image}
    r = await client.post("/api/annotation.json", json=body, auth=auth(carol))
    assert_status(r, 403)


async def test_guest_member_reads_but_cannot_create(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    made = await create(client, alice, world.image, sq(1, 1))
    assert (
        await client.get(f"/api/annotation/{made['id']}.json", auth=auth(guest))
    ).status_code == 200
    body = {"location": sq(1, 1), "image": world.image}
    r = await client.post("/api/annotation.json", json=body, auth=auth(guest))
    assert_status(r, 403)


@pytest.mark.parametrize(("restricted", "status"), [(False, 200), (True, 403)])
async def test_contributor_changes_others_annotations_only_in_open_projects(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    restricted: bool,
    status: int,
) -> None:
    world = await make_world(client, db, alice, bob)
    await db.execute(
        "UPDATE project SET is_restricted = $2 WHERE id = $1", world.project, restricted
    )
    made = await create(client, alice, world.image, sq(1, 1))
    r = await client.delete(f"/api/annotation/{made['id']}.json", auth=auth(bob))
    assert r.status_code == status


async def test_deleting_the_image_removes_its_annotations_and_their_count(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    r = await client.delete(f"/api/imageinstance/{world.image}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 0
    count = await db.fetchval("SELECT count_annotations FROM project WHERE id = $1", world.project)
    assert count == 0
