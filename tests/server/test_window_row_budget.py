"""The row budget of a listing window (``LAMINA_WINDOW_ROW_BUDGET``).

A clustered listing (``kmeans=true`` over an image + bbox, what the web viewer sends) whose
window the overview cells say holds more user annotations than the budget is answered with
Cytomine's k-means rows from the aggregates, without reading the window's annotations; every
other listing is answered row by row as before.

The image is 1000 x 800 with annotations on a uniform 40 x 32 grid (one every 25 px), so a
window of w x h pixels holds about w * h / 625 of them; the budget is 100. Windows stay under
half the image's width, where Cytomine's own rules never cluster.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from server.db.store.annotation_listing import list_annotations
from server.http.annotation_query import parse_query
from server.principal import Principal
from server.settings import Settings, load_settings
from tests.server.annotation_helpers import World, logged, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

BUDGET = 100
UNDER = "0,0,250,200"  # 10 x 8 grid points: 80 annotations
OVER = "0,0,400,300"  # 16 x 12 grid points: 192 annotations
CLUSTER_KEYS = {"id", "location", "term", "count", "ratio"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, runner=False, window_row_budget=BUDGET
    )


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def spread(db: asyncpg.Connection, world: World, user: int, shift: float = 0) -> None:
    """1280 6-px squares on a 25-px grid over the whole image (one statement, as an import)."""
    await db.execute(
        logged(
            "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
            " SELECT $1, $2, $3, $4, st_makeenvelope(x, y, x + 6, y + 6, 0)"
            " FROM generate_series(0, 1279) AS g,"
            " LATERAL (SELECT (g % 40) * 25 + 5 + $5::float8 AS x, (g / 40) * 25 + 5 + $5 AS y)"
            " AS p"
        ),
        world.image,
        world.slice,
        world.project,
        user,
        shift,
    )


async def search(client: AsyncTestClient, who: NewAccount, **body: Any) -> dict[str, Any]:
    r = await client.post("/api/annotation/search.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def viewer(world: World, bbox: str, **more: Any) -> dict[str, Any]:
    """The web viewer's request for one layer of the image."""
    shown = {"showWKT": True, "showTerm": True, "showGIS": True, "showTrack": True}
    return {"image": world.image, "bbox": bbox, "kmeans": True, **shown, **more}


def clustered(rows: list[dict[str, Any]]) -> bool:
    return bool(rows) and set(rows[0]) == CLUSTER_KEYS


