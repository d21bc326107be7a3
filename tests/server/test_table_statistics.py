"""A bulk write gathers the annotation tables' statistics when PostgreSQL has none yet."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db import queries as q
from server.db.store import table_statistics
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> World:
    """A project and its image, in a database whose annotation table was never analyzed."""
    made = await make_world(client, db, alice, bob)
    await db.execute("DELETE FROM pg_statistic WHERE starelid = 'annotation'::regclass")
    assert await db.fetchval(q.ANNOTATION_STATISTICS_MISSING) is True
    return made


async def test_a_large_array_leaves_the_table_analyzed(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
) -> None:
    body = [{"location": sq(10 * i, 10, 5), "image": world.image} for i in range(100)]
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert await db.fetchval(q.ANNOTATION_STATISTICS_MISSING) is False
    assert await table_statistics.analyze_if_missing(db) is False


async def test_an_import_leaves_the_table_analyzed(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
) -> None:
    lines = [
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[%d,20]},"properties":{}}'
        % (10 * i)
        for i in range(1, 20)
    ]
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import",
        content=b"\n".join(lines),
        headers={"content-type": "application/x-ndjson"},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert await db.fetchval(q.ANNOTATION_STATISTICS_MISSING) is False
