"""User jobs (``/api/userJob…``, ``/api/project/{id}/userjob``): the accounts runs act as."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from contracts.envelopes import Page
from server.db.store import user_jobs
from server.db.store.user_jobs import UserJobItem, VisibleUserJob
from server.http.deps import Conn, Lists, Me
from server.params import flag


class CreatedUserJob(msgspec.Struct, kw_only=True):
    """Answer of ``POST /api/userJob.json``."""

    user_job: VisibleUserJob = msgspec.field(name="userJob")


class UserJobController(Controller):
    """User jobs: one non-human account per job, with its own API keys."""

    path = "/api"
    tags = ["User job"]

    @post("/userJob", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[dict[str, Any]]) -> CreatedUserJob:
        """The user job of a job: body {job} or {software, project} (which creates the job)."""
        return CreatedUserJob(user_job=await user_jobs.create(conn, me, data))

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
