"""Benchmark the job runner: taking jobs from the queue, and a run's overhead end to end.

    python -m tests.bench.job_runner [--queued 2000] [--runs 20]

It starts a private PostGIS cluster in a temporary directory and reports:
- the time one ``claim`` takes (the SKIP LOCKED statement on the runner's own connection)
  with ``--queued`` jobs waiting, median and p95 over 200 claims;
- for a job whose command is ``true``, queued at a random moment of the runner's poll cycle:
  the wait until a runner takes it (the queue's NOTIFY wakes runners; the poll interval is
  only the fallback) and the run's own overhead until SUCCESS (start, exit, outputs kept,
  final status), medians over ``--runs`` jobs, for two poll intervals.
The machine is shared and noisy: compare the medians, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg

from server.db import queries as q
from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.pool import init_connection
from server.db.store import job_runs
from server.db.store.accounts import create_account
from server.runner.worker import Runner, RunnerConfig

TRUE = shutil.which("true") or "/bin/true"


async def _jobs(conn: asyncpg.Connection, count: int, command: str) -> list[int]:
    """``count`` jobs of a software running ``command``, in a new project."""
    owner = await create_account(conn, username=f"bench{time.monotonic_ns()}", rank=2)
    project = await conn.fetchval(
        "INSERT INTO project (name) VALUES ($1) RETURNING id", f"bench {time.monotonic_ns()}"
    )
    software = await conn.fetchval(
        "INSERT INTO software (name, execute_command) VALUES ($1, $2) RETURNING id",
        f"bench {time.monotonic_ns()}",
        command,
    )
    made = await conn.fetch(
        "INSERT INTO job (project_id, software_id) SELECT $1, $2 FROM generate_series(1, $3)"
        " RETURNING id",
        project,
        software,
        count,
    )
    ids = [int(r["id"]) for r in made]
    for job in ids:
        await conn.execute("SELECT user_job_create($1, $2)", job, owner.id)
    return ids


async def claims(url: str, queued: int) -> list[float]:
    """Milliseconds per claim with ``queued`` jobs waiting."""
    conn = await asyncpg.connect(url)
    try:
        for job in await _jobs(conn, queued, TRUE):
            await conn.fetchval(q.JOB_RUN_ENQUEUE, job)
        timings = []
        for _ in range(200):
            start = time.perf_counter()
            await job_runs.claim(conn, "bench:1")
            timings.append((time.perf_counter() - start) * 1000)
        await conn.execute("DELETE FROM job_run")
        return timings
    finally:
        await conn.close()


async def runs(url: str, root: Path, count: int, poll: float) -> tuple[list[float], list[float]]:
    """Seconds from queued to RUNNING (taken) and from RUNNING to SUCCESS for ``count`` jobs
    run one after the other, each queued at a random moment of the runner's poll cycle."""
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4, init=init_connection)
    assert pool is not None
    config = RunnerConfig(
        database_url=url,
        host="http://127.0.0.1:9",
        storage_root=root / "files",
        work_root=root / "runs",
        concurrency=1,
        poll=poll,
    )
    task = asyncio.create_task(Runner(config, pool).run())
    taken, ran = [], []
    try:
        async with pool.acquire() as conn:
            for job in await _jobs(conn, count, TRUE):  # type: ignore[arg-type]
                await asyncio.sleep(random.uniform(0, poll))
                start = time.perf_counter()
                await conn.fetchval(q.JOB_RUN_ENQUEUE, job)
                status = 1
                while status != 3:
                    status = await conn.fetchval("SELECT status FROM job WHERE id = $1", job)
                    if status == 2 and len(taken) < len(ran) + 1:
                        taken.append(time.perf_counter() - start)
                    await asyncio.sleep(0.002)
                ran.append(time.perf_counter() - start - taken[-1])
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await pool.close()
    return taken, ran


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms"


def main() -> None:
    """Start the cluster, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queued", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="lamina-bench-runner-"))
    cluster = Cluster(root / "db", fast_unsafe=True)
    url = cluster.ensure()
    try:
        asyncio.run(migrate_url(url))
        timings = asyncio.run(claims(url, args.queued))
        print(f"claim with {args.queued} queued: {_ms(timings)}")
        for poll in (0.2, 1.0):
            taken, ran = asyncio.run(runs(url, root, args.runs, poll))
            print(
                f"poll {poll:g} s: queued -> RUNNING median {statistics.median(taken) * 1000:.0f}"
                f" ms, RUNNING -> SUCCESS of `true` median {statistics.median(ran) * 1000:.0f} ms"
            )
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
