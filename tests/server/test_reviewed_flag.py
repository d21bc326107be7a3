"""The reviewed flag kept on each user and algo annotation (``annotation.reviewed``, migration
0052): true exactly while its reviewed copy exists, whichever writer made or removed the copy,
and what the listing and the annotation's GET say."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db import queries
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, logged, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

MIGRATION = (
    Path(__file__).parents[2] / "server" / "db" / "migrations" / "0052_annotation_reviewed.sql"
)
WRONG_FLAGS = """
    SELECT a.id FROM annotation AS a
    WHERE a.reviewed IS DISTINCT FROM (
        a.kind <> 'reviewed'
        AND EXISTS (SELECT 1 FROM annotation AS r WHERE r.parent_id = a.id AND r.kind = 'reviewed')
    )
"""


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    made = await make_world(client, db, alice, bob)
    r = await client.post(f"/api/imageinstance/{made.image}/review.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return made


async def _flags(
    client: AsyncTestClient, db: asyncpg.Connection, who: NewAccount, world: World
) -> dict[int, bool]:
    """Each user annotation's flag as the listing and its GET say; and none is wrong on a row."""
    assert [r["id"] for r in await db.fetch(WRONG_FLAGS)] == []
    params = {"image": world.image, "showMeta": "true"}
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    listed = {a["id"]: a for a in r.json()["collection"]}
    for ident, item in listed.items():
        got = (await client.get(f"/api/annotation/{ident}.json", auth=auth(who))).json()
        assert got["reviewed"] == item["reviewed"]
        assert item["countReviewedAnnotations"] == int(item["reviewed"])
    return {ident: item["reviewed"] for ident, item in listed.items()}


