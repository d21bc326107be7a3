"""Annotation listing and search, bulk creation, and the plan of the viewer's bbox query."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db import annotation_list_sql as listing_sql
from server.db.store.accounts import NewAccount, create_account
from server.db.store.annotation_listing import arguments, shape
from server.http.annotation_query import parse_query
from server.principal import Principal
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_image, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def grid(client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World) -> World:
    """Nine squares on a 100-px grid: alice's carry term 0 on the diagonal, bob's have none."""
    for i in range(3):
        for j in range(3):
            who = alice if i == j else bob
            terms = [world.terms[0]] if i == j else []
            await create(client, who, world.image, sq(100 * i + 5, 100 * j + 5), term=terms)
    return world


async def listing(client: AsyncTestClient, who: NewAccount, **params: Any) -> dict[str, Any]:
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    assert_status(r, 200)
    return r.json()  # type: ignore[no-any-return]


def corners(found: dict[str, Any]) -> set[tuple[int, int]]:
    """Lower-left corners of the squares of a listing (needs showWKT)."""
    out = set()
    for item in found["collection"]:
        first = item["location"].split("((")[1].split(",")[0].split()
        out.add((int(float(first[0])), int(float(first[1]))))
    return out


@pytest.mark.parametrize(
    "bbox",
    ["0,0,150,150", "POLYGON ((0 0, 150 0, 150 150, 0 150, 0 0))"],
)
async def test_bbox_keeps_the_annotations_meeting_the_window(
    client: AsyncTestClient, alice: NewAccount, grid: World, bbox: str
) -> None:
    found = await listing(client, alice, image=grid.image, bbox=bbox, showWKT="true", max=0)
    assert corners(found) == {(5, 5), (5, 105), (105, 5), (105, 105)}
    assert found["size"] == 4


async def test_bbox_polygon_is_exact_not_just_its_envelope(
    client: AsyncTestClient, alice: NewAccount, grid: World
) -> None:
    triangle = "POLYGON ((0 0, 250 0, 0 250, 0 0))"
    found = await listing(client, alice, image=grid.image, bbox=triangle, showWKT=True)
    assert corners(found) == {(5, 5), (5, 105), (105, 5), (205, 5), (5, 205), (105, 105)}


async def test_term_and_no_term_filters(
    client: AsyncTestClient, alice: NewAccount, grid: World
) -> None:
    tagged = await listing(client, alice, project=grid.project, term=grid.terms[0])
    untagged = await listing(client, alice, project=grid.project, noTerm="true")
    assert (tagged["size"], untagged["size"]) == (3, 6)
    assert all(item["term"] == [grid.terms[0]] for item in tagged["collection"])


async def test_user_filter_and_default_groups(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, grid: World
) -> None:
    found = await listing(client, alice, image=grid.image, users=f"{bob.id}")
    assert found["size"] == 6
    assert {item["user"] for item in found["collection"]} == {bob.id}
    assert "location" not in found["collection"][0]
    assert {"id", "class", "created", "term", "cropURL"} <= set(found["collection"][0])


async def test_show_flags_pick_the_groups(
    client: AsyncTestClient, alice: NewAccount, grid: World
) -> None:
    found = await listing(client, alice, image=grid.image, showBasic="True", showGIS="True")
    assert set(found["collection"][0]) == {
        "id",
        "class",
        "area",
        "areaUnit",
        "perimeter",
        "perimeterUnit",
        "centroid",
    }


async def test_pages_are_stable_and_newest_first(
    client: AsyncTestClient, alice: NewAccount, grid: World
) -> None:
    pages = [await listing(client, alice, image=grid.image, max=4, offset=o) for o in (0, 4, 8)]
    ids = [item["id"] for p in pages for item in p["collection"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 9
    assert [p["perPage"] for p in pages] == [4, 4, 1]
    assert pages[0]["totalPages"] == 3


async def test_a_page_longer_than_one_run_of_items_is_whole_and_in_order(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    # PostgreSQL sends a page in runs of 50 items: 123 items make three runs, joined here.
    items = [{"location": sq(i % 60 * 15, i // 60 * 15), "image": world.image} for i in range(123)]
    r = await client.post("/api/annotation.json", json=items, auth=auth(alice))
    assert r.json()["status"] == 200, r.text
    whole = await listing(client, alice, image=world.image, bbox="0,0,1000,800", showWKT="true")
    ids = [item["id"] for item in whole["collection"]]
    assert len(ids) == len(set(ids)) == 123 and ids == sorted(ids, reverse=True)
    assert (whole["size"], whole["perPage"], whole["totalPages"]) == (123, 123, 1)
    tail = await listing(client, alice, image=world.image, max=60, offset=60)
    assert [item["id"] for item in tail["collection"]] == ids[60:120]
    assert (tail["size"], tail["perPage"], tail["totalPages"]) == (123, 60, 3)
    past = await listing(client, alice, image=world.image, bbox="0,0,1000,800", offset=200)
    assert (past["collection"], past["size"], past["perPage"]) == ([], 123, 0)
    keyset = await listing(client, alice, image=world.image, max=100, afterId=ids[0])
    assert [item["id"] for item in keyset["collection"]] == ids[1:101]
    assert keyset["size"] == keyset["perPage"] == 100


async def test_the_centroid_follows_the_location(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, "POLYGON ((0 0, 30 0, 30 10, 0 10, 0 0))")
    await db.execute(
        "UPDATE annotation SET location = 'POLYGON ((100 100, 110 100, 110 140, 100 140, 100 100))'"
        " WHERE id = $1",
        made["id"],
    )
    found = await listing(client, alice, image=world.image, bbox="0,0,200,200", showGIS="true")
    assert [item["centroid"] for item in found["collection"]] == [{"x": 105.0, "y": 120.0}]


async def test_listed_members_follow_an_update_and_the_servers_base_url(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    """The listing's dates, ids and measures are those of the annotation's own route after an
    update, and its URLs take the image server's base URL of the moment, escaped."""
    made = await create(client, alice, world.image, sq(1, 1))
    body = {**made, "class_": made["class"], "location": sq(100, 100, 20)}
    r = await client.put(f"/api/annotation/{made['id']}.json", json=body, auth=auth(alice))
    assert_status(r, 200)
    shown = (await client.get(f"/api/annotation/{made['id']}.json", auth=auth(alice))).json()
    params = {"image": world.image, "bbox": "0,0,200,200", "showDefault": "true", "showGIS": "true"}
    [item] = (await listing(client, alice, **params))["collection"]
    same = ("created", "updated", "image", "slice", "project", "user", "area", "perimeter")
    assert {k: item[k] for k in (*same, "areaUnit", "perimeterUnit")} == {
        **{k: shown[k] for k in same},
        "areaUnit": "pixels²",
        "perimeterUnit": "pixels",
    }
    assert (item["area"], item["updated"] is not None) == (400.0, True)
    # A quote in the base URL is escaped once, by the statement, and still decodes back.
    await db.execute("""UPDATE image_server SET url = 'https://tiles.example.org/a"b'""")
    [item] = (await listing(client, alice, **params))["collection"]
    base = 'https://tiles.example.org/a"b'
    assert (item["cropURL"], item["imageURL"]) == (
        f"{base}/api/userannotation/{made['id']}/crop.png",
        f"{base}/#/project/{world.project}/image/{world.image}",
    )


