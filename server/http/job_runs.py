"""Running jobs: ``execute`` queues a job for the runner, ``kill`` stops it.

Cytomine chose a processing server per launch; Lamina's runners share one queue, so the
processing server a launch names is recorded on the job and not used otherwise.
"""

from __future__ import annotations

from litestar import Controller, HttpMethod, route
from litestar.params import FromPath

from contracts import _generated as c
from server.db.store import job_runs, jobs
from server.http.deps import Conn, Me

_GET_OR_POST = [HttpMethod.GET, HttpMethod.POST]


class JobRunController(Controller):
    """Execute and kill jobs (the launcher, the job itself, project managers, admins)."""

    path = "/api/job"
    tags = ["Job"]

    @route("/{job_id:int}/execute", http_method=_GET_OR_POST, status_code=200)
    async def execute(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """Queue the job (INQUEUE); a runner takes it and runs its software's command."""
        return await job_runs.execute(conn, me, job_id)

    @route(
        "/{job_id:int}/processing_server/{server_id:int}/execute",
        http_method=_GET_OR_POST,
        status_code=200,
    )
    async def execute_on(
        self, conn: Conn, me: Me, job_id: FromPath[int], server_id: FromPath[int]
    ) -> c.Job:
        """Queue the job, recording the processing server asked for."""
        await jobs.update(conn, me, job_id, c.JobInput(processing_server=server_id))
        return await job_runs.execute(conn, me, job_id)

    @route("/{job_id:int}/kill", http_method=_GET_OR_POST, status_code=200)
    async def kill(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """Stop the job: KILLED at once unless running, once its runner stopped it if so."""
        return await job_runs.kill(conn, me, job_id)


ROUTES = [JobRunController]
