"""Geometry helpers of the generic annotation service: simplify, fill and included."""

from __future__ import annotations

import math

import asyncpg
import pytest
import shapely
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

HOLED = "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 60 40, 60 60, 40 60, 40 40))"


def circle(points: int, radius: float = 200, x: float = 400, y: float = 400) -> str:
    ring = [
        (
            x + radius * math.cos(2 * math.pi * i / points),
            y + radius * math.sin(2 * math.pi * i / points),
        )
        for i in range(points)
    ]
    return shapely.Polygon(ring).wkt


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.mark.parametrize("method", ["PUT", "POST"])
async def test_simplify_returns_a_wkt_within_the_point_budget(
    client: AsyncTestClient, alice: NewAccount, method: str
) -> None:
    r = await client.request(
        method,
        "/api/simplify.json",
        params={"minPoint": 10, "maxPoint": 50},
        json={"wkt": circle(1000)},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    points = shapely.get_num_coordinates(shapely.from_wkt(r.json()["wkt"]))
    assert 10 <= points <= 50


async def test_simplify_without_wkt_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.put("/api/simplify.json", json={}, auth=auth(alice))
    assert_status(r, 400)


async def test_simplify_of_an_annotation_stores_the_simpler_location(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, square(0, 0))
    # Stored as drawn (creation would already simplify it).
    await db.execute(
        "UPDATE annotation SET location = st_geomfromtext($2, 0) WHERE id = $1",
        made["id"],
        circle(500),
    )
    url = f"/api/annotation/{made['id']}/simplify.json"
    r = await client.put(url, params={"minPoint": 5, "maxPoint": 20}, auth=auth(alice))
    assert r.status_code == 200, r.text
    stored = await client.get(f"/api/annotation/{made['id']}.json", auth=auth(alice))
    assert shapely.get_num_coordinates(shapely.from_wkt(stored.json()["location"])) <= 20


async def test_fill_removes_the_holes_of_the_annotation(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, HOLED)
    r = await client.post(f"/api/annotation/{made['id']}/fill.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    filled = shapely.from_wkt(r.json()["userannotation"]["location"])
    assert (len(filled.interiors), filled.area) == (0, 10000)


async def test_fill_is_refused_to_readers_who_cannot_edit(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, HOLED)
    r = await client.post(f"/api/annotation/{made['id']}/fill.json", auth=auth(guest))
    assert_status(r, 403)


async def test_included_lists_the_users_annotations_meeting_the_geometry(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    inside = await create(client, alice, world.image, square(10, 10))
    await create(client, alice, world.image, square(500, 500))
    await create(client, bob, world.image, square(20, 20))
    r = await client.get(
        f"/api/imageinstance/{world.image}/annotation/included.json",
        params={"geometry": square(0, 0, 100), "user": alice.id},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert [a["id"] for a in r.json()["collection"]] == [inside["id"]]


async def test_included_in_an_annotation_excludes_that_annotation(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    area = await create(client, alice, world.image, square(0, 0, 200))
    inside = await create(client, alice, world.image, square(10, 10))
    r = await client.get(
        f"/api/imageinstance/{world.image}/annotation/included.json",
        params={"annotation": area["id"], "user": alice.id},
        auth=auth(alice),
    )
    assert [a["id"] for a in r.json()["collection"]] == [inside["id"]]


async def correct(
    client: AsyncTestClient, who: NewAccount, world: World, **body: object
) -> dict[str, object]:
    r = await client.post(
        "/api/annotationcorrection.json",
        json={"image": world.image, "layers": [who.id], **body},
        auth=auth(who),
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_correction_merges_the_shape_and_the_annotations_it_meets(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    first = await create(client, alice, world.image, square(0, 0, 100))
    second = await create(client, alice, world.image, square(200, 0, 100))
    bridge = "POLYGON ((50 20, 250 20, 250 60, 50 60, 50 20))"
    found = await correct(client, alice, world, location=bridge)
    merged = shapely.from_wkt(found["userannotation"]["location"])  # type: ignore[index]
    assert merged.area == pytest.approx(100 * 100 * 2 + 100 * 40)
    gone = await client.get(f"/api/annotation/{second['id']}.json", auth=auth(alice))
    assert (found["userannotation"]["id"], gone.status_code) == (first["id"], 404)  # type: ignore[index]


async def test_correction_with_remove_cuts_the_shape_out(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    await create(client, alice, world.image, square(0, 0, 100))
    found = await correct(client, alice, world, location=square(50, 0, 100), remove=True)
    cut = shapely.from_wkt(found["userannotation"]["location"])  # type: ignore[index]
    assert cut.area == pytest.approx(50 * 100)


async def test_correction_meeting_nothing_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.post(
        "/api/annotationcorrection.json",
        json={"image": world.image, "layers": [alice.id], "location": square(500, 500)},
        auth=auth(alice),
    )
    assert_status(r, 400)


async def test_fill_answers_the_annotation_under_the_key_the_js_client_reads(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, HOLED)
    r = await client.post(f"/api/annotation/{made['id']}/fill.json", auth=auth(alice))
    found = r.json()
    assert found["annotation"] == found["userannotation"]
    assert found["annotation"]["id"] == made["id"]


async def test_correction_answers_the_annotation_under_the_key_the_js_client_reads(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    first = await create(client, alice, world.image, square(0, 0, 100))
    found = await correct(client, alice, world, location=square(50, 0, 100))
    assert found["annotation"] == found["userannotation"]
    assert found["annotation"]["id"] == first["id"]  # type: ignore[index]
