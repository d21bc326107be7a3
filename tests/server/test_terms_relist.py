"""The background relist of older annotations' term groups: rows whose annotation.terms_listed is
NULL (as a database upgraded from a version before migration 0045 holds them) get the group
annotation_terms_listed computes, in batches that resume where they stopped, without
rewriting a kept group, losing a concurrent writer's change or changing a listing's bytes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.cors import CorsPolicy
from server.db import queries as q
from server.db import terms_relist
from server.db.store import terms_listed
from server.db.store.accounts import NewAccount
from server.runtime import running
from server.settings import Settings
from tests.server.annotation_helpers import World, create, make_image, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth
from tests.server.test_terms_listed import link, send

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@dataclass(frozen=True)
class Mixed:
    """The annotations of ``mixed``: user, reviewed and algo rows on two images."""

    world: World
    images: list[int]
    ids: list[int]
    """Every annotation, by id."""


@pytest.fixture
async def mixed(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Mixed:
    """Per image: user rows without terms, with one and with two (one also linked by Bob),
    algo rows without and with terms (rated); on the first image, a reviewed copy. Every group
    kept, as the writers leave it."""
    world = await make_world(client, db, alice, bob)
    second, _ = await make_image(db, world.project, alice.id)
    one, two = world.terms
    shared = []
    for image in (world.image, second):
        await create(client, alice, image, sq(1, 1))
        await create(client, alice, image, sq(20, 1), term=[one])
        shared.append(await create(client, alice, image, sq(40, 1), term=[one, two]))
        await send(client, bob, "POST", link(shared[-1]["id"], two))
        for x, terms in ((60, []), (80, [one, two])):
            body = {"location": sq(x, 1), "image": image, "term": terms}
            await send(client, alice, "POST", "/api/algoannotation.json", json=body)
    await send(client, alice, "POST", f"/api/imageinstance/{world.image}/review.json")
    await send(client, alice, "POST", f"/api/annotation/{shared[0]['id']}/review.json", json={})
    await db.execute("UPDATE annotation_term SET rate = 0.75 WHERE kind = 'algo'")
    await db.execute("SELECT annotation_terms_relist(array(SELECT id FROM annotation))")
    ids = [r["id"] for r in await db.fetch("SELECT id FROM annotation ORDER BY id")]
    return Mixed(world, [world.image, second], ids)


async def unlist(db: asyncpg.Connection, ids: list[int]) -> None:
    """Leave these rows' groups NULL, and the relist's progress at the start: what a database
    upgraded from before migration 0045 holds."""
    await db.execute("UPDATE annotation SET terms_listed = NULL WHERE id = ANY($1)", ids)
    await db.execute("UPDATE annotation_terms_relist_progress SET after_id = 0")


async def progress(db: asyncpg.Connection) -> int:
    """Where the relist has got to (the kept progress)."""
    return int(await db.fetchval("SELECT after_id FROM annotation_terms_relist_progress"))


def most(ids: list[int]) -> list[int]:
    """Two rows of every three (the others keep their group)."""
    return [i for n, i in enumerate(ids) if n % 3]


async def versions(db: asyncpg.Connection) -> dict[int, str]:
    """Each annotation's row version (xmin): unchanged unless the row was rewritten."""
    return {r["id"]: r["v"] for r in await db.fetch("SELECT id, xmin::text AS v FROM annotation")}


async def assert_all_kept(db: asyncpg.Connection) -> None:
    """Every annotation's group is kept and equal to a recomputation."""
    rows = await db.fetch(
        "SELECT a.id, a.terms_listed, l.fresh FROM annotation AS a"
        " CROSS JOIN LATERAL annotation_terms_listed(a.id, a.kind, a.user_id) AS l (fresh)"
    )
    assert rows
    assert [r["id"] for r in rows if r["terms_listed"] is None] == []
    assert [r["id"] for r in rows if r["terms_listed"] != r["fresh"]] == []


