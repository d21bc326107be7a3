"""The job runner's state in PostgreSQL: the queue, who runs what, kill requests.

``execute`` and ``kill`` serve the API (whoever controls the job); the other functions
serve runners. A runner takes queued jobs with ``claim`` on the one connection it keeps open
for as long as it runs them (that session is its proof of life, see migration 0034), and
``recover`` turns the jobs of runners whose session is gone FAILED.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Invalid
from server.db import queries as q
from server.db import rows
from server.db.store import jobs
from server.db.store.jobs import FAILED, INQUEUE, KILLED
from server.principal import Principal
from server.runner.command import Input


class Claimed(msgspec.Struct, frozen=True, kw_only=True):
    """A job a runner took from the queue; not runnable when it left the life cycle meanwhile."""

    job_id: int
    runnable: bool


class LaunchInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What starting a job needs: its command template, ids, keys and inputs."""

    job_id: int
    project_id: int
    software_id: int
    command: str | None
    public_key: str | None
    private_key: str | None
    inputs: list[Input]


class Lost(msgspec.Struct, frozen=True, kw_only=True):
    """A job whose runner died while running it."""

    job_id: int
    runner: str | None


_NAMES = (
    "NOT_LAUNCH",
    "INQUEUE",
    "RUNNING",
    "SUCCESS",
    "FAILED",
    "INDETERMINATE",
    "WAIT",
    "PREVIEWED",
    "KILLED",
)


async def execute(conn: asyncpg.Connection, me: Principal, job_id: int) -> c.Job:
    """Queue a job the caller controls (INQUEUE); a queued job stays as it is, a running or
    successful one cannot be queued (400, as any refused status change)."""
    found = (await jobs.access(conn, me, job_id)).require_control()
    # Queued and read back in one transaction: runners see the queue row once it commits, so
    # the answer is the queued job, never the status a quicker runner has given it since.
    async with conn.transaction():
        if await conn.fetchval(q.JOB_RUN_ENQUEUE, job_id) is None and found.job.status != INQUEUE:
            raise Invalid(
                f"Illegal job status change: job {job_id} cannot go from "
                f"{_NAMES[found.job.status]} to INQUEUE",
                {"status": found.job.status},
            )
        return await jobs.get(conn, me, job_id)


async def kill(conn: asyncpg.Connection, me: Principal, job_id: int) -> c.Job:
    """Stop a job the caller controls: a running one is flagged for its runner (KILLED once
    it has stopped the process); any other that has not ended becomes KILLED at once."""
    (await jobs.access(conn, me, job_id)).require_control()
    async with conn.transaction():
        started = await conn.fetchval(q.JOB_RUN_LOCK, job_id)
        if started:
            await conn.execute(q.JOB_RUN_REQUEST_KILL, job_id)
            return await jobs.get(conn, me, job_id)
        if started is not None:
            await conn.execute(q.JOB_RUN_DEQUEUE, job_id)
        return await jobs.move(conn, me, job_id, KILLED, "Killed on request")


async def claim(lease: asyncpg.Connection, runner: str) -> Claimed | None:
    """Take the oldest queued job on the runner's own connection (None: the queue is empty)."""
    row = await lease.fetchrow(q.JOB_RUN_CLAIM, runner)
    return None if row is None else Claimed(job_id=row["job_id"], runnable=row["runnable"])


async def launch_info(conn: asyncpg.Connection, job_id: int) -> LaunchInfo | None:
    """What starting a job needs (None: the job is gone)."""
    row = await conn.fetchrow(q.JOB_RUN_LAUNCH, job_id)
    if row is None:
        return None
    found = dict(row)
    inputs = rows.many(found.pop("inputs"), Input)
    return LaunchInfo(job_id=job_id, inputs=inputs, **found)


async def kill_requested(conn: asyncpg.Connection, job_id: int) -> bool | None:
    """Whether the job's run was asked to stop; None when the run is gone."""
    value = await conn.fetchval(q.JOB_RUN_WATCH, job_id)
    return None if value is None else bool(value)


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """The final status an algorithm reported while it ran (held until its process ended)."""

    status: int | None
    comment: str | None


async def end(conn: asyncpg.Connection, job_id: int) -> Report | None:
    """Remove a run from the queue (in the caller's transaction, before ``set_final``);
    answers what its algorithm reported, None when the run was gone already."""
    row = await conn.fetchrow(q.JOB_RUN_END, job_id)
    if row is None:
        return None
    return Report(status=row["reported_status"], comment=row["reported_comment"])


async def set_final(conn: asyncpg.Connection, job_id: int, status: int, comment: str) -> bool:
    """Give a job whose run ended its final status; False when the life cycle refused it."""
    return await conn.fetchval(q.JOB_RUN_SET_FINAL, job_id, status, comment[:5000]) is not None


async def recover(conn: asyncpg.Connection) -> list[Lost]:
    """Fail the jobs of runners that died; answer them."""
    async with conn.transaction():
        found = [
            Lost(job_id=r["job_id"], runner=r["runner"])
            for r in await conn.fetch(q.JOB_RUN_RECOVER)
        ]
        for lost in found:
            comment = f"The runner running the job stopped ({lost.runner})"
            await set_final(conn, lost.job_id, FAILED, comment)
    return found


__all__ = [
    "Claimed",
    "LaunchInfo",
    "Lost",
    "Report",
    "claim",
    "end",
    "execute",
    "kill_requested",
    "launch_info",
    "kill",
    "recover",
    "set_final",
]
