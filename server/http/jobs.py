"""Jobs (``/api/job…``): runs of a software in a project, their life cycle and their results."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, HttpMethod, delete, get, post, put, route
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import job_data, job_outputs, jobs
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.http.job_parameters import Scalar, parameter_text
from server.params import flag, ids

_GET_OR_POST = [HttpMethod.GET, HttpMethod.POST]


class ParameterValue(msgspec.Struct, kw_only=True):
    """One ``params`` item of a job creation: a software parameter and its value."""

    software_parameter: int = msgspec.field(name="softwareParameter")
    value: Scalar | None = None


class JobCreate(c.JobInput, kw_only=True):
    """A job creation body: the job's fields plus Cytomine's ``params`` values."""

    params: list[ParameterValue] | None = None


class Favorite(msgspec.Struct, kw_only=True):
    """Body of ``favorite.json``."""

    favorite: bool


class JobController(Controller):
    """Jobs: one run of a software in a project, acting as its own user job."""

    path = "/api"
    tags = ["Job"]

    @get("/job")
    async def list_all(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        software: FromQuery[str | None] = None,
        project: FromQuery[str | None] = None,
        light: FromQuery[str | None] = None,
        with_parameters: Annotated[str | None, QueryParameter(name="withJobParameters")] = None,
        with_user: Annotated[str | None, QueryParameter(name="withUser")] = None,
    ) -> Page[c.Job]:
        """Jobs of the readable projects, by software and/or project ids (comma lists)."""
        return await jobs.list_jobs(
            conn,
            me,
            list_params,
            software_ids=ids(software, name="software"),
            project_ids=ids(project, name="project"),
            with_parameters=flag(with_parameters, default=True) and not flag(light),
            with_user=flag(with_user, default=True),
        )

    @post("/job", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[JobCreate]) -> c.JobEnvelope:
        """Create a job and its user job: body {software, project, params: [...]}."""
        values = [(p.software_parameter, parameter_text(p.value)) for p in data.params or []]
        obj, command = await jobs.create(conn, me, data, values)
        return envelope(c.JobEnvelope, obj, action="ADD", command=command)

    @get("/job/{job_id:int}")
    async def show(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """One job."""
        return await jobs.get(conn, me, job_id)

    @put("/job/{job_id:int}")
    async def update(
        self, conn: Conn, me: Me, job_id: FromPath[int], data: JSONBody[c.JobInput]
    ) -> c.JobEnvelope:
        """Change status, progress, comment or rate (launcher, its user job, managers)."""
        obj, command = await jobs.update(conn, me, job_id, data)
        return envelope(c.JobEnvelope, obj, action="EDIT", command=command)

    @delete("/job/{job_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, runtime: RuntimeDep, job_id: FromPath[int]
    ) -> c.JobEnvelope:
        """Delete a job with its parameters, user job, annotations (none reviewed) and data."""
        obj, command = await job_outputs.delete_job(conn, me, job_id)
        await job_data.remove_deleted_files(conn, runtime.storage_root)
        return envelope(c.JobEnvelope, obj, action="DELETE", command=command)

    @get("/job/{job_id:int}/alldata")
    async def all_data(self, conn: Conn, me: Me, job_id: FromPath[int]) -> dict[str, int]:
        """Counts of what deleting the job's data would remove: the dry run."""
        return await job_outputs.summary(conn, me, job_id)

    @delete("/job/{job_id:int}/alldata", status_code=200)
    async def delete_all_data(
        self, conn: Conn, me: Me, runtime: RuntimeDep, job_id: FromPath[int]
    ) -> dict[str, str]:
        """Delete everything the job produced (managers), refused when some was reviewed."""
        done = await job_outputs.delete_all(conn, me, job_id)
        await job_data.remove_deleted_files(conn, runtime.storage_root)
        return done

    @post("/job/{job_id:int}/copy", status_code=200)
    async def copy(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.JobEnvelope:
        """A new job with the same software, project and parameter values."""
        obj, command = await jobs.copy(conn, me, job_id)
        return envelope(c.JobEnvelope, obj, action="ADD", command=command)

    @post("/job/{job_id:int}/favorite", status_code=200)
    async def favorite(
        self, conn: Conn, me: Me, job_id: FromPath[int], data: JSONBody[Favorite]
    ) -> c.Job:
        """Mark or unmark the job as favourite."""
        return await jobs.set_favorite(conn, me, job_id, data.favorite)

    @get("/job/{job_id:int}/log")
    async def log(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.AttachedFile:
        """The job's log file (an attached file)."""
        return await job_outputs.log(conn, me, job_id)

    @route("/project/{project_id:int}/job/purge", http_method=_GET_OR_POST, status_code=200)
    async def purge(
        self, conn: Conn, me: Me, runtime: RuntimeDep, project_id: FromPath[int]
    ) -> c.Project:
        """Delete the data of the project's jobs that have no reviewed result (managers)."""
        purged = await job_outputs.purge(conn, me, project_id)
        await job_data.remove_deleted_files(conn, runtime.storage_root)
        return purged

    @get("/project/{project_id:int}/bounds/job")
    async def bounds(self, conn: Conn, me: Me, project_id: FromPath[int]) -> msgspec.Raw:
        """Value ranges of the project's jobs, for the list filters."""
        return await jobs.bounds(conn, me, project_id)


ROUTES: list[Any] = [JobController]

__all__ = ["ROUTES"]
