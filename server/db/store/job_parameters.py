"""Job parameter values: what a run was given for each parameter of its software.

Members of the job's project read them; those who control the job (its launcher, its user
job, managers, admins) set and change them. The database checks that the parameter belongs to
the job's software.
"""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from contracts.errors import Conflict, Invalid, NotFound
from server.auth.principal import Principal
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import arrays, jobs
from server.db.store.commands import record


async def list_visible(
    conn: asyncpg.Connection, me: Principal, params: ListParams, job_id: int | None = None
) -> Page[c.JobParameter]:
    """Values of the jobs the caller reads, or of one job."""
    if job_id is not None:
        await jobs.access(conn, me, job_id)
    return await fetch_page(
        conn,
        q.JOB_PARAMETER_LIST,
        params,
        c.JobParameter,
        job_id,
        me.id,
        me.is_admin,
        default_sort="index",
    )


async def _find(conn: asyncpg.Connection, parameter_id: int) -> c.JobParameter:
    text = await conn.fetchval(q.JOB_PARAMETER_BY_ID, parameter_id)
    if text is None:
        raise NotFound("JobParameter", parameter_id)
    return rows.one(text, c.JobParameter)


async def get(conn: asyncpg.Connection, me: Principal, parameter_id: int) -> c.JobParameter:
    """One value of a job the caller reads."""
    found = await _find(conn, parameter_id)
    assert found.job is not None
    await jobs.access(conn, me, found.job)
    return found


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.JobParameterInput
) -> tuple[c.JobParameter, int]:
    """Set the value of a software parameter for a job the caller controls."""
    given = {"job": body.job, "softwareParameter": body.software_parameter}
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.job is not None and body.software_parameter is not None
    owner = (await jobs.access(conn, me, body.job)).require_control()
    async with conn.transaction():
        try:
            new_id = await conn.fetchval(
                q.JOB_PARAMETER_INSERT, body.job, body.software_parameter, body.value
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"Job {body.job} already has a value for parameter {body.software_parameter}"
            ) from exc
        except (asyncpg.CheckViolationError, asyncpg.ForeignKeyViolationError) as exc:
            raise Invalid(
                f"Software parameter {body.software_parameter} is not a parameter of the "
                f"software of job {body.job}",
                {"softwareParameter": body.software_parameter},
            ) from exc
        made = await _find(conn, new_id)
        command = await record(
            conn, user_id=me.id, action="ADD", obj=made, project_id=owner.project_id
        )
    return made, command


async def create_many(
    conn: asyncpg.Connection, me: Principal, bodies: list[c.JobParameterInput]
) -> BulkResult:
    """Set every value of an array, or none when one is refused (status inside the answer)."""
    return await arrays.create_all(conn, me, bodies, create, "jobparameters")


async def update(
    conn: asyncpg.Connection, me: Principal, parameter_id: int, body: c.JobParameterInput
) -> tuple[c.JobParameter, int]:
    """Change a value (only the value: its job and parameter stay)."""
    current = await get(conn, me, parameter_id)
    assert current.job is not None
    owner = (await jobs.access(conn, me, current.job)).require_control()
    for name, given, kept in (
        ("job", body.job, current.job),
        ("softwareParameter", body.software_parameter, current.software_parameter),
    ):
        if given is not None and given != kept:
            raise Invalid(f"The {name} of a job parameter cannot change", {name: given})
    async with conn.transaction():
        await conn.execute(q.JOB_PARAMETER_UPDATE, parameter_id, body.value)
        changed = await _find(conn, parameter_id)
        command = await record(
            conn,
            user_id=me.id,
            action="EDIT",
            obj=changed,
            project_id=owner.project_id,
            previous=current,
        )
    return changed, command


async def delete(
    conn: asyncpg.Connection, me: Principal, parameter_id: int
) -> tuple[c.JobParameter, int]:
    """Remove a value of a job the caller controls."""
    current = await get(conn, me, parameter_id)
    assert current.job is not None
    owner = (await jobs.access(conn, me, current.job)).require_control()
    async with conn.transaction():
        await conn.execute(q.JOB_PARAMETER_DELETE, parameter_id)
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=current, project_id=owner.project_id
        )
    return current, command


__all__ = ["create", "create_many", "delete", "get", "list_visible", "update"]