async def listings(client: AsyncTestClient, who: NewAccount, mixed: Mixed) -> list[bytes]:
    """The listing of each image's user, reviewed and algo layers, terms shown."""
    out = []
    for image in mixed.images:
        for kind in ({}, {"reviewed": "true"}, {"includeAlgo": "true"}):
            params = {"image": image, "showDefault": "true", "showTerm": "true", **kind}
            r = await client.get("/api/annotation.json", params=params, auth=auth(who))
            assert r.status_code == 200, r.text
            out.append(r.content)
    return out


async def step_to_the_end(db: asyncpg.Connection, batch: int) -> list[terms_listed.RelistStep]:
    """Run relist batches until one finds nothing left; the batches that did something."""
    until = await terms_listed.last_id(db)
    steps = []
    while (step := await terms_listed.relist_step(db, until, batch)) and step.examined:
        steps.append(step)
    assert step is not None
    return steps


async def test_the_mixed_rows_cover_every_kind_on_two_images(
    db: asyncpg.Connection, mixed: Mixed
) -> None:
    rows = await db.fetch(
        "SELECT a.kind, a.image_id, count(t.id) > 0 AS linked FROM annotation AS a"
        " LEFT JOIN annotation_term AS t ON t.annotation_id = a.id WHERE a.id = ANY($1)"
        " GROUP BY a.id, a.image_id, a.kind",
        most(mixed.ids),
    )
    assert {r["kind"] for r in rows} == {"user", "reviewed", "algo"}
    assert {r["image_id"] for r in rows} == set(mixed.images)
    assert {r["linked"] for r in rows} == {True, False}


