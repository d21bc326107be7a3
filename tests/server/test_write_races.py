"""Concurrent writes on the same annotations: one winner, honest answers for the others."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def in_thread(call: Callable[[], Awaitable[Any]]) -> Awaitable[httpx.Response]:
    """Run one test-client request in its own thread: the client blocks its event loop."""
    return asyncio.to_thread(lambda: asyncio.run(call()))  # type: ignore[arg-type]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.mark.parametrize("url", ["/api/annotation/{id}.json", "/api/userannotation/{id}.json"])
async def test_concurrent_deletes_of_one_annotation_have_one_winner(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World, url: str
) -> None:
    target = await create(client, alice, world.image, sq(10, 10))
    path = url.format(id=target["id"])
    calls = (in_thread(lambda: client.delete(path, auth=auth(alice))) for _ in range(20))
    answers = await asyncio.gather(*calls)
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] + [404] * 19, statuses
    commands = await db.fetchval(
        "SELECT count(*) FROM command WHERE type = 'DELETE' AND object_id = $1", target["id"]
    )
    assert commands == 1


async def _wait_for_lock(db: asyncpg.Connection) -> None:
    for _ in range(200):
        waiting = await db.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bulk change never waited for the delete")


async def test_bulk_term_racing_a_delete_is_not_a_constraint_error(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    world: World,
) -> None:
    for i in range(5):
        await create(client, alice, world.image, sq(10 * i, 10))
    deleter = await asyncpg.connect(database_url)
    try:
        tx = deleter.transaction()
        await tx.start()
        await deleter.execute("DELETE FROM annotation WHERE project_id = $1", world.project)
        body = {"project": world.project, "newTerms": [world.terms[0]], "mode": "add"}
        url = "/api/annotation/bulk-term.json"
        change = asyncio.ensure_future(
            in_thread(lambda: client.post(url, json=body, auth=auth(alice)))
        )
        await _wait_for_lock(db)
        await tx.commit()
        r = await change
    finally:
        await deleter.close()
    assert r.status_code in (200, 409), r.text
    if r.status_code == 200:
        assert r.json()["count"] == 0 and r.json()["added"] == 0
    else:
        assert "deleted" in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 0
