"""User jobs: the account each run acts as (Cytomine's UserJob).

A user job is a sec_user with its own API keys, a plain member of its job's project, created
with its job. Members of the project read it; its keys are shown only to the account itself,
its launcher and admins.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, jobs
from server.principal import Principal


class VisibleUserJob(c.UserJob, kw_only=True):
    """A user job as a caller sees it: the keys are null for other people.

    The catalog types the keys as always present (Cytomine shows them to every reader); here
    they are widened on purpose, so the override is not the base field's type.
    """

    public_key: str | None = msgspec.field(default=None, name="publicKey")  # type: ignore[assignment]
    private_key: str | None = msgspec.field(default=None, name="privateKey")  # type: ignore[assignment]


class UserJobItem(msgspec.Struct, kw_only=True):
    """One run in a project's user job listing (Cytomine's light user job item)."""

    id: int
    id_job: int = msgspec.field(name="idJob")
    id_software: int = msgspec.field(name="idSoftware")
    id_project: int = msgspec.field(name="idProject")
    software_name: str = msgspec.field(name="softwareName")
    software_full_name: str = msgspec.field(name="softwareFullName")
    created: str
    algo: bool
    is_deleted: bool = msgspec.field(name="isDeleted")
    status: int
    number: int
    username: str
    human_username: str | None = msgspec.field(default=None, name="humanUsername")
    user: int | None = None
    job: int


async def get(conn: asyncpg.Connection, me: Principal, user_job_id: int) -> VisibleUserJob:
    """One user job of a project the caller reads."""
    row = await conn.fetchrow(q.USER_JOB_BY_ID, user_job_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("UserJob", user_job_id)
    if not row["can_read"]:
        raise Forbidden(f"You don't have the right to read or modify project {row['project_id']}")
    return rows.one(row["obj"], VisibleUserJob)


async def list_by_project(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    params: ListParams,
    image_id: int | None,
) -> Page[UserJobItem]:
    """Runs of a project (optionally those with annotations on an image), newest first."""
    await acl.readable(conn, me, project_id)
    if params.sort is None:
        params = msgspec.structs.replace(params, order=params.order or "desc")
    return await fetch_page(
        conn, q.USER_JOB_LIST_BY_PROJECT, params, UserJobItem, project_id, image_id
    )


async def tree_by_project(
    conn: asyncpg.Connection, me: Principal, project_id: int, image_id: int | None
) -> msgspec.Raw:
    """Runs of a project as a project > software > run tree."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.USER_JOB_TREE_BY_PROJECT, project_id, image_id)
    return msgspec.Raw(text.encode())


async def create(
    conn: asyncpg.Connection, me: Principal, wanted: int | c.JobInput
) -> VisibleUserJob:
    """The user job of a job: a job id answers the job's own; a job to create first creates
    it (Cytomine's two ways of asking for a run account)."""
    job_id = wanted if isinstance(wanted, int) else (await jobs.create(conn, me, wanted))[0].id
    found = (await jobs.access(conn, me, job_id)).require_control()
    assert found.user_job_id is not None
    return await get(conn, me, found.user_job_id)


__all__ = ["UserJobItem", "VisibleUserJob", "create", "get", "list_by_project", "tree_by_project"]
