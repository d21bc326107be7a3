"""Delete and term change by filter, with a dry-run count and write rights in SQL."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_image, make_world
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


async def _links(db: asyncpg.Connection) -> set[tuple[int, int]]:
    rows = await db.fetch("SELECT annotation_id, term_id FROM annotation_term")
    return {(r["annotation_id"], r["term_id"]) for r in rows}


async def _ids(db: asyncpg.Connection, where: str, *args: object) -> set[int]:
    rows = await db.fetch(f"SELECT id FROM annotation AS a WHERE {where}", *args)
    return {r["id"] for r in rows}


async def test_term_change_goes_through_every_image_with_its_filters(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    """The matches are taken image by image: each filter picks the same annotations on every
    image of the project, and an image left out keeps its links."""
    second, _ = await make_image(db, world.project, alice.id)
    await make_image(db, world.project, alice.id)  # no annotation: passed over
    body = [{"location": sq(i * 20, 10), "image": second, "term": [world.terms[1]]} for i in (0, 1)]
    r = await client.post("/api/annotation.json", json=body, auth=auth(bob))
    assert r.json()["status"] == 200, r.text
    first_term, second_term = world.terms
    before = await _links(db)

    # Bob's annotations under y=100 linked to the second term, on both images: the first term
    # added to them only.
    body = {
        "project": world.project,
        "users": [bob.id],
        "terms": [second_term],
        "bbox": "0,0,1000,100",
        "newTerms": [first_term],
        "mode": "add",
    }
    r = await client.post("/api/annotation/bulk-term.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    picked = await _ids(db, "a.user_id = $1 AND a.image_id = $2", bob.id, second)
    assert (r.json()["count"], r.json()["added"]) == (2, 2)
    assert await _links(db) == before | {(a, first_term) for a in picked}

    # Exactly the first term, on the first image only.
    body = {"project": world.project, "images": [world.image], "newTerms": [first_term]}
    r = await client.post("/api/annotation/bulk-term.json", json=body, auth=auth(alice))
    assert r.json()["count"] == 10
    on_first = await _ids(db, "a.image_id = $1", world.image)
    expected = {(a, first_term) for a in on_first} | {(a, t) for a, t in before if a in picked}
    assert await _links(db) == expected | {(a, first_term) for a in picked}

    # A contributor of a restricted project changes only their own annotations, on every image.
    await db.execute("UPDATE project SET is_restricted = true WHERE id = $1", world.project)
    body = {"project": world.project, "newTerms": [second_term], "mode": "set"}
    r = await client.post("/api/annotation/bulk-term.json", json=body, auth=auth(bob))
    assert r.json()["count"] == 6
    bobs = await _ids(db, "a.user_id = $1", bob.id)
    links = await _links(db)
    assert {(a, t) for a, t in links if a in bobs} == {(a, second_term) for a in bobs}
    assert {(a, t) for a, t in links if a not in bobs} == {(a, first_term) for a in on_first - bobs}
