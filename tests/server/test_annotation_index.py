"""Annotation index of a slice, and the user annotation extras (light list, counts, repeat)."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

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


async def add_slices(db: asyncpg.Connection, world: World, count: int) -> list[int]:
    """More slices (z = 1..count) on the world's image; their ids in z order."""
    abstract = await db.fetchval(
        "SELECT base_image_id FROM image_instance WHERE id = $1", world.image
    )
    made = []
    for z in range(1, count + 1):
        base = await db.fetchval(
            "INSERT INTO abstract_slice (image_id, z_stack) VALUES ($1, $2) RETURNING id",
            abstract,
            z,
        )
        made.append(
            await db.fetchval(
                "INSERT INTO slice_instance (project_id, base_slice_id, image_id)"
                " VALUES ($1, $2, $3) RETURNING id",
                world.project,
                base,
                world.image,
            )
        )
    return made


async def test_index_counts_drawn_and_validated_annotations_per_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1))
    await create(client, bob, world.image, sq(30, 30))
    await create(client, alice, world.image, sq(60, 60))
    await client.post(f"/api/imageinstance/{world.image}/review.json", auth=auth(alice))
    await client.post(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    r = await client.get(f"/api/sliceinstance/{world.slice}/annotationindex.json", auth=auth(bob))
    assert_status(r, 200)
    assert r.json()["collection"] == [
        {
            "user": alice.id,
            "slice": world.slice,
            "countAnnotation": 1,
            "countReviewedAnnotation": 1,
        },
        {"user": bob.id, "slice": world.slice, "countAnnotation": 2, "countReviewedAnnotation": 0},
    ]


async def test_index_of_missing_or_unreadable_slice_is_refused(
    client: AsyncTestClient, db: asyncpg.Connection, world: World
) -> None:
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get(f"/api/sliceinstance/{world.slice}/annotationindex.json", auth=auth(carol))
    assert_status(r, 403)
    r = await client.get("/api/sliceinstance/999999/annotationindex.json", auth=auth(carol))
    assert_status(r, 404)


async def test_light_listing_is_for_admins_only(
    client: AsyncTestClient, admin: NewAccount, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await client.post(
        "/api/algoannotation.json",
        json={"location": sq(5, 5), "image": world.image},
        auth=auth(alice),
    )
    r = await client.get("/api/userannotation.json", auth=auth(admin))
    assert_status(r, 200)
    got = r.json()["collection"]
    assert [(a["id"], a["user"], a["image"]) for a in got] == [(made["id"], alice.id, world.image)]
    assert (await client.get("/api/userannotation.json", auth=auth(alice))).status_code == 403


async def test_counts_by_project_and_by_user(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    await create(client, alice, world.image, sq(1, 1))
    await create(client, bob, world.image, sq(30, 30))
    url = f"/api/project/{world.project}/userannotation/count.json"
    assert (await client.get(url, auth=auth(bob))).json() == {"total": 2}
    r = await client.get(url, params={"startDate": "9999999999999"}, auth=auth(bob))
    assert r.json() == {"total": 0}
    url = f"/api/user/{alice.id}/userannotation/count.json"
    assert (await client.get(url, auth=auth(bob))).json() == {"total": 1}
    r = await client.get(url, params={"project": world.project}, auth=auth(bob))
    assert r.json() == {"total": 1}
    assert (await client.get(url, params={"project": "x"}, auth=auth(bob))).status_code == 400
    missing = "/api/user/999999/userannotation/count.json"
    assert (await client.get(missing, auth=auth(bob))).status_code == 404
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    assert (await client.get(url, auth=auth(carol))).json() == {"total": 0}
    r = await client.get(
        f"/api/project/{world.project}/userannotation/count.json", auth=auth(carol)
    )
    assert_status(r, 403)


async def test_repeat_copies_an_annotation_onto_the_next_slices(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    slices = await add_slices(db, world, 3)
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    url = f"/api/userannotation/{made['id']}/repeat.json"
    r = await client.post(url, json={"repeat": 2, "slice": slices[0]}, auth=auth(alice))
    assert r.status_code == 200, r.text
    copies = r.json()["collection"]
    assert [a["slice"] for a in copies] == slices[:2]
    assert all(a["term"] == [world.terms[0]] and a["location"] == made["location"] for a in copies)


@pytest.mark.parametrize(("body", "status"), [({"repeat": 0}, 400), ({"slice": 999999}, 404)])
async def test_repeat_refuses_bad_input(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    body: dict[str, int],
    status: int,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    r = await client.post(
        f"/api/userannotation/{made['id']}/repeat.json", json=body, auth=auth(alice)
    )
    assert r.status_code == status
    assert await db.fetchval("SELECT count(*) FROM annotation") == 1


async def test_guest_cannot_repeat(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    guest: NewAccount,
    world: World,
) -> None:
    await add_slices(db, world, 1)
    await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    made = await create(client, alice, world.image, sq(1, 1))
    r = await client.post(
        f"/api/userannotation/{made['id']}/repeat.json", json={}, auth=auth(guest)
    )
    assert_status(r, 403)