async def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_flag_follows_each_way_a_copy_comes_and_goes(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    one, two, three = [
        (await create(client, bob, world.image, sq(x, x), term=[world.terms[0]]))["id"]
        for x in (1, 30, 60)
    ]
    assert await _flags(client, db, alice, world) == {one: False, two: False, three: False}

    # One annotation reviewed, then its copy deleted through its own route.
    copy = await _ok(
        await client.post(f"/api/annotation/{one}/review.json", json={}, auth=auth(alice))
    )
    assert await _flags(client, db, alice, world) == {one: True, two: False, three: False}
    url = f"/api/reviewedannotation/{copy['reviewedannotation']['id']}.json"
    await _ok(await client.delete(url, auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {one: False, two: False, three: False}

    # A copy made directly, then removed by unreview.
    body = {"location": sq(30, 30), "image": world.image, "parentIdent": two}
    await _ok(await client.post("/api/reviewedannotation.json", json=body, auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {one: False, two: True, three: False}
    await _ok(await client.delete(f"/api/annotation/{two}/review.json", auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {one: False, two: False, three: False}

    # The whole layer reviewed, then unreviewed.
    layer = f"/api/imageinstance/{world.image}/annotation/review.json"
    await _ok(await client.post(layer, params={"users": str(bob.id)}, auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {one: True, two: True, three: True}
    await _ok(await client.delete(layer, params={"users": str(bob.id)}, auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {one: False, two: False, three: False}

    # A reviewed annotation deleted and put back: its copy outlived it, and the flag says so.
    await _ok(await client.post(f"/api/annotation/{three}/review.json", json={}, auth=auth(alice)))
    await _ok(await client.delete(f"/api/annotation/{three}.json", auth=auth(bob)))
    assert set(await _flags(client, db, alice, world)) == {one, two}
    await _ok(await client.get("/api/command/undo.json", auth=auth(bob)))
    assert await _flags(client, db, alice, world) == {one: False, two: False, three: True}

    # A bulk delete of the annotations, then the image with the copies.
    await _ok(await client.post(f"/api/annotation/{one}/review.json", json={}, auth=auth(alice)))
    body = {"project": world.project, "images": [world.image], "users": [bob.id]}
    await _ok(await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(alice)))
    assert await _flags(client, db, alice, world) == {}
    await _ok(await client.delete(f"/api/imageinstance/{world.image}.json", auth=auth(alice)))
    assert [r["id"] for r in await db.fetch(WRONG_FLAGS)] == []
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0


async def test_an_algo_annotation_is_flagged_by_its_copy(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(80, 80), "image": world.image}
    algo = await _ok(await client.post("/api/algoannotation.json", json=body, auth=auth(alice)))
    ident = algo["algoannotation"]["id"]
    await _ok(await client.post(f"/api/annotation/{ident}/review.json", json={}, auth=auth(alice)))
    got = await _ok(await client.get(f"/api/algoannotation/{ident}.json", auth=auth(alice)))
    assert got["reviewed"] is True
    params = {"image": world.image, "includeAlgo": "true", "showMeta": "true"}
    r = await client.get("/api/annotation.json", params=params, auth=auth(alice))
    assert [(a["id"], a["reviewed"]) for a in r.json()["collection"]] == [(ident, True)]
    assert [r["id"] for r in await db.fetch(WRONG_FLAGS)] == []


async def test_the_upgrade_flags_the_annotations_already_reviewed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = [(await create(client, alice, world.image, sq(x, x)))["id"] for x in (1, 30)]
    await _ok(
        await client.post(f"/api/annotation/{made[0]}/review.json", json={}, auth=auth(alice))
    )
    await db.execute("UPDATE annotation SET reviewed = false")
    backfill = MIGRATION.read_text().split(";\n", 1)[1].split("-- The signature")[0]
    await db.execute(backfill)
    flagged = await db.fetch("SELECT id FROM annotation WHERE reviewed ORDER BY id")
    assert [r["id"] for r in flagged] == [made[0]]


async def test_the_writers_function_takes_the_parents_and_nothing_else_is_left(
    db: asyncpg.Connection,
) -> None:
    """A writer still passing rows without their parents fails instead of leaving a flag."""
    signatures = await db.fetch(
        "SELECT pg_get_function_identity_arguments(oid) AS args FROM pg_proc"
        " WHERE proname = 'annotation_rows_written'"
    )
    assert [s["args"] for s in signatures] == [
        "ids bigint[], project_ids bigint[], image_ids bigint[], user_ids bigint[], kinds text[],"
        " parent_ids bigint[], xs double precision[], ys double precision[], delta integer"
    ]


async def test_one_statement_deleting_an_annotation_and_its_copy(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = [(await create(client, alice, world.image, sq(x, x)))["id"] for x in (1, 30)]
    for ident in made:
        url = f"/api/annotation/{ident}/review.json"
        await _ok(await client.post(url, json={}, auth=auth(alice)))
    # The first annotation and both copies go in one statement: the second keeps no flag.
    gone = await db.fetch(
        logged("DELETE FROM annotation WHERE id = $1 OR kind = 'reviewed'", -1), made[0]
    )
    assert len(gone) == 3
    rows = await db.fetch("SELECT id, reviewed FROM annotation ORDER BY id")
    assert [(r["id"], r["reviewed"]) for r in rows] == [(made[1], False)]


RESTORED = """
    SELECT id, created::text, image_id, slice_id, project_id, user_id, st_asbinary(location),
        area, area_unit, perimeter, perimeter_unit, geometry_compression
    FROM annotation WHERE id = $1
"""


async def _deleted_after_review(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> tuple[list[Any], int]:
    """An annotation reviewed, then deleted (its copy stays): the undo statement's arguments
    that put it back, and its copy's id."""
    ident = (await create(client, alice, world.image, sq(5, 5)))["id"]
    url = f"/api/annotation/{ident}/review.json"
    copy = (await _ok(await client.post(url, json={}, auth=auth(alice))))["reviewedannotation"]
    restore = list(await db.fetchrow(RESTORED, ident))
    await _ok(await client.delete(f"/api/annotation/{ident}.json", auth=auth(alice)))
    return restore, copy["id"]


async def _blocked(task: asyncio.Task[Any]) -> bool:
    """Whether a statement sent on another session is still waiting after a moment."""
    await asyncio.sleep(0.3)
    return not task.done()


@pytest.mark.parametrize("first", ["undo", "copy delete"])
async def test_undo_of_a_delete_and_the_delete_of_its_copy_at_once(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    world: World,
    first: str,
) -> None:
    """The undo reads the copy locked: whichever of the two writes comes first, the other waits
    for its commit, and the flag ends false with the copy gone."""
    restore, copy = await _deleted_after_review(client, db, alice, world)
    undo = await asyncpg.connect(database_url)
    unreview = await asyncpg.connect(database_url)
    try:
        async with (undo if first == "undo" else unreview).transaction():
            if first == "undo":
                await undo.execute("SET TIME ZONE 'UTC'")
                await undo.fetch(queries.ANNOTATION_UNDO_INSERT, *restore)
                later = asyncio.ensure_future(unreview.fetch(queries.ANNOTATION_DELETE, copy))
            else:
                assert await unreview.fetch(queries.ANNOTATION_DELETE, copy)
                later = asyncio.ensure_future(undo.fetch(queries.ANNOTATION_UNDO_INSERT, *restore))
            assert await _blocked(later), f"the {first} did not hold the other write"
        await later
    finally:
        await undo.close()
        await unreview.close()
    rows = await db.fetch("SELECT id, reviewed FROM annotation ORDER BY id")
    assert [(r["id"], r["reviewed"]) for r in rows] == [(restore[0], False)]
    assert [r["id"] for r in await db.fetch(WRONG_FLAGS)] == []
