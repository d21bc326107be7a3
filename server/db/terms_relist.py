"""The background pass that gives old annotations the term group the listing keeps on the row.

Every writer keeps ``annotation.terms_listed`` for the rows it writes (migration 0045), but a
database upgraded from an older version holds rows where it is NULL, whose group the listing
computes on every read (slower, never wrong). At each start, the server walks the annotations
by id from the kept progress (migration 0046) to the highest id of that moment, one short
transaction per batch of ``BATCH`` rows, and gives the NULL ones their group
(``terms_listed.relist_step``); then the pass stops until the next start. Once a database
has been through it, a start only looks at the rows written since the last one.

Several workers (``lamina serve --workers N``) start it together: each batch claims the one
progress row (``FOR UPDATE SKIP LOCKED``, in the batch's transaction), and a worker that finds
it claimed leaves the pass to the worker holding it. The claim is transaction-scoped on
purpose, rather than a session advisory lock held for the pass: pooled sessions keep no
state between uses (``server.db.pool.reset_connection`` does not unlock), so a session lock
left behind by a cancelled task would block every later pass; and the pass takes a pooled
connection for one batch at a time instead of keeping one from the requests for minutes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from server.background import in_background
from server.db.pool import UNAVAILABLE_IN_BACKGROUND, connection
from server.db.store import terms_listed
from server.settings import Settings

log = logging.getLogger(__name__)

BATCH = 5_000
"""Rows looked at per batch: about 0.1 s of one core when all of them are NULL, so a writer
waits at most that long for a row the batch holds; only read when their group is kept."""
HELD_PAUSE_SECONDS = 1.0
"""Pause before looking again when a batch could not move (a writer holds its first NULL row)."""
RETRY_SECONDS = 30.0
"""Pause before a pass that failed (database unavailable, statement error) starts again."""


async def relist_pass(pool: asyncpg.Pool, wait: float, *, batch: int = BATCH) -> int | None:
    """Relist from the kept progress to the highest id of now; the rows given their group.

    None: another worker holds the pass (it carries on; this one stops). After each batch the
    pass pauses as long as the batch took, so it never takes more than half of one core.
    """
    async with connection(pool, wait) as conn:
        until = await terms_listed.last_id(conn)
    started = time.monotonic()
    relisted = 0
    after: int | None = None
    while True:
        began = time.monotonic()
        async with connection(pool, wait) as conn:
            step = await terms_listed.relist_step(conn, until, batch)
        if step is None or step.examined == 0:
            break
        if step.relisted and not relisted:
            log.info("term groups of older annotations: relisting up to id %d", until)
        relisted += step.relisted
        pause = time.monotonic() - began
        if step.after_id == after:
            pause = max(pause, HELD_PAUSE_SECONDS)
        after = step.after_id
        await asyncio.sleep(pause)
    if relisted:
        log.info(
            "term groups of older annotations: %d rows relisted in %.1f s%s",
            relisted,
            time.monotonic() - started,
            "; another worker carries on" if step is None else "",
        )
    return None if step is None else relisted


async def relist_until_done(pool: asyncpg.Pool, settings: Settings) -> None:
    """Run one relist pass to its end, starting it again after a failure."""
    while True:
        try:
            await relist_pass(pool, settings.database_wait_seconds)
        except UNAVAILABLE_IN_BACKGROUND as exc:
            log.warning("term group relist postponed: %s", exc)
        except asyncpg.PostgresError:
            log.exception("term group relist failed; started again in %.0f s", RETRY_SECONDS)
        else:
            return
        await asyncio.sleep(RETRY_SECONDS)


@asynccontextmanager
async def terms_relist(pool: asyncpg.Pool, settings: Settings) -> AsyncIterator[None]:
    """Run the relist pass in the background of the app (cancelled if still running at exit)."""
    async with in_background(relist_until_done(pool, settings), "terms-relist"):
        yield


__all__ = ["BATCH", "relist_pass", "relist_until_done", "terms_relist"]
