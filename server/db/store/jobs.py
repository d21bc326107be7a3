"""Jobs: runs of a software in a project, each acting through its own user job account.

Members of the job's project read it. Creating one needs a writer of the project (never a
guest) and the software enabled in that project, as Cytomine. The launcher, the job's own user
job, the project's managers and admins control it: status, progress, parameters, execution,
deletion. The status life cycle is enforced by the database (migration 0033); a refused move
is answered 400 with the two statuses named.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, Invalid, NotFound
from server.auth.principal import Principal
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.commands import record

NOT_LAUNCH, INQUEUE, RUNNING, SUCCESS, FAILED, INDETERMINATE, WAIT, PREVIEWED, KILLED = range(9)


class JobAccess(msgspec.Struct, frozen=True, kw_only=True):
    """A job and what the caller may do with it (computed by ``job_access.sql``)."""

    job: c.Job
    project_id: int
    user_job_id: int | None
    can_read: bool
    can_control: bool
    can_manage: bool

    def require_control(self) -> JobAccess:
        """Refuse callers other than the launcher, the user job, managers and admins."""
        if not self.can_control:
            raise Forbidden(
                f"Only the launcher of job {self.job.id} or a manager of project "
                f"{self.project_id} may change it"
            )
        return self

    def require_manage(self) -> JobAccess:
        """Refuse callers that do not administer the job's project."""
        if not self.can_manage:
            raise Forbidden(f"You must be a manager of project {self.project_id}")
        return self


