"""Running jobs: ``execute`` queues a job for the runner, ``kill`` stops it.

Cytomine chose a processing server per launch; Lamina's runners share one queue, so the
processing server a route names is accepted and not used.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath

from contracts import _generated as c
from server.db.store import job_runs
from server.http.deps import Conn, Me


class JobRunController(Controller):
    """Execute and kill jobs (writers of the job's project)."""

    path = "/api/job"
    tags = ["Job"]

    @post("/{job_id:int}/execute", status_code=200)
    async def execute(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """Queue the job (INQUEUE); a runner takes it and runs its software's command."""
        return await job_runs.execute(conn, me, job_id)

    @get("/{job_id:int}/execute")
    async def execute_by_get(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """GET alias of execute."""
        return await job_runs.execute(conn, me, job_id)

    @post("/{job_id:int}/processing_server/{processing_server_id:int}/execute", status_code=200)
    async def execute_on(
        self, conn: Conn, me: Me, job_id: FromPath[int], processing_server_id: FromPath[int]
    ) -> c.Job:
        """Execute on a named processing server: every runner serves the one queue."""
        return await job_runs.execute(conn, me, job_id)

    @get("/{job_id:int}/processing_server/{processing_server_id:int}/execute")
    async def execute_on_by_get(
        self, conn: Conn, me: Me, job_id: FromPath[int], processing_server_id: FromPath[int]
    ) -> c.Job:
        """GET alias of execute on a processing server."""
        return await job_runs.execute(conn, me, job_id)

    @post("/{job_id:int}/kill", status_code=200)
    async def kill(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """Stop the job: KILLED at once when queued, once its runner stopped it when running."""
        return await job_runs.kill(conn, me, job_id)

    @get("/{job_id:int}/kill")
    async def kill_by_get(self, conn: Conn, me: Me, job_id: FromPath[int]) -> c.Job:
        """GET alias of kill."""
        return await job_runs.kill(conn, me, job_id)


ROUTES = [JobRunController]
