"""The job tables enforce the run life cycle, number runs and give each run its account."""

from __future__ import annotations

import asyncpg
import pytest

from server.db.store.accounts import NewAccount

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

NOT_LAUNCH, INQUEUE, RUNNING, SUCCESS, FAILED, INDETERMINATE, WAIT, PREVIEWED, KILLED = range(9)


async def _project_and_software(db: asyncpg.Connection, owner: NewAccount) -> tuple[int, int]:
    project = await db.fetchval(
        "INSERT INTO project (name, creator_id) VALUES ('P', $1) RETURNING id", owner.id
    )
    software = await db.fetchval("INSERT INTO software (name) VALUES ('Detect') RETURNING id")
    return int(project), int(software)


async def _job(db: asyncpg.Connection, project: int, software: int, status: int = 0) -> int:
    return int(
        await db.fetchval(
            "INSERT INTO job (project_id, software_id, status) VALUES ($1, $2, $3) RETURNING id",
            project,
            software,
            status,
        )
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NOT_LAUNCH, INQUEUE),
        (NOT_LAUNCH, RUNNING),
        (INQUEUE, RUNNING),
        (RUNNING, SUCCESS),
        (RUNNING, FAILED),
        (RUNNING, WAIT),
        (WAIT, RUNNING),
        (PREVIEWED, INQUEUE),
        (FAILED, INQUEUE),
        (KILLED, INQUEUE),
        (RUNNING, RUNNING),
    ],
)
async def test_a_job_moves_along_its_life_cycle(
    db: asyncpg.Connection, admin: NewAccount, start: int, end: int
) -> None:
    project, software = await _project_and_software(db, admin)
    job = await _job(db, project, software, start)
    await db.execute("UPDATE job SET status = $2 WHERE id = $1", job, end)
    assert await db.fetchval("SELECT status FROM job WHERE id = $1", job) == end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (SUCCESS, RUNNING),
        (SUCCESS, INQUEUE),
        (FAILED, RUNNING),
        (KILLED, SUCCESS),
        (INDETERMINATE, NOT_LAUNCH),
        (NOT_LAUNCH, SUCCESS),
        (RUNNING, NOT_LAUNCH),
    ],
)
async def test_an_illegal_status_change_is_refused_by_the_database(
    db: asyncpg.Connection, admin: NewAccount, start: int, end: int
) -> None:
    project, software = await _project_and_software(db, admin)
    job = await _job(db, project, software, start)
    with pytest.raises(asyncpg.CheckViolationError) as refused:
        await db.execute("UPDATE job SET status = $2 WHERE id = $1", job, end)
    assert refused.value.constraint_name == "job_status_transition"


async def test_runs_are_numbered_per_software_and_project(
    db: asyncpg.Connection, admin: NewAccount
) -> None:
    project, software = await _project_and_software(db, admin)
    other = await db.fetchval("INSERT INTO software (name) VALUES ('Other') RETURNING id")
    numbers = [
        await db.fetchval("SELECT number FROM job WHERE id = $1", await _job(db, project, soft_id))
        for soft_id in (software, software, other)
    ]
    assert numbers == [1, 2, 1]


async def test_a_user_job_is_a_project_member_with_its_own_keys(
    db: asyncpg.Connection, admin: NewAccount
) -> None:
    project, software = await _project_and_software(db, admin)
    job = await _job(db, project, software)
    account = await db.fetchval("SELECT user_job_create($1, $2)", job, admin.id)
    row = await db.fetchrow(
        "SELECT u.username, u.public_key, u.private_key, r.rank, m.is_manager"
        " FROM sec_user AS u JOIN user_rank AS r ON r.user_id = u.id"
        " JOIN project_member AS m ON m.user_id = u.id AND m.project_id = $2"
        " WHERE u.id = $1",
        account,
        project,
    )
    assert row["username"].startswith(f"JOB[{admin.username} ], ")
    assert row["public_key"] not in (admin.public_key, row["private_key"])
    # An admin's run acts as a plain user of the project.
    assert (row["rank"], row["is_manager"]) == (2, False)
    assert await db.fetchval("SELECT algo FROM api_user WHERE id = $1", account) is True


async def test_deleting_a_job_removes_its_account(
    db: asyncpg.Connection, admin: NewAccount
) -> None:
    project, software = await _project_and_software(db, admin)
    job = await _job(db, project, software)
    account = await db.fetchval("SELECT user_job_create($1, $2)", job, admin.id)
    await db.execute("DELETE FROM job WHERE id = $1", job)
    assert await db.fetchval("SELECT count(*) FROM sec_user WHERE id = $1", account) == 0


async def test_a_job_parameter_must_belong_to_the_jobs_software(
    db: asyncpg.Connection, admin: NewAccount
) -> None:
    project, software = await _project_and_software(db, admin)
    other = await db.fetchval("INSERT INTO software (name) VALUES ('Other') RETURNING id")
    foreign = await db.fetchval(
        "INSERT INTO software_parameter (software_id, name, type) VALUES ($1, 'x', 'Number')"
        " RETURNING id",
        other,
    )
    job = await _job(db, project, software)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(
            "INSERT INTO job_parameter (job_id, software_parameter_id) VALUES ($1, $2)",
            job,
            foreign,
        )


async def test_software_counts_its_runs_by_status(
    db: asyncpg.Connection, admin: NewAccount
) -> None:
    project, software = await _project_and_software(db, admin)
    for status in (NOT_LAUNCH, RUNNING, RUNNING, SUCCESS):
        await _job(db, project, software, status)
    row = await db.fetchrow(
        'SELECT "numberOfJob", "numberOfRunning", "numberOfSuccess", "numberOfFailed"'
        " FROM api_software WHERE id = $1",
        software,
    )
    assert tuple(row) == (4, 2, 1, 0)
