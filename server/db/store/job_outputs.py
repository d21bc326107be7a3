"""What a job produced, counted and deleted: its algo annotations, their term links, its data.

``delete_job_outputs`` is the one place that removes a run's results; whatever else a run
leaves (result files) is removed there too, inside the same transaction, so that "delete all
job data", the project purge and the job deletion stay consistent.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.store import acl, job_data, jobs, projects, terms_listed
from server.db.store.commands import cascade, delete_row, record
from server.principal import Principal


async def _summary(conn: asyncpg.Connection, job_id: int) -> dict[str, int]:
    row = await conn.fetchrow(q.JOB_OUTPUT_SUMMARY, job_id)
    assert row is not None
    data = await job_data.count_of_job(conn, job_id)
    return {
        "annotations": int(row["annotations"]),
        "annotationsTerm": int(row["annotations_term"]),
        "jobDatas": data,
        "reviewed": int(row["reviewed"]),
    }


async def summary(conn: asyncpg.Connection, me: Principal, job_id: int) -> dict[str, int]:
    """Counts of what deleting the job's data would remove (the dry run before deleting)."""
    await jobs.access(conn, me, job_id)
    return await _summary(conn, job_id)


async def delete_job_outputs(conn: asyncpg.Connection, job_id: int) -> int:
    """Remove a job's algo annotations, their term links and its data; returns the annotations
    removed.

    Runs inside the caller's transaction. Anything else a run stores must be removed here.
    """
    row = await conn.fetchrow(q.JOB_ANNOTATIONS_DELETE, job_id)
    assert row is not None  # the statement answers one row
    removed = [int(i) for i in row["annotations"]]
    await cascade(conn, {"annotations": removed})
    await terms_listed.relist(conn, row["linked"])  # the deleted ones are skipped
    # Its files are queued in the same transaction and removed once it is committed.
    await job_data.delete_of_job(conn, job_id)
    return len(removed)


def _refuse_reviewed(counts: dict[str, int]) -> None:
    if counts["reviewed"]:
        raise Invalid(
            f"There are {counts['reviewed']} reviewed annotations. You cannot delete all job data!",
            {"reviewed": counts["reviewed"]},
        )


async def delete_all(conn: asyncpg.Connection, me: Principal, job_id: int) -> dict[str, str]:
    """Delete everything a job produced (project managers), unless some of it was reviewed."""
    found = (await jobs.access(conn, me, job_id)).require_manage()
    await acl.writable(conn, me, found.project_id)
    async with conn.transaction():
        _refuse_reviewed(await _summary(conn, job_id))
        await delete_job_outputs(conn, job_id)
        await conn.execute(q.JOB_UPDATE, job_id, None, None, None, None, None, None, True)
    return {"message": f"All data from job launch {found.job.created} are deleted!"}


async def delete_job(conn: asyncpg.Connection, me: Principal, job_id: int) -> tuple[c.Job, int]:
    """Delete a job with its parameter values, user job and results (unless reviewed).

    The run itself may not: its account goes with the job.
    """
    found = (await jobs.access(conn, me, job_id)).require_control()
    if me.id == found.user_job_id:
        raise Forbidden(f"Job {job_id} cannot be deleted with its own user job's keys")
    await acl.writable(conn, me, found.project_id)
    async with conn.transaction():
        _refuse_reviewed(await _summary(conn, job_id))
        await delete_job_outputs(conn, job_id)
        await delete_row(conn, q.JOB_DELETE, job_id, kind="Job")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=found.job, project_id=found.project_id
        )
    return found.job, command


async def purge(conn: asyncpg.Connection, me: Principal, project_id: int) -> c.Project:
    """Delete the data of every job of a project that has no reviewed result (managers).

    Answers the project, as Cytomine, with its job annotation counter brought down.
    """
    await acl.manageable(conn, me, project_id)
    async with conn.transaction():
        purged = [r["id"] for r in await conn.fetch(q.JOB_PURGEABLE, project_id)]
        for job_id in purged:
            await delete_job_outputs(conn, job_id)
            await conn.execute(q.JOB_UPDATE, job_id, None, None, None, None, None, None, True)
    return await projects.get(conn, me, project_id)


async def log(conn: asyncpg.Connection, me: Principal, job_id: int) -> c.AttachedFile:
    """The job's log file (an attached file named log.out), for members of its project."""
    await jobs.access(conn, me, job_id)
    text = await conn.fetchval(q.JOB_LOG, job_id)
    if text is None:
        raise NotFound("Log of job", job_id)
    return rows.one(text, c.AttachedFile)


__all__ = ["delete_all", "delete_job", "delete_job_outputs", "log", "purge", "summary"]
