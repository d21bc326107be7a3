"""Where runners live: inside each server process (the lifespan) or in ``lamina worker``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from server.background import in_background
from server.db.pool import init_connection
from server.runner.worker import Runner, RunnerConfig
from server.settings import Settings


@asynccontextmanager
async def job_runner(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[None]:
    """Run queued jobs in this server process while it serves (unless ``runner`` is off)."""
    if not settings.runner:
        yield
        return
    runner = Runner(RunnerConfig.from_settings(settings), pool)
    async with in_background(runner.run(), "job-runner"):
        yield


async def run_worker(settings: Settings) -> None:
    """Run queued jobs until cancelled, with a pool of our own (``lamina worker``)."""
    config = RunnerConfig.from_settings(settings)
    pool = await asyncpg.create_pool(
        config.database_url,
        min_size=1,
        max_size=max(2, config.concurrency + 1),
        init=init_connection,
    )
    try:
        await Runner(config, pool).run()
    finally:
        await pool.close()


__all__ = ["job_runner", "run_worker"]
