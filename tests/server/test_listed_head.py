"""The row's fields of the listing item kept on the annotation row (``annotation.listed_head``,
migration 0050): every writer leaves it set (a generated column), it follows the row's
changes, and the viewer listing gives the same bytes with it as without it."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

VIEWER = {"showDefault": "true", "showWKT": "true", "showGIS": "true", "showTerm": "true"}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _listing(client: AsyncTestClient, who: NewAccount, world: World, **extra: Any) -> bytes:
    params = {"image": world.image, "bbox": "0,0,1000,1000", **VIEWER, **extra}
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.content


async def _without_head(db: asyncpg.Connection) -> None:
    """Leave every row without its kept head (it is NULL when the term group is not kept)."""
    await db.execute("UPDATE annotation SET terms_listed = NULL")
    assert await db.fetchval("SELECT count(listed_head) FROM annotation") == 0


async def test_every_kind_of_write_leaves_the_head_kept(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=world.terms)
    many = [{"location": sq(20 + i, 20), "image": world.image} for i in range(3)]
    r = await client.post("/api/annotation.json", json=many, auth=auth(alice))
    assert r.status_code == 200, r.text
    body = {"location": sq(60, 60), "image": world.image, "term": world.terms[:1]}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/imageinstance/{world.image}/review.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/annotation/{made['id']}/review.json", json={}, auth=auth(alice))
    assert r.status_code == 200, r.text
    rows = await db.fetch("SELECT kind, listed_head FROM annotation ORDER BY id")
    assert {row["kind"] for row in rows} == {"user", "algo", "reviewed"}
    assert [row["kind"] for row in rows if row["listed_head"] is None] == []


async def test_the_listing_is_the_same_with_the_head_kept_or_computed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await create(client, alice, world.image, sq(1, 1), term=world.terms)
    made = await create(client, alice, world.image, sq(30, 1))
    r = await client.post(
        f"/api/userannotation/{made['id']}/comment.json",
        json={"comment": "seen"},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    kinds = ({}, {"showGIS": "false"}, {"showDefault": "false"}, {"showTerm": "false"})
    before = [await _listing(client, alice, world, **kind) for kind in kinds]
    items = msgspec.json.decode(before[0])["collection"]
    assert {"created", "area", "centroid", "userByTerm", "cropURL", "location"} <= set(items[0])
    assert [item["nbComments"] for item in items] == [1, 0]  # newest first
    await _without_head(db)
    assert [await _listing(client, alice, world, **kind) for kind in kinds] == before


async def test_a_moved_annotation_lists_its_new_place(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1, 10))
    moved = {**made, "location": sq(100, 100, 20)}
    r = await client.put(f"/api/annotation/{made['id']}.json", json=moved, auth=auth(alice))
    assert r.status_code == 200, r.text
    (item,) = msgspec.json.decode(await _listing(client, alice, world))["collection"]
    assert item["centroid"] == {"x": 110, "y": 110}
    assert item["area"] == 400
    assert item["updated"] is not None
    assert await db.fetchval("SELECT listed_head FROM annotation") is not None


async def test_a_unit_json_must_escape_is_listed_escaped(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await db.execute("UPDATE annotation SET area_unit = $1 WHERE id = $2", 'µm"\n', made["id"])
    assert await db.fetchval("SELECT listed_head FROM annotation") is None
    (item,) = msgspec.json.decode(await _listing(client, alice, world))["collection"]
    assert item["areaUnit"] == 'µm"\n'
