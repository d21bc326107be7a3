"""Job parameter values (``/api/jobparameter…``, ``/api/job/{id}/parameter``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from server.db.store import job_parameters
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


class JobParameterController(Controller):
    """The values a job was given for its software's parameters."""

    path = "/api"
    tags = ["Job parameter"]

    @get("/jobparameter")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.JobParameter]:
        """Values of every job the caller reads."""
        return await job_parameters.list_visible(conn, me, list_params)

    @post("/jobparameter", status_code=200)
    async def create(
        self,
        conn: Conn,
        me: Me,
        data: JSONBody[c.JobParameterInput | list[c.JobParameterInput]],
    ) -> c.JobParameterEnvelope | BulkResult:
        """Set a value: body {job, softwareParameter, value}; an array sets many."""
        if isinstance(data, list):
            return await job_parameters.create_many(conn, me, data)
        obj, command = await job_parameters.create(conn, me, data)
        return envelope(c.JobParameterEnvelope, obj, action="ADD", command=command)

    @get("/jobparameter/{parameter_id:int}")
    async def show(self, conn: Conn, me: Me, parameter_id: FromPath[int]) -> c.JobParameter:
        """One value."""
        return await job_parameters.get(conn, me, parameter_id)

    @put("/jobparameter/{parameter_id:int}")
    async def update(
        self,
        conn: Conn,
        me: Me,
        parameter_id: FromPath[int],
        data: JSONBody[c.JobParameterInput],
    ) -> c.JobParameterEnvelope:
        """Change a value (those who control the job)."""
        obj, command = await job_parameters.update(conn, me, parameter_id, data)
        return envelope(c.JobParameterEnvelope, obj, action="EDIT", command=command)

    @delete("/jobparameter/{parameter_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, parameter_id: FromPath[int]
    ) -> c.JobParameterEnvelope:
        """Remove a value (those who control the job)."""
        obj, command = await job_parameters.delete(conn, me, parameter_id)
        return envelope(c.JobParameterEnvelope, obj, action="DELETE", command=command)

    @get("/job/{job_id:int}/parameter")
    async def by_job(
        self, conn: Conn, me: Me, job_id: FromPath[int], list_params: Lists
    ) -> Page[c.JobParameter]:
        """Values of one job."""
        return await job_parameters.list_visible(conn, me, list_params, job_id)


ROUTES: list[Any] = [JobParameterController]

__all__ = ["ROUTES"]
