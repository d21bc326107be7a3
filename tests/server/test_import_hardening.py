"""Streaming imports: rows name only project members, and a crashed job releases its key."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

NDJSON = {"content-type": "application/x-ndjson"}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def line(x: float, **props: Any) -> bytes:
    ring = [[x, 5], [x + 10, 5], [x + 10, 15], [x, 15], [x, 5]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return msgspec.json.encode({**feature, "properties": props}) + b"\n"


async def owners(db: asyncpg.Connection, image: int) -> list[int]:
    found = await db.fetch("SELECT user_id FROM annotation WHERE image_id = $1", image)
    return sorted(r["user_id"] for r in found)


async def test_rows_cannot_be_attributed_to_a_non_member(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    r = await client.post(url, content=line(1, user=carol.id), headers=NDJSON, auth=auth(alice))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["reason"] == "user"
    assert await owners(db, world.image) == []


async def test_manager_attributes_rows_to_members_contributor_only_to_self(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    r = await client.post(url, content=line(1, user=bob.id), headers=NDJSON, auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.post(url, content=line(30, user=alice.id), headers=NDJSON, auth=auth(bob))
    assert r.status_code == 400, r.text
    assert await owners(db, world.image) == [bob.id]


async def _gone(db: asyncpg.Connection, pid: int) -> None:
    for _ in range(250):
        if not await db.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the session did not end")


async def test_a_crashed_import_fails_and_releases_its_key(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    world: World,
) -> None:
    # The session that opened the job ends without closing it: a server crash mid-import.
    ghost = await asyncpg.connect(database_url)
    job = await ghost.fetchval(
        "INSERT INTO annotation_import (user_id, image_id, project_id, idempotency_key, format,"
        " rows_read, rows_loaded) VALUES ($1, $2, $3, 'crashed', 'ndjson', 7, 7) RETURNING id",
        alice.id,
        world.image,
        world.project,
    )
    pid = ghost.get_server_pid()
    await ghost.close()
    await _gone(db, pid)
    polled = await client.get(f"/api/annotationimport/{job}.json", auth=auth(alice))
    assert polled.status_code == 200, polled.text
    assert (polled.json()["status"], polled.json()["rowsLoaded"]) == ("failed", 0)
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    headers = {**NDJSON, "Idempotency-Key": "crashed"}
    r = await client.post(url, content=line(1), headers=headers, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["status"], r.json()["rowsLoaded"]) == (job, "done", 1)


async def test_a_live_import_keeps_its_key(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    # This connection stays open: the job's session is alive, so the key is still taken.
    await db.execute(
        "INSERT INTO annotation_import (user_id, image_id, project_id, idempotency_key, format)"
        " VALUES ($1, $2, $3, 'busy', 'ndjson')",
        alice.id,
        world.image,
        world.project,
    )
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    headers = {**NDJSON, "Idempotency-Key": "busy"}
    r = await client.post(url, content=line(1), headers=headers, auth=auth(alice))
    assert r.status_code == 409, r.text
