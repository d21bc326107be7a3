"""Read replicas: the routes whose reads may lag are served from streaming standbys.

A route opts in with ``opt=REPLICA``; everything else (every write, every credential and
session check) stays on the primary. ``ReadRouter.read(caller)`` is the one place that lends
such a route a connection:

- **Freshness.** Every ``tick`` a monitor samples the primary's WAL insert position and each
  standby's replay position. A standby that has replayed the position the primary had at
  time *t* holds every commit made before *t*; it is read from only while that *t* is less
  than ``replica_max_lag_seconds`` old. So a read from a replica misses at most the commits
  of the last ``max_lag`` seconds, and a standby that stalls, lags or dies is left out.
- **Read-your-own-writes.** A caller's write request records the primary's WAL insert
  position once it has committed (before its answer is sent). Until a standby is known to
  have replayed past that position, that caller's replica reads go to the primary. The
  record is forgotten after ``max_lag`` plus two ticks: by then every standby still read from
  has the write. A write that failed records no position; its caller reads from the primary
  for that same window instead. The position is also announced (``NOTIFY lamina_writes``), so
  the other workers, on this machine or another, record it too: they hear it within the
  notification's delivery time, and while their listening connection is lost they send every
  read to the primary.
- **Failures.** A standby that refuses connections or errors is marked down and the read
  goes to the next one, then to the primary; the monitor brings it back once it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final, cast

import asyncpg

from server.db import queries as q
from server.db.listener import Listener
from server.db.pool import SAFE_METHODS, UNAVAILABLE, connection, create_pool
from server.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "lamina_writes"
"""Where each write's ``"<caller> <lsn>"`` is announced to every worker (see ``tracking``)."""
REPLICA: Final = {"replica": True}
"""Route option of the handlers that read only and may read from a replica."""

# What a standby that is down, starting, missing the database or saturated raises.
_FAILED: tuple[type[BaseException], ...] = (
    *UNAVAILABLE,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
    TimeoutError,
)
# Callers remembered at most; beyond it the oldest records go first (they expire anyway).
_MAX_WRITERS = 100_000
_PRIMARY: Final = -1
"""Marker of a caller whose write has no known position: read from the primary."""


def on_standby(conn: asyncpg.Connection) -> bool:
    """Whether ``conn`` is a session on a hot standby (read only), from what the server reports."""
    return getattr(conn.get_settings(), "in_hot_standby", "off") == "on"


class Replica:
    """One standby: its pool and what the monitor last learnt of it."""

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self.url, self.pool = url, pool
        self.up = False
        self.replayed = -1
        """Latest replay position seen (bytes from 0/0)."""
        self.fresh_at = float("-inf")
        """Monotonic time at which the primary had written no more than the standby replayed."""

    def busy(self) -> int:
        """Connections of this worker in use on the standby."""
        return self.pool.get_size() - self.pool.get_idle_size()


