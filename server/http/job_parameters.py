"""Job parameter values (``/api/jobparameter…``, ``/api/job/{id}/parameter``)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from server.db.store import job_parameters
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me

Scalar = str | int | float | bool


def parameter_text(value: Scalar | None) -> str | None:
    """A parameter value as stored: clients send numbers and booleans as JSON (Cytomine keeps
    their text, booleans as ``true``/``false``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class JobParameterBody(msgspec.Struct, kw_only=True):
    """A job parameter value as clients send it (the value may be any JSON scalar)."""

    job: int | None = None
    software_parameter: int | None = msgspec.field(default=None, name="softwareParameter")
    value: Scalar | None = None

    def as_input(self) -> c.JobParameterInput:
        """The contract input, with the value as text."""
        return c.JobParameterInput(
            job=self.job,
            software_parameter=self.software_parameter,
            value=parameter_text(self.value),
        )


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
        data: JSONBody[JobParameterBody | list[JobParameterBody]],
    ) -> c.JobParameterEnvelope | BulkResult:
        """Set a value: body {job, softwareParameter, value}; an array sets many."""
        if isinstance(data, list):
            return await job_parameters.create_many(conn, me, [d.as_input() for d in data])
        obj, command = await job_parameters.create(conn, me, data.as_input())
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
        data: JSONBody[JobParameterBody],
    ) -> c.JobParameterEnvelope:
        """Change a value (those who control the job)."""
        obj, command = await job_parameters.update(conn, me, parameter_id, data.as_input())
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
