"""Overview aggregates maintained off the write path: logged changes, flushed on read and by a
background pass within the published bound, by any number of sessions at once."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import msgspec
import pytest
import shapely
from litestar.testing import AsyncTestClient

from server.db.store import annotation_copy as cp
from server.db.store import annotation_overview
from server.db.store.accounts import NewAccount
from server.db.store.annotation_rows import Row
from server.settings import Settings, load_settings
from tests.server.annotation_helpers import World, logged, make_image, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth
from tests.server.test_annotation_overview import bulk

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# Seconds of one background pass on top of the interval: generous, the machine is shared.
PASS_ALLOWANCE = 5.0

# The aggregates recomputed from the annotations: every level, term 0 and each distinct term.
TRUTH = """
WITH a AS (
    SELECT a.id, a.user_id, annotation_overview_x(a.location) AS x,
        annotation_overview_y(a.location) AS y, g.width, g.height
    FROM annotation AS a
    JOIN image_instance AS i ON i.id = a.image_id
    JOIN abstract_image AS g ON g.id = i.base_image_id
    WHERE a.image_id = $1 AND a.kind = 'user'
), t AS (
    SELECT a.*, 0::bigint AS term_id FROM a
    UNION ALL
    SELECT a.*, l.term_id
    FROM a JOIN (SELECT DISTINCT annotation_id, term_id FROM annotation_term) AS l
        ON l.annotation_id = a.id
), fine AS (
    SELECT t.term_id, t.user_id, t.x, t.y,
        least(greatest(floor(t.x / 1024)::int, 0), (t.width - 1) >> 10) AS cx,
        least(greatest(floor((t.height - t.y) / 1024)::int, 0), (t.height - 1) >> 10) AS cy
    FROM t
)
SELECT l.level, f.cx >> (l.level - 10) AS cx, f.cy >> (l.level - 10) AS cy, f.term_id,
    f.user_id, count(*)::int AS count, round(sum(f.x)::numeric, 3) AS sx,
    round(sum(f.y)::numeric, 3) AS sy
FROM fine AS f CROSS JOIN unnest(annotation_overview_levels()) AS l (level)
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5
"""
STORED = """
SELECT level, cx, cy, term_id, user_id, count, round(sum_x::numeric, 3) AS sx,
    round(sum_y::numeric, 3) AS sy
FROM annotation_overview
WHERE image_id = $1 AND count <> 0
ORDER BY 1, 2, 3, 4, 5
"""


@pytest.fixture
def interval() -> float:
    """The background pass's interval: long unless a test sets it (no pass during a test)."""
    return 3600.0


@pytest.fixture
def settings(database_url: str, interval: float) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, overview_refresh_seconds=interval
    )


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def truth(db: asyncpg.Connection, image: int) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(TRUTH, image)]


async def stored(db: asyncpg.Connection, image: int) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(STORED, image)]


async def pending(db: asyncpg.Connection, image: int) -> int:
    query = "SELECT count(*) FROM annotation_overview_delta WHERE image_id = $1"
    return int(await db.fetchval(query, image))