class ReadRouter:
    """Primary and replicas of one worker; see the module docstring."""

    def __init__(self, primary: asyncpg.Pool, replicas: list[Replica], settings: Settings) -> None:
        self.primary, self.replicas = primary, replicas
        self.wait = settings.database_wait_seconds
        self.max_lag = settings.replica_max_lag_seconds
        self.tick = min(1.0, self.max_lag / 4)
        self.remember = self.max_lag + 2 * self.tick
        self._writes: dict[int, tuple[int, float]] = {}
        self._samples: deque[tuple[float, int]] = deque()
        self._turn = itertools.count()
        self._monitor: asyncio.Task[None] | None = None
        self._deaf_until = float("-inf")
        self._lost = False

    # -- routing ---------------------------------------------------------------------------

    def _needs(self, caller: int) -> int | None:
        """Replay position the caller's reads need (None: any; ``_PRIMARY``: the primary's)."""
        record = self._writes.get(caller)
        if record is None:
            return None
        if record[1] < time.monotonic():
            del self._writes[caller]
            return None
        return record[0]

    def usable(self) -> list[Replica]:
        """Replicas up and fresh enough to read from now."""
        now = time.monotonic()
        return [r for r in self.replicas if r.up and now - r.fresh_at <= self.max_lag]

    def _ranked(self) -> list[Replica]:
        """Usable replicas, least busy first, ties in turn (round robin)."""
        usable = self.usable()
        if len(usable) > 1:
            shift = next(self._turn) % len(usable)
            usable = usable[shift:] + usable[:shift]
            usable.sort(key=Replica.busy)
        return usable

    async def _has(self, replica: Replica, conn: asyncpg.Connection, need: int | None) -> bool:
        """Whether the standby has replayed ``need`` (asked only when not known already)."""
        if need is None or need <= replica.replayed:
            return True
        lsn = await conn.fetchval(q.WAL_REPLAY_LSN)
        if lsn is not None:
            replica.replayed = max(replica.replayed, int(lsn))
        return lsn is not None and int(lsn) >= need

    async def _replica_conn(self, caller: int | None) -> tuple[Replica, Any] | None:
        """A connection on a usable standby that has the caller's writes; None: none."""
        need = self._needs(caller) if caller is not None else None
        if need == _PRIMARY or self._deaf_until > time.monotonic():
            return None
        for replica in self._ranked():
            try:
                conn = await replica.pool.acquire(timeout=self.wait)
            except TimeoutError:
                continue  # saturated, not down: the next one or the primary
            except _FAILED as exc:
                self._down(replica, exc)
                continue
            try:
                if await self._has(replica, cast("asyncpg.Connection", conn), need):
                    return replica, conn
            except _FAILED as exc:
                self._down(replica, exc)
            await replica.pool.release(conn)
        return None

    @asynccontextmanager
    async def read(self, caller: int | None) -> AsyncIterator[asyncpg.Connection]:
        """A connection for a read that may lag: a replica when one fits, else the primary."""
        chosen = await self._replica_conn(caller) if self.replicas else None
        if chosen is None:
            async with connection(self.primary, self.wait) as conn:
                yield conn
            return
        replica, conn = chosen
        try:
            yield cast("asyncpg.Connection", conn)
        except UNAVAILABLE as exc:
            self._down(replica, exc)
            raise
        finally:
            await replica.pool.release(conn)

    # -- the caller's own writes ---------------------------------------------------------------

    def _record(self, caller: int, lsn: int) -> None:
        self._writes.pop(caller, None)
        self._writes[caller] = (lsn, time.monotonic() + self.remember)
        if len(self._writes) > _MAX_WRITERS:
            del self._writes[next(iter(self._writes))]

    @asynccontextmanager
    async def tracking(
        self, method: str, caller: int, conn: asyncpg.Connection
    ) -> AsyncIterator[None]:
        """Around a request on the primary: a write records where the caller's reads must be."""
        if not self.replicas or method in SAFE_METHODS:
            yield
            return
        self._record(caller, _PRIMARY)  # reads during the write: the primary
        try:
            yield
        except BaseException:
            self._record(caller, _PRIMARY)
            raise
        try:
            self._record(caller, int(await conn.fetchval(q.WAL_WRITE_ANNOUNCE, caller)))
        except _FAILED:
            self._record(caller, _PRIMARY)

    def heard(self, payload: str) -> None:
        """Another worker's (or this one's) announcement ``"<caller> <lsn>"`` of a write."""
        caller, _, lsn = payload.partition(" ")
        known = self._needs(int(caller))
        if known != _PRIMARY and int(lsn) > (known or -1):
            self._record(int(caller), int(lsn))

    def deaf(self) -> None:
        """The listening connection was lost, or is back (``Listener`` calls in turn).

        Announcements may be missed meanwhile: every read goes to the primary while it is lost
        and for the memory window after it is back.
        """
        self._lost = not self._lost
        self._deaf_until = float("inf") if self._lost else time.monotonic() + self.remember

    # -- monitor ---------------------------------------------------------------------------------

    def _down(self, replica: Replica, exc: BaseException) -> None:
        if replica.up:
            log.warning("read replica %s left out: %s", _safe(replica.url), exc)
        replica.up = False

    async def probe(self) -> None:
        """Sample the primary's position, then each standby's; mark them up, fresh or down."""
        try:
            async with connection(self.primary, self.wait) as conn:
                now, lsn = time.monotonic(), int(await conn.fetchval(q.WAL_INSERT_LSN))
        except _FAILED as exc:
            log.warning("read replicas not checked, the primary did not answer: %s", exc)
            return
        self._samples.append((now, lsn))
        while len(self._samples) > 1 and self._samples[0][0] < now - self.max_lag - self.tick:
            self._samples.popleft()
        await asyncio.gather(*(self._probe(replica) for replica in self.replicas))

    async def _probe(self, replica: Replica) -> None:
        try:
            async with replica.pool.acquire(timeout=self.wait) as conn:
                lsn = await conn.fetchval(q.WAL_REPLAY_LSN)
        except _FAILED as exc:
            self._down(replica, exc)
            return
        if lsn is None:
            self._down(replica, RuntimeError("not in recovery (not a standby, or promoted)"))
            return
        if not replica.up:
            log.info("read replica %s in use", _safe(replica.url))
        replica.up, replica.replayed = True, int(lsn)
        replica.fresh_at = max(
            (at for at, written in self._samples if written <= replica.replayed),
            default=replica.fresh_at,
        )

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.tick)
            await self.probe()

    # -- life ------------------------------------------------------------------------------------

    @classmethod
    async def open(cls, primary: asyncpg.Pool, settings: Settings) -> ReadRouter:
        """Pools over the configured replicas (connected lazily), checked once, monitored."""
        replicas = [
            Replica(url, await _replica_pool(url, settings)) for url in settings.replica_urls
        ]
        router = cls(primary, replicas, settings)
        if replicas:
            await router.probe()
            router._monitor = asyncio.create_task(router._watch())
        return router

    async def close(self) -> None:
        """Stop the monitor and close the replica pools."""
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor
        for replica in self.replicas:
            await replica.pool.close()


@asynccontextmanager
async def read_router(primary: asyncpg.Pool, settings: Settings) -> AsyncIterator[ReadRouter]:
    """A worker's ``ReadRouter``, hearing the other workers' writes while replicas are set."""
    reads = await ReadRouter.open(primary, settings)
    try:
        if not reads.replicas:
            yield reads
            return
        assert settings.database_url is not None
        listener = Listener(settings.database_url, CHANNEL, reads.heard, on_lost=reads.deaf)
        async with listener.running():
            yield reads
    finally:
        await reads.close()


async def _replica_pool(url: str, settings: Settings) -> asyncpg.Pool:
    # min_size=0: no connection at start, so a standby that is down does not stop the server.
    return await create_pool(url, settings, min_size=0, read_only=True)


def _safe(url: str) -> str:
    """A URL for the log, without its password."""
    head, at, tail = url.rpartition("@")
    return f"{head.split(':', 2)[0]}:…@{tail}" if at and head.count(":") > 1 else url


__all__ = [
    "CHANNEL",
    "REPLICA",
    "ReadRouter",
    "Replica",
    "on_standby",
    "read_router",
]