async def access(conn: asyncpg.Connection, me: Principal, job_id: int) -> JobAccess:
    """The job and the caller's rights; 404 when missing, 403 when its project is unreadable."""
    row = await conn.fetchrow(q.JOB_ACCESS, job_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("Job", job_id)
    found = JobAccess(
        job=rows.one(row["obj"], c.Job),
        project_id=row["project_id"],
        user_job_id=row["user_job_id"],
        can_read=row["can_read"],
        can_control=row["can_control"],
        can_manage=row["can_manage"],
    )
    if not found.can_read:
        raise Forbidden(f"You don't have the right to read or modify project {found.project_id}")
    return found


async def get(conn: asyncpg.Connection, me: Principal, job_id: int) -> c.Job:
    """One job of a project the caller reads."""
    return (await access(conn, me, job_id)).job


async def list_jobs(
    conn: asyncpg.Connection,
    me: Principal,
    params: ListParams,
    *,
    software_ids: list[int] | None,
    project_ids: list[int] | None,
    with_parameters: bool,
    with_user: bool,
) -> Page[c.Job]:
    """Jobs of the projects the caller reads, newest first unless sorted otherwise."""
    if params.sort is None:
        params = msgspec.structs.replace(params, order=params.order or "desc")
    return await fetch_page(
        conn,
        q.JOB_LIST,
        params,
        c.Job,
        software_ids or None,
        project_ids or None,
        me.id,
        me.is_admin,
        with_parameters,
        with_user,
    )


def status_refused(exc: asyncpg.CheckViolationError) -> Invalid:
    """The 400 answer to a move the life cycle refuses (the database names both statuses)."""
    detail = exc.args[0] if exc.args else "illegal job status change"
    return Invalid(f"Illegal job status change: {detail}", {"constraint": exc.constraint_name})


async def _offered(conn: asyncpg.Connection, project_id: int, software_id: int) -> None:
    row = await conn.fetchrow(q.JOB_SOFTWARE_OFFERED, project_id, software_id)
    assert row is not None
    if not row["software_exists"]:
        raise Invalid(f"software was not found with id: {software_id}", {"software": software_id})
    if not row["offered"]:
        raise Invalid(
            f"Software {software_id} is not enabled in project {project_id}",
            {"software": software_id, "project": project_id},
        )


async def _add_parameters(
    conn: asyncpg.Connection, job_id: int, values: Sequence[tuple[int, str | None]]
) -> None:
    for parameter_id, value in values:
        try:
            await conn.execute(q.JOB_PARAMETER_INSERT, job_id, parameter_id, value)
        except asyncpg.CheckViolationError as exc:
            raise Invalid(
                f"Software parameter {parameter_id} is not a parameter of this job's software",
                {"softwareParameter": parameter_id},
            ) from exc
        except asyncpg.ForeignKeyViolationError as exc:
            raise Invalid(
                f"Software parameter {parameter_id} does not exist",
                {"softwareParameter": parameter_id},
            ) from exc


async def create(
    conn: asyncpg.Connection,
    me: Principal,
    body: c.JobInput,
    parameters: Sequence[tuple[int, str | None]] = (),
) -> tuple[c.Job, int]:
    """Create a job, not launched, with its user job and the given parameter values."""
    missing = [k for k in ("project", "software") if getattr(body, k) is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.project is not None and body.software is not None
    await acl.writable(conn, me, body.project)
    await _offered(conn, body.project, body.software)
    async with conn.transaction():
        job_id = await conn.fetchval(
            q.JOB_INSERT,
            body.project,
            body.software,
            body.processing_server,
            body.status_comment,
            body.rate,
        )
        await conn.fetchval(q.USER_JOB_CREATE, job_id, me.id)
        await _add_parameters(conn, job_id, parameters)
        made = (await access(conn, me, job_id)).job
        command = await record(conn, user_id=me.id, action="ADD", obj=made, project_id=made.project)
    return made, command


async def update(
    conn: asyncpg.Connection, me: Principal, job_id: int, body: c.JobInput
) -> tuple[c.Job, int]:
    """Change a job's status, progress, comment, rate or flags (those who control it)."""
    current = (await access(conn, me, job_id)).require_control()
    for name in ("project", "software"):
        given = getattr(body, name)
        if given is not None and given != getattr(current.job, name):
            raise Invalid(f"The {name} of a job cannot change", {name: given})
    async with conn.transaction():
        try:
            await conn.execute(
                q.JOB_UPDATE,
                job_id,
                body.status,
                body.progress,
                body.status_comment,
                body.rate,
                body.processing_server,
                body.favorite,
                body.data_deleted,
            )
        except asyncpg.CheckViolationError as exc:
            if exc.constraint_name == "job_status_transition":
                raise status_refused(exc) from exc
            raise
        changed = (await access(conn, me, job_id)).job
        command = await record(
            conn,
            user_id=me.id,
            action="EDIT",
            obj=changed,
            project_id=changed.project,
            previous=current.job,
        )
    return changed, command


async def move(
    conn: asyncpg.Connection, me: Principal, job_id: int, status: int, comment: str
) -> c.Job:
    """Move a job to ``status`` (queue it, kill it) if its life cycle allows."""
    (await access(conn, me, job_id)).require_control()
    try:
        await conn.execute(q.JOB_STATUS_SET, job_id, status, comment)
    except asyncpg.CheckViolationError as exc:
        raise status_refused(exc) from exc
    return (await access(conn, me, job_id)).job


async def set_favorite(
    conn: asyncpg.Connection, me: Principal, job_id: int, favorite: bool
) -> c.Job:
    """Mark or unmark a job as favourite (writers of its project)."""
    found = await access(conn, me, job_id)
    await acl.writable(conn, me, found.project_id)
    await conn.execute(q.JOB_FAVORITE_SET, job_id, favorite)
    return (await access(conn, me, job_id)).job


async def copy(conn: asyncpg.Connection, me: Principal, job_id: int) -> tuple[c.Job, int]:
    """A new job with the same software, project and parameter values (set by users)."""
    original = (await access(conn, me, job_id)).job
    values = [
        (int(p["softwareParameter"]), p.get("value"))
        for p in (original.job_parameters or [])
        if p.get("softwareParameter") is not None
    ]
    body = c.JobInput(project=original.project, software=original.software)
    return await create(conn, me, body, values)


async def bounds(conn: asyncpg.Connection, me: Principal, project_id: int) -> msgspec.Raw:
    """Value ranges of a project's jobs, for the list filters."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.JOB_BOUNDS, project_id)
    return msgspec.Raw(text.encode())


__all__ = [
    "FAILED",
    "INDETERMINATE",
    "INQUEUE",
    "KILLED",
    "NOT_LAUNCH",
    "PREVIEWED",
    "RUNNING",
    "SUCCESS",
    "WAIT",
    "JobAccess",
    "access",
    "bounds",
    "copy",
    "create",
    "get",
    "list_jobs",
    "move",
    "set_favorite",
    "status_refused",
    "update",
]
