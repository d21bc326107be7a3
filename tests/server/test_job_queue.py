"""The runners' queue: runners never wait for each other and each job is taken once."""

from __future__ import annotations

import asyncpg
import pytest

from contracts import _generated as c
from server.db.store import job_runs, jobs
from server.db.store.accounts import NewAccount
from server.principal import Principal
from tests.server.job_helpers import make_job

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _queued(db: asyncpg.Connection, owner: NewAccount, count: int) -> list[int]:
    project = await db.fetchval("INSERT INTO project (name) VALUES ('Q') RETURNING id")
    jobs = [(await make_job(db, project, owner.id)).job for _ in range(count)]
    for job in jobs:
        await db.execute("UPDATE job SET status = 1 WHERE id = $1", job)
        await db.execute("INSERT INTO job_run (job_id) VALUES ($1)", job)
    return jobs


async def test_two_runners_take_different_jobs_without_waiting(
    database_url: str, db: asyncpg.Connection, alice: NewAccount
) -> None:
    jobs = await _queued(db, alice, 2)
    first, second = [await asyncpg.connect(database_url) for _ in range(2)]
    try:
        async with first.transaction():
            taken_first = await job_runs.claim(first, "one:1")
            # The first runner's row stays locked until it commits: the second skips it.
            taken_second = await job_runs.claim(second, "two:2")
            assert await job_runs.claim(second, "two:2") is None
        assert taken_first is not None and taken_second is not None
        assert [taken_first.job_id, taken_second.job_id] == jobs
    finally:
        await first.close()
        await second.close()
    statuses = await db.fetch("SELECT status FROM job WHERE id = ANY($1) ORDER BY id", jobs)
    assert [s["status"] for s in statuses] == [2, 2]


async def test_a_run_is_held_by_the_session_that_took_it(
    database_url: str, db: asyncpg.Connection, alice: NewAccount
) -> None:
    (job,) = await _queued(db, alice, 1)
    lease = await asyncpg.connect(database_url)
    try:
        await job_runs.claim(lease, "one:1")
        assert await job_runs.recover(db) == []
    finally:
        await lease.close()
    lost = await job_runs.recover(db)
    assert [(x.job_id, x.runner) for x in lost] == [(job, "one:1")]
    assert await db.fetchval("SELECT status FROM job WHERE id = $1", job) == 4


async def test_execute_answers_the_queued_job_even_when_a_runner_is_quicker(
    database_url: str,
    db: asyncpg.Connection,
    alice: NewAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = await db.fetchval("INSERT INTO project (name) VALUES ('Q') RETURNING id")
    job = (await make_job(db, project, alice.id)).job
    me = Principal(id=alice.id, username=alice.username, rank=3)
    runner = await asyncpg.connect(database_url)
    taken: list[object] = []
    read_back = jobs.get

    async def runner_first(conn: asyncpg.Connection, who: Principal, job_id: int) -> c.Job:
        # A runner woken at once tries to take the job before the answer is read.
        taken.append(await job_runs.claim(runner, "quick:1"))
        return await read_back(conn, who, job_id)

    monkeypatch.setattr(jobs, "get", runner_first)
    try:
        answered = await job_runs.execute(db, me, job)
        assert taken == [None]
        assert answered.status == 1
        # Once queued, the runner takes it.
        claimed = await job_runs.claim(runner, "quick:1")
        assert claimed is not None and claimed.job_id == job
    finally:
        await runner.close()
