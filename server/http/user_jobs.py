"""User jobs (``/api/userJob…``, ``/api/project/{id}/userjob``): the accounts runs act as."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid
from server.db.store import user_jobs
from server.db.store.user_jobs import UserJobItem, VisibleUserJob
from server.http.deps import Conn, Lists, Me
from server.params import flag


class CreatedUserJob(msgspec.Struct, kw_only=True):
    """Answer of ``POST /api/userJob.json``."""

    user_job: VisibleUserJob = msgspec.field(name="userJob")


def _wanted(body: dict[str, Any]) -> int | c.JobInput:
    """The job a user job is asked for: ``{job}`` names it, ``{software, project}`` asks
    for a new one."""
    job_id = body.get("job")
    if job_id is not None:
        if not isinstance(job_id, int) or isinstance(job_id, bool):
            raise Invalid(f"job must be an id, not {job_id!r}", {"job": job_id})
        return job_id
    if body.get("software") is None or body.get("project") is None:
        raise Invalid("Missing required field(s): job, or software and project")
    try:
        return msgspec.convert(body, c.JobInput, strict=False)
    except msgspec.ValidationError as exc:
        raise Invalid(f"Bad user job request: {exc}") from exc


class UserJobController(Controller):
    """User jobs: one non-human account per job, with its own API keys."""

    path = "/api"
    tags = ["User job"]

    @post("/userJob", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[dict[str, Any]]) -> CreatedUserJob:
        """The user job of a job: body {job} or {software, project} (which creates the job)."""
        return CreatedUserJob(user_job=await user_jobs.create(conn, me, _wanted(data)))

    @get("/userJob/{user_job_id:int}")
    async def show(self, conn: Conn, me: Me, user_job_id: FromPath[int]) -> VisibleUserJob:
        """One user job (keys for itself, its launcher and admins)."""
        return await user_jobs.get(conn, me, user_job_id)

    @get("/project/{project_id:int}/userjob")
    async def by_project(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        list_params: Lists,
        tree: FromQuery[str | None] = None,
        image: FromQuery[int | None] = None,
    ) -> Page[UserJobItem] | msgspec.Raw:
        """Runs of a project; tree=true groups them by software; image keeps those on it."""
        if flag(tree, name="tree"):
            return await user_jobs.tree_by_project(conn, me, project_id, image)
        return await user_jobs.list_by_project(conn, me, project_id, list_params, image)


ROUTES: list[Any] = [UserJobController]

__all__ = ["ROUTES"]
