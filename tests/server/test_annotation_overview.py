"""Overview cells kept current by each writing statement, and the clustered (kmeans) listing."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.db.store.annotation_overview import kmeans_threshold
from spatial import grid
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, logged, make_image, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def bulk(db: asyncpg.Connection, world: World, user: int, n: int, x: float = 100) -> None:
    """``n`` 10-px squares in a column at ``x`` (one statement, like a bulk import)."""
    await db.execute(
        logged(
            "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
            " SELECT $1, $2, $3, $4,"
            " st_makeenvelope($5::float8, g % 700, $5::float8 + 10, g % 700 + 10, 0)"
            " FROM generate_series(1, $6) AS g"
        ),
        world.image,
        world.slice,
        world.project,
        user,
        x,
        n,
    )


async def overview(
    client: AsyncTestClient, who: NewAccount, world: World, **params: Any
) -> dict[str, Any]:
    url = f"/api/imageinstance/{world.image}/annotation/overview.json"
    r = await client.get(url, params=params, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def by_cell(found: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    return {(c["x"], c["y"]): c for c in found["cells"]}


@pytest.fixture
async def big(db: asyncpg.Connection, alice: NewAccount, world: World) -> World:
    """A 4096 x 3000 image in the world's project (1024-px cells at full resolution)."""
    image, slice_ = await make_image(db, world.project, alice.id, width=4096, height=3000)
    return msgspec.structs.replace(world, image=image, slice=slice_)


async def test_overview_counts_annotations_per_cell_and_term(
    client: AsyncTestClient, alice: NewAccount, big: World
) -> None:
    top = 3000 - 20
    await create(client, alice, big.image, square(10, top), term=[big.terms[0]])
    await create(client, alice, big.image, square(1100, top), term=big.terms)
    await create(client, alice, big.image, square(1100, 10))
    found = await overview(client, alice, big, zoom=4)  # full resolution: 1024-px cells
    assert (found["level"], found["cellSize"], found["count"]) == (10, 1024, 3)
    cells = by_cell(found)
    assert cells[(0, 0)]["count"] == 1
    assert cells[(0, 0)]["terms"] == {str(big.terms[0]): 1}
    assert cells[(1, 0)]["terms"] == {str(t): 1 for t in big.terms}
    assert cells[(1, 2)]["bbox"] == [1024, 0, 2048, 3000 - 2048]
    assert cells[(1, 2)]["centroid"] == {"x": 1105.0, "y": 15.0}


async def test_overview_follows_moves_term_changes_and_deletes(
    client: AsyncTestClient, alice: NewAccount, big: World
) -> None:
    moved = await create(client, alice, big.image, square(10, 10), term=[big.terms[0]])
    gone = await create(client, alice, big.image, square(20, 20), term=[big.terms[1]])
    body = {**moved, "location": square(2100, 2980), "term": [big.terms[1]]}
    r = await client.put(f"/api/annotation/{moved['id']}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.delete(f"/api/annotation/{gone['id']}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    found = await overview(client, alice, big, zoom=4)
    assert {xy: c["terms"] for xy, c in by_cell(found).items()} == {(2, 0): {str(big.terms[1]): 1}}


async def test_overview_filters_by_author_and_term(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    await bulk(db, world, alice.id, 30)
    await bulk(db, world, bob.id, 12)
    await create(client, bob, world.image, square(500, 500), term=[world.terms[0]])
    assert (await overview(client, alice, world, users=str(bob.id)))["count"] == 13
    assert (await overview(client, alice, world, terms=str(world.terms[0])))["count"] == 1


async def test_overview_bbox_keeps_the_cells_meeting_it(
    client: AsyncTestClient, alice: NewAccount, big: World
) -> None:
    await create(client, alice, big.image, square(10, 10))
    await create(client, alice, big.image, square(3000, 2900))
    found = await overview(client, alice, big, zoom=4, bbox="0,0,100,100")
    assert [c["count"] for c in found["cells"]] == [1]


async def test_overview_is_refused_to_non_members(
    client: AsyncTestClient, guest: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/overview.json"
    r = await client.get(url, auth=auth(guest))
    assert_status(r, 403)


async def test_overview_of_an_unknown_image_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get("/api/imageinstance/0/annotation/overview.json", auth=auth(alice))
    assert_status(r, 404)


@pytest.mark.parametrize(
    ("width", "expected"), [(1000, 2000), (800, 10000), (500, 100000), (300, None)]
)
def test_kmeans_threshold_follows_cytomines_rules(width: int, expected: int | None) -> None:
    assert kmeans_threshold(width, 1000) == expected


def test_tile_cluster_cells_nest_in_the_tile() -> None:
    # 100k px image: zoom 3 is tier 6, tiles of 16384 px, cells of 1024 px (16 per side).
    cells = grid.tile_window(3, 1, 2, 100_000, 100_000)
    assert (cells.level, cells.cx0, cells.cx1, cells.cy0, cells.cy1) == (10, 16, 31, 32, 47)


async def search(client: AsyncTestClient, who: NewAccount, body: dict[str, Any]) -> dict[str, Any]:
    r = await client.post("/api/annotation/search.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_kmeans_listing_clusters_a_big_layer_seen_whole(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await bulk(db, world, alice.id, 1500, x=100)
    await bulk(db, world, alice.id, 1000, x=800)
    body = {"image": world.image, "kmeans": True, "bbox": "0,0,1000,800", "showWKT": True}
    found = await search(client, alice, body)
    rows = found["collection"]
    assert sum(row["count"] for row in rows) == 2500
    assert set(rows[0]) == {"id", "location", "term", "count", "ratio"}
    assert max(row["ratio"] for row in rows) == 1.0
    assert found["size"] == len(rows) <= 5


@pytest.mark.parametrize("bbox", ["0,0,1000,800", "0,0,300,300"])
async def test_kmeans_listing_lists_annotations_of_small_layers_or_narrow_windows(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World, bbox: str
) -> None:
    await bulk(db, world, alice.id, 2500 if bbox != "0,0,1000,800" else 100)
    found = await search(client, alice, {"image": world.image, "kmeans": True, "bbox": bbox})
    assert "userByTerm" in found["collection"][0]


async def test_kmeans_listing_needs_a_bbox(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.post(
        "/api/annotation/search.json",
        json={"image": world.image, "kmeans": True},
        auth=auth(alice),
    )
    assert_status(r, 400)
