"""One worker's LISTEN connection on one channel, reopened whenever it is lost.

``Listener`` calls ``on_notify(payload)`` for each notification and ``on_lost()`` when the
connection drops (announcements may have been missed meanwhile), then reconnects every
``RECONNECT_SECONDS`` until it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg

RECONNECT_SECONDS = 1.0

log = logging.getLogger(__name__)


class Listener:
    """A dedicated connection listening on ``channel``."""

    def __init__(
        self,
        url: str,
        channel: str,
        on_notify: Callable[[str], None],
        on_lost: Callable[[], None] = lambda: None,
    ) -> None:
        self.url, self.channel = url, channel
        self._on_notify, self._on_lost = on_notify, on_lost
        self._conn: asyncpg.Connection | None = None
        self._lost = asyncio.Event()

    def _deliver(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self._on_notify(str(payload))

    async def connect(self) -> None:
        """Open the listening connection (raises when the database is unreachable)."""
        conn = await asyncpg.connect(self.url)
        self._lost.clear()
        conn.add_termination_listener(lambda _c: self._lost.set())
        await conn.add_listener(self.channel, self._deliver)
        self._conn = conn

    async def keep_listening(self) -> None:
        """Reconnect whenever the listening connection is lost, until cancelled."""
        while True:
            await self._lost.wait()
            log.warning("%s listener connection lost; reconnecting", self.channel)
            self._on_lost()
            while True:
                await asyncio.sleep(RECONNECT_SECONDS)
                try:
                    await self.connect()
                    break
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("%s listener reconnect failed: %s", self.channel, exc)
            # Announcements sent while the connection was down are lost: forget again.
            self._on_lost()

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Listen (and keep reconnecting) inside the block; stop listening after it."""
        await self.connect()
        watcher = asyncio.create_task(self.keep_listening())
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await self.close()


__all__ = ["RECONNECT_SECONDS", "Listener"]
