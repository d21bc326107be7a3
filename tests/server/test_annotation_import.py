"""Bulk writes: the array POST by COPY and the streaming import with its polled job."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.db.store.annotation_copy import BATCH_ROWS
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

NDJSON = {"content-type": "application/x-ndjson"}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def feature(x: float, y: float, **props: Any) -> dict[str, Any]:
    """A GeoJSON square feature with its lower-left corner at (x, y)."""
    ring = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": props}  # fmt: skip


def ndjson(items: list[Any]) -> bytes:
    return b"\n".join(msgspec.json.encode(f) for f in items) + b"\n"


def collection(items: list[Any]) -> bytes:
    return msgspec.json.encode({"type": "FeatureCollection", "features": items})


async def count(db: asyncpg.Connection, image: int) -> int:
    return int(await db.fetchval("SELECT count(*) FROM annotation WHERE image_id = $1", image))


async def test_array_post_writes_every_item_with_terms_counters_and_one_command(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = [
        {
            "location": sq(i % 50 * 12, i // 50 * 12),
            "image": world.image,
            "term": [world.terms[i % 2]],
        }
        for i in range(150)
    ]
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == 200 and len(r.json()["data"]["ids"]) == 150
    assert await count(db, world.image) == 150
    terms = await db.fetchval("SELECT count(*) FROM annotation_term WHERE image_id=$1", world.image)
    counted = await db.fetchval(
        "SELECT count_annotations FROM image_instance WHERE id=$1", world.image
    )
    commands = await db.fetchval("SELECT count(*) FROM command WHERE class_name LIKE '%UserAnn%'")
    assert (terms, counted, commands) == (150, 150, 1)


async def test_array_post_with_one_bad_item_writes_nothing_and_names_it(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    # The bad item is in the second COPY batch: the first may already be loaded when it fails.
    n, bad = BATCH_ROWS + 1000, BATCH_ROWS + 500
    body = [{"location": sq(i % 80 * 12, i // 80 * 10), "image": world.image} for i in range(n)]
    body[bad]["location"] = "POLYGON ((0 0, 1 1"
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["status"] == 400
    assert [e["index"] for e in r.json()["data"]["errors"]] == [bad]
    assert await count(db, world.image) == 0


@pytest.mark.parametrize("size", [0, 15])
async def test_python_client_chunks_and_its_trailing_empty_array_succeed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World, size: int
) -> None:
    body = [{"location": sq(i * 12, 10), "image": world.image} for i in range(size)]
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert (r.status_code, r.json()["status"]) == (200, 200)
    assert await count(db, world.image) == size


async def test_truncated_array_body_is_a_400_and_writes_nothing(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = msgspec.json.encode([{"location": sq(1, 1), "image": world.image}] * 3)[:-5]
    r = await client.post("/api/annotation.json", content=body, auth=auth(alice))
    assert_status(r, 400)
    assert await count(db, world.image) == 0


@pytest.mark.parametrize("shape", ["ndjson", "collection"])
async def test_streamed_import_loads_every_feature_with_its_terms(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World, shape: str
) -> None:
    items = [feature(i * 11, 5, term=[world.terms[i % 2]]) for i in range(40)]
    body, headers = (ndjson(items), NDJSON) if shape == "ndjson" else (collection(items), {})
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=body,
        headers=headers,
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    job = r.json()
    assert (job["status"], job["rowsRead"], job["rowsLoaded"], job["rowsRejected"]) == (
        "done", 40, 40, 0,
    )  # fmt: skip
    assert await count(db, world.image) == 40
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 40


async def test_atomic_import_with_bad_rows_loads_nothing_and_reports_rows_and_reasons(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    items: list[Any] = [feature(i * 11, 5) for i in range(10)]
    items[3]["geometry"] = None
    items[6]["properties"] = {"term": [999999]}
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=ndjson(items) + b"{not json\n",
        headers=NDJSON,
        auth=auth(alice),
    )
    assert_status(r, 400)
    job = r.json()
    assert job["status"] == "failed" and job["rowsLoaded"] == 0 and job["rowsRejected"] == 3
    assert [(e["row"], e["reason"]) for e in job["errors"]] == [
        (4, "missing"), (7, "term"), (11, "syntax"),
    ]  # fmt: skip
    assert await count(db, world.image) == 0


async def test_partial_import_skips_only_the_rejected_rows(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    items = [feature(i * 11, 5) for i in range(10)]
    items[2] = feature(-500, -500)  # outside the image
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json?partial=true",
        content=collection(items),
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert (r.json()["rowsLoaded"], r.json()["errors"][0]["reason"]) == (9, "outside")
    assert await count(db, world.image) == 9


async def test_retried_upload_with_the_same_idempotency_key_does_not_duplicate(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    body = ndjson([feature(i * 11, 5) for i in range(5)])
    headers = {**NDJSON, "Idempotency-Key": "job-42"}
    first = await client.post(url, content=body, headers=headers, auth=auth(alice))
    second = await client.post(url, content=body, headers=headers, auth=auth(alice))
    assert_status(second, 200)
    assert second.json()["id"] == first.json()["id"]
    assert await count(db, world.image) == 5


async def test_failed_job_can_be_retried_with_its_key(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    headers = {**NDJSON, "Idempotency-Key": "again"}
    bad = await client.post(url, content=b"[1]\n", headers=headers, auth=auth(alice))
    good = await client.post(
        url, content=ndjson([feature(1, 1)]), headers=headers, auth=auth(alice)
    )
    assert (bad.status_code, good.status_code) == (400, 200)
    assert good.json()["id"] == bad.json()["id"] and await count(db, world.image) == 1


async def test_truncated_feature_collection_fails_the_job(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = collection([feature(1, 1), feature(20, 1)])[:-30]
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json", content=body, auth=auth(alice)
    )
    assert_status(r, 400)
    assert "FeatureCollection" in r.json()["message"]
    assert await count(db, world.image) == 0


async def test_job_is_polled_by_members_and_hidden_from_others(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
    world: World,
) -> None:
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=ndjson([feature(1, 1)]),
        headers=NDJSON,
        auth=auth(alice),
    )
    url = f"/api/annotationimport/{r.json()['id']}.json"
    seen = await client.get(url, auth=auth(bob))
    hidden = await client.get(url, auth=auth(guest))
    assert (seen.status_code, seen.json()["rowsLoaded"], hidden.status_code) == (200, 1, 404)


async def test_import_needs_write_rights_in_the_project(
    client: AsyncTestClient, db: asyncpg.Connection, guest: NewAccount, world: World
) -> None:
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=ndjson([feature(1, 1)]),
        headers=NDJSON,
        auth=auth(guest),
    )
    assert_status(r, 403)
    assert await count(db, world.image) == 0
