"""The background pass that keeps the overview aggregates within a bounded staleness.

Writes log their aggregate changes (migration 0037); readers flush their own image before
reading, so answers never depend on this pass. It bounds how long the table itself lags:
every ``overview_refresh_seconds`` each worker flushes the images with pending changes.
The state is in PostgreSQL (the log, a per-image advisory lock), so any number of workers
run it side by side, each skipping the images another is flushing, and a restart loses
nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from server.background import in_background
from server.db.pool import UNAVAILABLE_IN_BACKGROUND, connection
from server.db.store import annotation_overview
from server.settings import Settings

log = logging.getLogger(__name__)


async def refresh_forever(pool: asyncpg.Pool, settings: Settings) -> None:
    """Flush every image with pending changes, then sleep the interval; until cancelled."""
    while True:
        try:
            async with connection(pool, settings.database_wait_seconds) as conn:
                await annotation_overview.flush_pending(conn)
        except UNAVAILABLE_IN_BACKGROUND as exc:
            log.warning("overview refresh postponed: %s", exc)
        except asyncpg.PostgresError:
            log.exception("overview refresh failed; retried at the next pass")
        await asyncio.sleep(settings.overview_refresh_seconds)


@asynccontextmanager
async def overview_refresh(pool: asyncpg.Pool, settings: Settings) -> AsyncIterator[None]:
    """Run the refresh pass for the lifetime of the app."""
    async with in_background(refresh_forever(pool, settings), "overview-refresh"):
        yield


__all__ = ["overview_refresh", "refresh_forever"]