async def test_batches_give_every_null_row_its_group_and_leave_kept_ones(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, mixed: Mixed
) -> None:
    before = await listings(client, alice, mixed)
    assert b'"rate":0.75' in before[2]
    unlisted = most(mixed.ids)
    await unlist(db, unlisted)
    kept_rows = {i: v for i, v in (await versions(db)).items() if i not in unlisted}
    steps = await step_to_the_end(db, batch=4)
    assert len(steps) == -(-len(mixed.ids) // 4)
    assert sum(s.relisted for s in steps) == len(unlisted)
    assert sum(s.examined for s in steps) == len(mixed.ids)
    await assert_all_kept(db)
    after = await versions(db)
    assert {i: after[i] for i in kept_rows} == kept_rows  # never rewritten
    assert await listings(client, alice, mixed) == before
    assert await progress(db) == max(mixed.ids)


async def test_a_pass_resumes_where_the_last_one_stopped(
    db: asyncpg.Connection, database_url: str, mixed: Mixed
) -> None:
    await unlist(db, mixed.ids)
    until = await terms_listed.last_id(db)
    first = await terms_listed.relist_step(db, until, 3)
    second = await terms_listed.relist_step(db, until, 3)
    assert first is not None and second is not None
    assert (first.after_id, second.after_id) == (mixed.ids[2], mixed.ids[5])
    assert await progress(db) == mixed.ids[5]
    null = "SELECT array_agg(id ORDER BY id) FROM annotation WHERE terms_listed IS NULL"
    assert await db.fetchval(null) == mixed.ids[6:]
    # A server stopped here: the next start's pass looks only at the rows after the progress.
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        assert await terms_relist.relist_pass(pool, 2.0, batch=3) == len(mixed.ids) - 6
        await assert_all_kept(db)
        # Done: a later start finds nothing to do.
        assert await terms_relist.relist_pass(pool, 2.0, batch=3) == 0
    finally:
        await pool.close()


async def test_a_pass_ends_at_the_highest_id_of_its_start(
    db: asyncpg.Connection, mixed: Mixed
) -> None:
    await unlist(db, mixed.ids)
    until = mixed.ids[4]
    steps = []
    while (step := await terms_listed.relist_step(db, until, 2)) and step.examined:
        steps.append(step)
    assert [s.after_id for s in steps] == [mixed.ids[1], mixed.ids[3], mixed.ids[4]]
    null = "SELECT array_agg(id ORDER BY id) FROM annotation WHERE terms_listed IS NULL"
    assert await db.fetchval(null) == mixed.ids[5:]


async def test_links_changed_between_batches_end_right(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    mixed: Mixed,
) -> None:
    await unlist(db, mixed.ids)
    until = await terms_listed.last_id(db)
    step = await terms_listed.relist_step(db, until, 4)
    assert step is not None and step.relisted == 4
    one, two = mixed.world.terms
    # User rows of the first image (relisted by the first batch) and of the second (not yet).
    done, pending = mixed.ids[1], mixed.ids[5]
    await send(client, bob, "POST", link(done, two))
    await send(client, bob, "POST", link(pending, one))
    await send(client, alice, "DELETE", link(mixed.ids[2], one, f"/user/{alice.id}"))
    await step_to_the_end(db, batch=4)
    await assert_all_kept(db)
    groups = await db.fetch(
        "SELECT id, terms_listed FROM annotation WHERE id = ANY($1)", [done, pending]
    )
    assert all(f'"user":[{bob.id}]' in r["terms_listed"] for r in groups)


async def test_a_row_a_writer_holds_is_skipped_and_taken_by_the_next_batch(
    db: asyncpg.Connection, database_url: str, mixed: Mixed
) -> None:
    """The batch never waits for a writer: it stops just before the row the writer holds, and
    the writer's own relist, committed, is what the next batch finds (not rewritten)."""
    await unlist(db, mixed.ids)
    held = mixed.ids[1]
    async with held_by_writer(database_url, held, mixed.world.terms[1]):
        step = await terms_listed.relist_step(db, await terms_listed.last_id(db), 5)
        assert step is not None
        assert (step.after_id, step.examined, step.relisted) == (held - 1, 5, 4)
    kept_by_writer = await versions(db)
    await step_to_the_end(db, batch=5)
    assert (await versions(db))[held] == kept_by_writer[held]
    await assert_all_kept(db)


async def test_a_batch_over_two_images_claims_each_and_stops_before_the_held_row(
    db: asyncpg.Connection, database_url: str, mixed: Mixed
) -> None:
    """Rows of both images in one batch (the reviewed copy of the first image comes after the
    second image's rows): each image's rows are claimed and written, and the next batch starts
    just before the row a writer holds on the second image."""
    await unlist(db, mixed.ids)
    held = mixed.ids[6]
    images = await db.fetch("SELECT id, image_id FROM annotation WHERE id = ANY($1)", mixed.ids)
    image_of = {r["id"]: r["image_id"] for r in images}
    assert image_of[held] == mixed.images[1]
    assert image_of[mixed.ids[-1]] == mixed.images[0]
    async with held_by_writer(database_url, held, mixed.world.terms[1]):
        step = await terms_listed.relist_step(db, await terms_listed.last_id(db), 100)
        assert step is not None
        assert (step.after_id, step.examined, step.relisted) == (held - 1, len(mixed.ids), 10)
        unlisted = await db.fetch("SELECT id FROM annotation WHERE terms_listed IS NULL")
        assert [r["id"] for r in unlisted] == [held]
    assert await progress(db) == held - 1
    steps = await step_to_the_end(db, batch=100)
    assert [s.relisted for s in steps] == [0]
    await assert_all_kept(db)


async def test_a_writer_waiting_on_a_batch_applies_its_change_after_it(
    db: asyncpg.Connection, database_url: str, mixed: Mixed
) -> None:
    """A link added to a row a batch holds: the writer's relist waits for the batch, then
    reads the batch's group and its own link, and writes the right group."""
    await unlist(db, mixed.ids)
    target, term = mixed.ids[0], mixed.world.terms[1]
    until = await terms_listed.last_id(db)
    writer = await asyncpg.connect(database_url)
    try:
        async with db.transaction():
            after = await db.fetchval(q.ANNOTATION_TERMS_RELIST_CLAIM)
            row = await db.fetchrow(q.ANNOTATION_TERMS_RELIST_BATCH, after, until, 3)
            assert row["relisted"] == 3
            waiting = asyncio.create_task(_in_transaction(writer, target, term))
            await asyncio.sleep(0.3)
            assert not waiting.done()  # its relist waits for the batch's row lock
            await db.execute(q.ANNOTATION_TERMS_RELIST_ADVANCE, row["after_id"])
        await asyncio.wait_for(waiting, 10)
    finally:
        await writer.close()
    group = await db.fetchval("SELECT terms_listed FROM annotation WHERE id = $1", target)
    assert f'"term":{term}' in group
    await step_to_the_end(db, batch=3)
    await assert_all_kept(db)


async def _add_link(conn: asyncpg.Connection, annotation: int, term: int) -> None:
    """What a writer adding a term link does: the link, then the relist of its annotation."""
    await conn.execute(
        "INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id)"
        " SELECT id, $2, user_id, image_id, project_id FROM annotation WHERE id = $1",
        annotation,
        term,
    )
    await terms_listed.relist(conn, [annotation])


@contextlib.asynccontextmanager
async def held_by_writer(database_url: str, annotation: int, term: int) -> AsyncIterator[None]:
    """A writer's transaction that added a link to ``annotation`` and relisted it, open inside
    the block (the row's lock held) and committed on leaving it."""
    writer = await asyncpg.connect(database_url)
    try:
        async with writer.transaction():
            await _add_link(writer, annotation, term)
            yield
    finally:
        await writer.close()


async def _in_transaction(conn: asyncpg.Connection, annotation: int, term: int) -> None:
    async with conn.transaction():
        await _add_link(conn, annotation, term)


async def test_a_worker_finding_the_pass_claimed_leaves_it(
    db: asyncpg.Connection, database_url: str, mixed: Mixed
) -> None:
    await unlist(db, mixed.ids)
    other = await asyncpg.connect(database_url)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        async with other.transaction():
            await other.fetchval(q.ANNOTATION_TERMS_RELIST_CLAIM)
            assert await terms_listed.relist_step(db, max(mixed.ids), 3) is None
            assert await terms_relist.relist_pass(pool, 2.0) is None
    finally:
        await pool.close()
        await other.close()
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE terms_listed IS NULL") == len(
        mixed.ids
    )


