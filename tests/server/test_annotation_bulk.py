"""Delete and term change by filter, with a dry-run count and write rights in SQL."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    """Alice draws 6 squares along y=10 (terms alternate), Bob 4 squares along y=500."""
    w = await make_world(client, db, alice, bob)
    for who, y, n in ((alice, 10, 6), (bob, 500, 4)):
        body = [
            {"location": sq(i * 20, y), "image": w.image, "term": [w.terms[i % 2]]}
            for i in range(n)
        ]
        r = await client.post("/api/annotation.json", json=body, auth=auth(who))
        assert r.json()["status"] == 200, r.text
    return w


async def count(db: asyncpg.Connection) -> int:
    return int(await db.fetchval("SELECT count(*) FROM annotation"))


async def test_dry_run_counts_without_deleting(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = {"project": world.project, "terms": [world.terms[0]], "dryRun": True}
    r = await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (r.json()["count"], r.json()["dryRun"]) == (5, True)
    assert await count(db) == 10


@pytest.mark.parametrize(
    ("extra", "left"),
    [
        ({}, 0),
        ({"bbox": "0,0,45,45"}, 7),
        ({"users": "bob"}, 6),
        ({"image": "world"}, 0),
    ],
)
async def test_delete_by_filter_removes_exactly_the_matches(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
    extra: dict[str, object],
    left: int,
) -> None:
    swap = {"bob": [bob.id], "world": world.image}
    body = {"project": world.project, **{k: swap.get(v, v) for k, v in extra.items()}}  # type: ignore[call-overload]
    r = await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 10 - left and await count(db) == left


async def test_delete_by_filter_records_one_command_and_keeps_counters(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = {"project": world.project, "terms": [world.terms[1]]}
    await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(alice))
    commands = await db.fetchval("SELECT count(*) FROM command WHERE type = 'DELETE'")
    counted = await db.fetchval("SELECT count_annotations FROM project WHERE id=$1", world.project)
    assert (commands, counted) == (1, 5)


async def test_restricted_project_contributor_deletes_only_own_annotations(
    client: AsyncTestClient, db: asyncpg.Connection, bob: NewAccount, world: World
) -> None:
    await db.execute("UPDATE project SET is_restricted = true WHERE id = $1", world.project)
    body = {"project": world.project}
    r = await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(bob))
    assert r.json()["count"] == 4
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE user_id=$1", bob.id) == 0
    assert await count(db) == 6


async def test_non_member_cannot_bulk_delete(
    client: AsyncTestClient, db: asyncpg.Connection, guest: NewAccount, world: World
) -> None:
    body = {"project": world.project}
    r = await client.post("/api/annotation/bulk-delete.json", json=body, auth=auth(guest))
    assert_status(r, 403)
    assert await count(db) == 10


@pytest.mark.parametrize(("mode", "links"), [("set", 10), ("add", 15), ("remove", 5)])
async def test_term_change_by_filter(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    mode: str,
    links: int,
) -> None:
    body = {"project": world.project, "newTerms": [world.terms[0]], "mode": mode}
    r = await client.post("/api/annotation/bulk-term.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 10
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == links


async def test_term_change_dry_run_changes_nothing(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = {"project": world.project, "users": [alice.id], "newTerms": [world.terms[0]]}
    r = await client.post("/api/annotation/bulk-term.json?dryRun=true", json=body, auth=auth(alice))
    assert (r.json()["count"], r.json()["dryRun"]) == (6, True)
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 10


async def test_term_change_refuses_terms_outside_the_ontology(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"project": world.project, "newTerms": [123456789]}
    r = await client.post("/api/annotation/bulk-term.json", json=body, auth=auth(alice))
    assert_status(r, 400)