async def test_search_takes_a_json_body_as_the_js_client_sends_it(
    client: AsyncTestClient, alice: NewAccount, grid: World
) -> None:
    body = {
        "image": grid.image,
        "bbox": "0,0,150,150",
        "showWKT": True,
        "terms": str(grid.terms[0]),
    }
    r = await client.post("/api/annotation/search.json", json=body, auth=auth(alice))
    assert_status(r, 200)
    assert corners(r.json()) == {(5, 5), (105, 105)}


async def test_outsider_lists_nothing(
    client: AsyncTestClient, db: asyncpg.Connection, grid: World
) -> None:
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    assert (await listing(client, carol))["size"] == 0
    # Naming a foreign image is refused, as reading it is (Cytomine checks the container).
    r = await client.get("/api/annotation.json", params={"image": grid.image}, auth=auth(carol))
    assert_status(r, 403)


async def test_bad_bbox_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.get(
        "/api/annotation.json", params={"image": world.image, "bbox": "5,5,1"}, auth=auth(alice)
    )
    assert_status(r, 400)


async def test_bulk_array_creates_every_item(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    items = [
        {"location": sq(10 * i, 10), "image": world.image, "term": [world.terms[1]]}
        for i in range(30)
    ]
    r = await client.post("/api/annotation.json", json=items, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["status"] == 200
    assert await db.fetchval("SELECT count(*) FROM annotation") == 30
    assert (
        await db.fetchval("SELECT count(*) FROM annotation_term WHERE image_id = $1", world.image)
        == 30
    )
    assert (
        await db.fetchval("SELECT count_annotations FROM project WHERE id = $1", world.project)
        == 30
    )


async def test_bulk_array_with_one_bad_item_leaves_no_rows(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    items: list[Any] = [{"location": sq(10 * i, 10), "image": world.image} for i in range(5)]
    items[3]["location"] = "POLYGON ((0 0, 1"
    r = await client.post("/api/annotation.json", json=items, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["status"] == 400
    assert [e["index"] for e in r.json()["data"]["errors"]] == [3]
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0


async def test_empty_bulk_array_is_accepted(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.post("/api/annotation.json", json=[], auth=auth(alice))
    assert (r.status_code, r.json()["status"]) == (200, 200)


@pytest.mark.parametrize("plan_mode", ["force_custom_plan", "force_generic_plan"])
@pytest.mark.parametrize(
    "extra", [{}, {"showWKT": "true", "showGIS": "true", "term": "1"}, {"tracks": "1"}]
)
async def test_bbox_query_uses_the_image_location_gist_index(
    db: asyncpg.Connection, alice: NewAccount, world: World, plan_mode: str, extra: dict[str, str]
) -> None:
    other, other_slice = await make_image(db, world.project, alice.id)
    await db.execute(
        "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
        " SELECT $1, $2, $3, $4, ST_Buffer(ST_MakePoint(g % 1000, g / 100), 3)"
        " FROM generate_series(1, 20000) AS g",
        other,
        other_slice,
        world.project,
        alice.id,
    )
    await db.execute("ANALYZE annotation")
    await db.execute(f"SET plan_cache_mode = {plan_mode}")
    me = Principal(id=alice.id, username=alice.username, rank=2)
    query = parse_query({"image": str(other), "bbox": "0,0,50,50", **extra})
    statement, values = arguments(me, query)
    assert shape(query) is listing_sql.ANNOTATION_LIST_BBOX_VIEWER
    plan = await db.fetch("EXPLAIN " + statement, *values)
    text = "\n".join(row[0] for row in plan)
    assert "annotation_image_location_idx" in text, text


async def test_listing_a_project_the_caller_cannot_read_is_forbidden(
    client: AsyncTestClient, db: asyncpg.Connection, world: World
) -> None:
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get(
        "/api/annotation.json", params={"project": world.project}, auth=auth(carol)
    )
    assert_status(r, 403)