async def test_a_starting_server_relists_in_the_background(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    settings: Settings,
    mixed: Mixed,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = await listings(client, alice, mixed)
    await unlist(db, most(mixed.ids))
    caplog.set_level(logging.INFO, logger=terms_relist.__name__)
    async with running(settings, server_id="relist", cors_policy=CorsPolicy()):
        for _ in range(100):
            nulls = await db.fetchval("SELECT count(*) FROM annotation WHERE terms_listed IS NULL")
            if not nulls:
                break
            await asyncio.sleep(0.1)
    await assert_all_kept(db)
    assert await listings(client, alice, mixed) == before
    messages = [r.getMessage() for r in caplog.records if r.name == terms_relist.__name__]
    assert f"relisting up to id {max(mixed.ids)}" in messages[0]
    assert f": {len(most(mixed.ids))} rows relisted in" in messages[-1]


async def test_a_pass_whose_connection_is_lost_in_a_batch_waits_and_starts_again(
    db: asyncpg.Connection,
    database_url: str,
    settings: Settings,
    mixed: Mixed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await unlist(db, mixed.ids)
    monkeypatch.setattr(terms_relist, "RETRY_SECONDS", 0.05)
    other = await asyncpg.connect(database_url)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        pid = await pool.fetchval("SELECT pg_backend_pid()")
        async with other.transaction():
            # The batch waits for the progress row's table inside its transaction...
            await other.execute("LOCK TABLE annotation_terms_relist_progress")
            task = asyncio.create_task(terms_relist.relist_until_done(pool, settings))
            for _ in range(100):
                waiting = await db.fetchval(
                    "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", pid
                )
                if waiting:
                    break
                await asyncio.sleep(0.05)
            assert waiting
            # ... and its connection goes: the pass waits and starts again.
            assert await db.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)
        await asyncio.wait_for(task, 30)
    finally:
        await pool.close()
        await other.close()
    await assert_all_kept(db)
