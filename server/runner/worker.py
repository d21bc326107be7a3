"""The job runner: takes queued jobs from PostgreSQL and runs them through a ``Launcher``.

Each round it fails the jobs of runners that died, removes the files of deleted job data,
then takes queued jobs (up to its concurrency) on the connection it keeps for its whole life
(where it also listens for newly queued jobs), and supervises each run: a deadline (FAILED
when passed), kill requests (KILLED), the process's end (SUCCESS on exit code 0, FAILED
otherwise; what the algorithm reported meanwhile wins when its exit agrees, see ``settle``).
The run's stdout and stderr are kept as job data before the job takes its final status, and
its working directory is removed. Any number of runners (server processes, ``lamina worker``
processes) share one queue.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
from pathlib import Path

import anyio
import asyncpg
import msgspec
from anyio.abc import TaskGroup

from contracts.errors import Invalid
from server.db.pool import UNAVAILABLE, connection
from server.db.store import job_data, job_runs
from server.db.store.jobs import FAILED, INDETERMINATE, KILLED, SUCCESS
from server.runner import command
from server.runner.launcher import ChildProcessLauncher, Launch, Launcher, Running
from server.settings import Settings

log = logging.getLogger("lamina.runner")

# Variables a job inherits from the runner; nothing else (no LAMINA_* database URL) leaks.
_INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")
OUTPUTS = (("stdout", "stdout.log"), ("stderr", "stderr.log"))
_POOL_WAIT_SECONDS = 30.0
QUEUE_CHANNEL = "lamina_job_queue"


class RunnerConfig(msgspec.Struct, frozen=True, kw_only=True):
    """What a runner needs, from the settings."""

    database_url: str
    host: str
    storage_root: Path
    work_root: Path
    concurrency: int = 2
    timeout: float = 3600.0
    poll: float = 1.0
    max_output_bytes: int = 512 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> RunnerConfig:
        """The runner part of the server settings (which must name a database)."""
        if not settings.database_url:
            raise ValueError("settings.database_url is required")
        return cls(
            database_url=settings.database_url,
            host=(settings.runner_host or settings.base_url).rstrip("/"),
            storage_root=Path(settings.storage_dir).resolve(),
            work_root=Path(settings.runner_dir).resolve(),
            concurrency=max(1, settings.runner_concurrency),
            timeout=settings.runner_timeout_seconds,
            poll=settings.runner_poll_seconds,
            max_output_bytes=settings.job_data_max_bytes,
        )


class Outcome(msgspec.Struct, frozen=True):
    """How a run ended: the job's final status and its comment; ``imposed`` when the runner
    ended it (kill, time limit, no start) rather than the process by exiting."""

    status: int
    comment: str
    imposed: bool = True


def _exit_outcome(code: int) -> Outcome:
    if code == 0:
        return Outcome(SUCCESS, "The process ended normally", imposed=False)
    if code < 0:
        return Outcome(FAILED, f"The process was stopped by signal {-code}", False)
    return Outcome(FAILED, f"The process ended with exit code {code}", imposed=False)


_REPORTED_FAILURES = (FAILED, INDETERMINATE, KILLED)


def settle(outcome: Outcome, report: job_runs.Report) -> Outcome:
    """The final status: the runner's when it stopped the run; else what the algorithm
    reported (CytomineJob's SUCCESS or FAILED and comment) when its exit agrees."""
    if outcome.imposed or report.status is None:
        return outcome
    if outcome.status == SUCCESS or report.status in _REPORTED_FAILURES:
        return Outcome(report.status, report.comment or outcome.comment, imposed=False)
    return outcome


def environment(info: job_runs.LaunchInfo, host: str) -> dict[str, str]:
    """The variables of a job: a few inherited ones, the server's address and its keys."""
    env = {k: os.environ[k] for k in _INHERITED if k in os.environ}
    env.update(
        CYTOMINE_HOST=host,
        CYTOMINE_PUBLIC_KEY=info.public_key or "",
        CYTOMINE_PRIVATE_KEY=info.private_key or "",
        CYTOMINE_ID_PROJECT=str(info.project_id),
        CYTOMINE_ID_SOFTWARE=str(info.software_id),
        CYTOMINE_ID_JOB=str(info.job_id),
    )
    return env


def argv(info: job_runs.LaunchInfo, host: str) -> list[str]:
    """The job's command line (Invalid when the software has none that can be read)."""
    server = {
        "cytomine_host": host,
        "cytomine_public_key": info.public_key or "",
        "cytomine_private_key": info.private_key or "",
        "cytomine_id_project": str(info.project_id),
        "cytomine_id_software": str(info.software_id),
        "cytomine_id_job": str(info.job_id),
    }
    return command.build(info.command or "", info.inputs, server)


async def _end(conn: asyncpg.Connection, job_id: int, outcome: Outcome) -> None:
    """Take the run out of the queue and give its job the settled final status."""
    async with conn.transaction():
        report = await job_runs.end(conn, job_id)
        if report is not None:
            final = settle(outcome, report)
            await job_runs.set_final(conn, job_id, final.status, final.comment)


class Runner:
    """Runs queued jobs until cancelled."""

    def __init__(
        self, config: RunnerConfig, pool: asyncpg.Pool, launcher: Launcher | None = None
    ) -> None:
        self.config = config
        self.pool = pool
        self.launcher: Launcher = launcher or ChildProcessLauncher()
        self.label = f"{socket.gethostname()}:{os.getpid()}"
        self._lease: asyncpg.Connection | None = None
        self._running: set[int] = set()
        self._wake = anyio.Event()

    async def run(self) -> None:
        """Rounds every ``poll`` seconds (sooner when a job is queued or a run ends) until
        cancelled."""
        try:
            async with anyio.create_task_group() as tg:
                while True:
                    try:
                        await self.round(tg)
                    except UNAVAILABLE as exc:
                        log.warning("runner %s: database unavailable: %s", self.label, exc)
                        await self._drop_lease()
                    except Exception:  # noqa: BLE001 - one bad round must not stop the runner
                        log.exception("runner %s: round failed", self.label)
                    with anyio.move_on_after(self.config.poll):
                        await self._wake.wait()
                    self._wake = anyio.Event()
        finally:
            with anyio.CancelScope(shield=True):
                await self._drop_lease()

    async def _drop_lease(self) -> None:
        if self._lease is not None:
            lease, self._lease = self._lease, None
            await lease.close(timeout=5)

    async def _lease_conn(self) -> asyncpg.Connection:
        if self._lease is None or self._lease.is_closed():
            self._lease = await asyncpg.connect(self.config.database_url)
            # Woken at once when a job is queued; the poll interval is the fallback.
            await self._lease.add_listener(QUEUE_CHANNEL, self._queued)
        return self._lease

    def _queued(self, *_: object) -> None:
        self._wake.set()

    async def round(self, tg: TaskGroup) -> None:
        """Fail the runs of dead runners, remove the files of deleted job data, then take
        queued jobs while slots are free."""
        async with connection(self.pool, _POOL_WAIT_SECONDS) as conn:
            for lost in await job_runs.recover(conn):
                log.warning("job %s failed: its runner %s stopped", lost.job_id, lost.runner)
                await self._keep_outputs(conn, lost.job_id)
                await self._clean(lost.job_id)
            await job_data.remove_deleted_files(conn, self.config.storage_root)
        while len(self._running) < self.config.concurrency:
            claimed = await job_runs.claim(await self._lease_conn(), self.label)
            if claimed is None:
                return
            self._running.add(claimed.job_id)
            tg.start_soon(self._supervise, claimed)

    async def _supervise(self, claimed: job_runs.Claimed) -> None:
        """Run one job to its end, whatever happens (a shutdown ends it FAILED)."""
        job_id = claimed.job_id
        outcome: Outcome | None = Outcome(FAILED, "The runner stopped")
        try:
            outcome = await self._execute(claimed)
        finally:
            with anyio.CancelScope(shield=True):
                try:
                    async with connection(self.pool, _POOL_WAIT_SECONDS) as conn:
                        await self._keep_outputs(conn, job_id)
                        if outcome is not None:
                            await _end(conn, job_id, outcome)
                finally:
                    await self._clean(job_id)
                    self._running.discard(job_id)
                    self._wake.set()

    async def _execute(self, claimed: job_runs.Claimed) -> Outcome | None:
        """Start the job and watch it; None when its run was taken away (job deleted)."""
        if not claimed.runnable:
            return Outcome(FAILED, "The job left the queue before it started")
        async with connection(self.pool, _POOL_WAIT_SECONDS) as conn:
            info = await job_runs.launch_info(conn, claimed.job_id)
        if info is None:
            return None
        try:
            launch = self._launch(info)
        except Invalid as exc:
            return Outcome(FAILED, exc.message)
        try:
            running = await self.launcher.start(launch)
        except OSError as exc:
            return Outcome(FAILED, f"The command could not start: {exc.strerror or exc}")
        try:
            return await self._watch(claimed.job_id, running)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await running.kill()
            raise

    def _folder(self, job_id: int) -> Path:
        return self.config.work_root / str(job_id)

    def _launch(self, info: job_runs.LaunchInfo) -> Launch:
        folder = self._folder(info.job_id)
        shutil.rmtree(folder, ignore_errors=True)
        return Launch(
            argv=tuple(argv(info, self.config.host)),
            env=environment(info, self.config.host),
            workdir=folder / "work",
            stdout=folder / OUTPUTS[0][1],
            stderr=folder / OUTPUTS[1][1],
        )

    async def _watch(self, job_id: int, running: Running) -> Outcome | None:
        """Wait for the end, the deadline or a kill request, whichever comes first."""
        deadline = time.monotonic() + self.config.timeout
        while True:
            left = deadline - time.monotonic()
            code = await running.wait(max(0.0, min(self.config.poll, left)))
            if code is not None:
                return _exit_outcome(code)
            if time.monotonic() >= deadline:
                await running.kill()
                return Outcome(
                    FAILED, f"The job passed the time limit of {self.config.timeout:g} s"
                )
            async with connection(self.pool, _POOL_WAIT_SECONDS) as conn:
                wanted = await job_runs.kill_requested(conn, job_id)
            if wanted is None or wanted:
                await running.kill()
                return None if wanted is None else Outcome(KILLED, "Killed on request")

    async def _keep_outputs(self, conn: asyncpg.Connection, job_id: int) -> None:
        """Keep the run's stdout and stderr (when there are any here) as job data."""
        folder = self._folder(job_id)
        for key, name in OUTPUTS:
            path = folder / name
            if await anyio.Path(path).is_file():
                await job_data.keep_output(
                    conn, job_id, key, path, self.config.storage_root, self.config.max_output_bytes
                )

    async def _clean(self, job_id: int) -> None:
        folder = self._folder(job_id)
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))


__all__ = ["OUTPUTS", "Outcome", "Runner", "RunnerConfig", "argv", "environment", "settle"]