async def test_writes_only_log_changes_and_a_read_flushes_its_image_first(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await bulk(db, world, alice.id, 30)
    assert await stored(db, world.image) == []
    assert await pending(db, world.image) > 0
    url = f"/api/imageinstance/{world.image}/annotation/overview.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 30
    assert await pending(db, world.image) == 0
    assert await stored(db, world.image) == await truth(db, world.image)


async def test_each_read_of_a_changed_image_gets_a_new_version(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/mvt/zoom/0/tx/0/ty/0.mvt"
    first = await client.get(url, auth=auth(alice))
    await bulk(db, world, alice.id, 3)
    second = await client.get(url, auth=auth(alice))
    again = await client.get(url, auth=auth(alice))
    assert first.headers["etag"] != second.headers["etag"] == again.headers["etag"]
    assert second.content != first.content


@pytest.mark.parametrize("interval", [0.3])
async def test_the_stored_aggregates_are_exact_within_the_published_bound_after_an_import(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    interval: float,
) -> None:
    # Written by a direct session, as a server stopped before its pass would leave them: the
    # pass finds them in the database.
    await bulk(db, world, alice.id, 40)
    items = [
        {"type": "Feature", "properties": {"term": [world.terms[i % 2]]},
         "geometry": msgspec.json.decode(sq_json(i * 37 % 900, i * 53 % 700))}
        for i in range(300)
    ]  # fmt: skip
    body = b"\n".join(msgspec.json.encode(f) for f in items) + b"\n"
    headers = {"content-type": "application/x-ndjson"}
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=body,
        headers=headers,
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "done"
    posted = [
        {"location": sq(500, 5 * i), "image": world.image, "term": world.terms} for i in range(20)
    ]
    r = await client.post("/api/annotation.json", json=posted, auth=auth(alice))
    assert r.status_code == 200, r.text
    await db.execute(
        logged(
            "DELETE FROM annotation WHERE id IN (SELECT id FROM annotation WHERE image_id = $1"
            " ORDER BY id LIMIT 7)",
            -1,
        ),
        world.image,
    )
    written = time.monotonic()
    expected = await truth(db, world.image)
    assert sum(row[5] for row in expected if row[0] == 16 and row[3] == 0) == 40 + 300 + 20 - 7
    while await stored(db, world.image) != expected:
        assert time.monotonic() - written < interval + PASS_ALLOWANCE, "not refreshed in time"
        await asyncio.sleep(0.05)
    assert await pending(db, world.image) == 0


def sq_json(x: float, y: float) -> bytes:
    ring = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
    return msgspec.json.encode({"type": "Polygon", "coordinates": [ring]})


async def test_concurrent_flushes_of_one_image_apply_each_change_once(
    client: AsyncTestClient,
    database_url: str,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
) -> None:
    first = await asyncpg.connect(database_url)
    second = await asyncpg.connect(database_url)
    try:
        await bulk(db, world, alice.id, 20)
        running = first.transaction()
        await running.start()
        assert await annotation_overview.flush(first, world.image, wait=True) > 0
        # A background pass skips the image while another session flushes it...
        assert await annotation_overview.flush(second, world.image, wait=False) == 0
        await bulk(db, world, alice.id, 5, x=300)
        # ...and a reader waits for that flush, then takes what committed since.
        reader = asyncio.create_task(annotation_overview.flush(second, world.image, wait=True))
        await asyncio.sleep(0.3)
        assert not reader.done()
        await running.commit()
        assert await reader > 0
        assert await annotation_overview.flush(second, world.image, wait=True) == 0
        assert await stored(db, world.image) == await truth(db, world.image)
        total = "SELECT count FROM annotation_overview WHERE image_id = $1 AND level = 16"
        assert await db.fetchval(total + " AND term_id = 0", world.image) == 25
    finally:
        await first.close()
        await second.close()


async def test_changes_of_a_deleted_image_are_dropped_by_the_next_pass(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await bulk(db, world, alice.id, 10)
    # Deleting the image cascades to its annotations: their removal logs nothing (the image
    # is gone), and what the earlier insert logged can no longer be applied.
    await db.execute("DELETE FROM image_instance WHERE id = $1", world.image)
    assert await pending(db, world.image) > 0
    assert await annotation_overview.flush_pending(db) == 0
    assert await pending(db, world.image) == 0


async def test_bulk_writers_log_the_same_changes_as_the_statements(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    # Centres on cell edges (x = 1024; y = 3000 - 1024), on the image border and between:
    # the array POST (binary COPY, changes computed while encoding) must place each one
    # where the SQL of the other writers (annotation_overview_apply) does.
    image, _ = await make_image(db, world.project, alice.id, width=4096, height=3000)
    spots = [(1019, 10), (1018.5, 1971), (0, 0), (4090, 2995), (2043.75, 1970.5)]
    spots += [(37.1 * i % 4000, 29.3 * i % 2900) for i in range(100)]
    body = [
        {"location": sq(x, y), "image": image, "term": world.terms[: i % 3]}
        for i, (x, y) in enumerate(spots)
    ]
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["success"], r.text
    await annotation_overview.flush(db, image, wait=True)
    expected = await truth(db, image)
    assert sum(row[5] for row in expected if row[0] == 16 and row[3] == 0) == len(spots)
    assert await stored(db, image) == expected


async def test_writes_after_a_bulk_copy_in_its_transaction_are_logged_by_their_statements(
    db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    row = Row(image_id=world.image, slice_id=world.slice, project_id=world.project)
    row.wkb = shapely.to_wkb(shapely.Point(100, 100))
    row.terms, row.centre_x, row.centre_y = [world.terms[0]], 100.0, 100.0
    (first, link) = await cp.allocate_ids(db, 2)
    width_height = (await db.fetchrow(
        "SELECT g.width, g.height FROM image_instance AS i JOIN abstract_image AS g"
        " ON g.id = i.base_image_id WHERE i.id = $1", world.image
    ))  # fmt: skip
    assert width_height is not None
    batch = (
        cp.encode_annotations([first], [alice.id], [row], 0.0, [link]),
        cp.encode_terms([first], [alice.id], [row], [link])[0],
        cp.encode_overview([alice.id], [row], {world.image: tuple(width_height)}),
        cp.tally([row]),
        cp.parents([alice.id], [row]),
    )

    async def one() -> Any:
        yield batch

    async with db.transaction():
        await cp.count_added(db, await cp.copy_batches(db, one()))
        await bulk(db, world, alice.id, 4, x=900)
    await annotation_overview.flush(db, world.image, wait=True)
    assert await stored(db, world.image) == await truth(db, world.image)
    total = "SELECT count FROM annotation_overview WHERE image_id = $1 AND level = 16"
    assert await db.fetchval(total + " AND term_id = 0", world.image) == 5


def test_the_published_bound_is_a_setting_that_must_be_positive() -> None:
    assert load_settings({}).overview_refresh_seconds == 2.0
    assert load_settings({"LAMINA_OVERVIEW_REFRESH_SECONDS": "0.5"}).overview_refresh_seconds == 0.5
    with pytest.raises(SystemExit, match="overview_refresh_seconds"):
        load_settings({"LAMINA_OVERVIEW_REFRESH_SECONDS": "0"})
