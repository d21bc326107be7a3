"""Counting new annotations in (``annotation_count_added``): each (project, image) of a
writer's tally moves by its rows, repeated pairs add up, the other counters stay."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db import queries as q
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import make_image, make_world
from tests.server.project_helpers import make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

COUNTERS = "count_annotations, count_job_annotations, count_reviewed_annotations"


async def _counters(
    db: asyncpg.Connection, table: str, ids: list[int]
) -> dict[int, tuple[int, ...]]:
    query = f"SELECT id, {COUNTERS} FROM {table} WHERE id = ANY($1)"  # noqa: S608
    rows = await db.fetch(query, ids)
    return {r["id"]: tuple(r[1:]) for r in rows}


async def test_a_tally_moves_each_project_and_image_by_its_rows(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    world = await make_world(client, db, alice, bob)
    second, _ = await make_image(db, world.project, alice.id)
    other = (await make_project(client, alice, "P2"))["id"]
    third, _ = await make_image(db, other, alice.id)
    projects = [world.project, world.project, other, world.project]
    images = [world.image, second, third, world.image]
    async with db.transaction():
        await db.execute(q.ANNOTATION_COUNT_ADDED, projects, images, [5000, 3, 7, 2])
        await db.execute(q.ANNOTATION_COUNT_ADDED, [], [], [])  # nothing to count
    assert await _counters(db, "image_instance", [world.image, second, third]) == {
        world.image: (5002, 0, 0),
        second: (3, 0, 0),
        third: (7, 0, 0),
    }
    assert await _counters(db, "project", [world.project, other]) == {
        world.project: (5005, 0, 0),
        other: (7, 0, 0),
    }