async def test_a_window_under_the_budget_is_listed_row_by_row(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await spread(db, world, alice.id)
    found = await search(client, alice, **viewer(world, UNDER))
    assert found["size"] == len(found["collection"]) == 80
    assert {"location", "userByTerm", "area"} <= set(found["collection"][0])


async def test_a_window_over_the_budget_is_answered_with_clusters(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await spread(db, world, alice.id)
    found = await search(client, alice, **viewer(world, OVER, user=alice.id))
    rows = found["collection"]
    assert clustered(rows)
    assert found["size"] == len(rows) <= 5
    # The clusters are made of the whole 1024-px cells meeting the window: the image's 1280.
    assert sum(row["count"] for row in rows) == 1280
    assert max(row["ratio"] for row in rows) == 1.0
    assert all(row["location"].startswith("POLYGON") for row in rows)


async def read_rows(db: asyncpg.Connection) -> tuple[int, int]:
    """Scans of the annotation table and rows read from it by this transaction so far."""
    row = await db.fetchrow(
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans,"
        " coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS rows"
        " FROM pg_stat_xact_user_tables WHERE relid = 'annotation'::regclass"
    )
    return (int(row["scans"]), int(row["rows"])) if row else (0, 0)


@pytest.mark.parametrize(("bbox", "listed"), [(UNDER, True), (OVER, False)])
async def test_the_clustered_answer_reads_no_annotation_of_the_window(
    db: asyncpg.Connection, alice: NewAccount, world: World, bbox: str, listed: bool
) -> None:
    await spread(db, world, alice.id)
    me = Principal(id=alice.id, username=alice.username, rank=2)
    query = parse_query(viewer(world, bbox))
    async with db.transaction():
        before = await read_rows(db)
        page = await list_annotations(db, me, query, budget=BUDGET)
        scans, rows = (a - b for a, b in zip(await read_rows(db), before, strict=True))
    assert (page.size == 80) if listed else (page.size <= 5)
    if listed:
        assert rows >= 80
    else:
        assert (scans, rows) == (0, 0)


@pytest.mark.parametrize(
    "more",
    [
        {"kmeans": False},  # the caller does not take clusters
        {"max": BUDGET, "offset": 0},  # a page no longer than the budget
        {"noTag": True},  # a filter the aggregates do not hold
        {"afterThan": 0},
        {"notReviewedOnly": True},
    ],
    ids=["no-kmeans", "short-page", "no-tag", "after-than", "not-reviewed-only"],
)
async def test_other_listings_of_a_dense_window_stay_exact(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    more: dict[str, Any],
) -> None:
    await spread(db, world, alice.id)
    found = await search(client, alice, **viewer(world, OVER, **more))
    assert not clustered(found["collection"])
    assert found["size"] == 192
    assert len(found["collection"]) == (BUDGET if "max" in more else 192)


async def test_no_budget_lists_every_row(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await spread(db, world, alice.id)
    me = Principal(id=alice.id, username=alice.username, rank=2)
    page = await list_annotations(db, me, parse_query(viewer(world, OVER)), budget=0)
    assert page.size == 192


@pytest.fixture
async def hidden(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> int:
    """Carol (a contributor) fills the image; the project then hides users' layers from Bob."""
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.post(f"/api/project/{world.project}/user/{carol.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    await spread(db, world, carol.id)
    await db.execute("UPDATE project SET hide_users_layers = true WHERE id = $1", world.project)
    return carol.id


@pytest.fixture
async def few(db: asyncpg.Connection, world: World, bob: NewAccount) -> None:
    """Bob's own layer: 40 annotations near the image's bottom-left corner."""
    await spread(db, world, bob.id, shift=2)
    await db.execute(
        logged(
            "DELETE FROM annotation WHERE user_id = $1 AND id NOT IN"
            " (SELECT id FROM annotation WHERE user_id = $1 ORDER BY id LIMIT 40)",
            -1,
        ),
        bob.id,
    )


@pytest.mark.usefixtures("hidden", "few")
async def test_hidden_layers_do_not_count_towards_the_budget(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    # Carol's dense layer is hidden from Bob: his window (his own few annotations) is under
    # the budget and listed, without hers; the manager sees both, past the budget.
    seen = await search(client, bob, **viewer(world, OVER, showMeta=True))
    assert not clustered(seen["collection"])
    assert {row["user"] for row in seen["collection"]} == {bob.id}
    manager = await search(client, alice, **viewer(world, OVER))
    assert clustered(manager["collection"])
    assert sum(row["count"] for row in manager["collection"]) == 1280 + 40


async def test_clusters_leave_out_hidden_layers(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
    hidden: int,
) -> None:
    await spread(db, world, alice.id, shift=2)
    counts = {}
    for who in (alice, bob):
        rows = (await search(client, who, **viewer(world, OVER)))["collection"]
        assert clustered(rows)
        counts[who.username] = sum(row["count"] for row in rows)
    assert counts == {"alice": 2560, "bob": 1280}
    # Asking for the hidden layer by name gives Bob nothing, not its clusters.
    rows = (await search(client, bob, **viewer(world, OVER, user=hidden)))["collection"]
    assert rows == []


def test_the_budget_has_a_published_default_and_reads_from_the_environment() -> None:
    assert load_settings({}).window_row_budget == 1000
    assert load_settings({"LAMINA_WINDOW_ROW_BUDGET": "250"}).window_row_budget == 250
    assert load_settings({"LAMINA_WINDOW_ROW_BUDGET": "0"}).window_row_budget == 0


@pytest.mark.parametrize("value", ["-1", "lots", "1.5", ""])
def test_a_bad_budget_stops_the_server_at_start_up(value: str) -> None:
    with pytest.raises(SystemExit, match="window_row_budget"):
        load_settings({"LAMINA_WINDOW_ROW_BUDGET": value})
