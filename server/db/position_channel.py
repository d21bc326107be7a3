"""Live positions across workers: one LISTEN connection per worker, fanned out to its sockets.

A broadcast position (a heartbeat posted with ``broadcast``, or a view sent on a
broadcaster's socket) is announced with ``pg_notify`` on one channel. Every
worker listens on its own connection and hands each announcement to the follow sockets it
holds for that (broadcaster, image). The only thing kept in process memory is which local
socket waits for whom; who follows whom is recorded in ``position_follower``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar import Litestar

CHANNEL = "lamina_user_position"
STOP = "stop-track"
# A follower that stops reading keeps only the newest positions (old ones are obsolete).
QUEUE_SIZE = 16
RECONNECT_SECONDS = 1.0

log = logging.getLogger(__name__)

Key = tuple[int, int]
"""(broadcaster user id, image id)."""


class Announcement(msgspec.Struct, kw_only=True):
    """One channel payload: a position to forward, or the end of a broadcast."""

    kind: str
    image: int
    user: int
    position: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"null"))
    """The position as followers receive it (JSON null with ``stop``)."""


_DECODE = msgspec.json.Decoder(Announcement)


class Follow:
    """What one follow socket receives: position texts, then ``STOP`` or None to end."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_SIZE)

    def put(self, item: str | None) -> None:
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(item)


class PositionChannel:
    """This worker's listener and the follow sockets it serves."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._follows: dict[Key, set[Follow]] = defaultdict(set)
        self._conn: asyncpg.Connection | None = None
        self._lost = asyncio.Event()

    def follow(self, broadcaster_id: int, image_id: int) -> Follow:
        """Start receiving a broadcaster's positions on an image."""
        found = Follow((broadcaster_id, image_id))
        self._follows[found.key].add(found)
        return found

    def leave(self, found: Follow) -> None:
        """Stop receiving (idempotent)."""
        waiting = self._follows.get(found.key)
        if waiting is not None:
            waiting.discard(found)
            if not waiting:
                del self._follows[found.key]

    def _deliver(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        try:
            note = _DECODE.decode(str(payload))
        except msgspec.DecodeError:
            log.warning("ignored a malformed %s payload", CHANNEL)
            return
        text = STOP if note.kind == "stop" else bytes(note.position).decode()
        for found in list(self._follows.get((note.user, note.image), ())):
            found.put(text)
            if note.kind == "stop":
                found.put(None)

    async def connect(self) -> None:
        """Open the listening connection (raises when the database is unreachable)."""
        conn = await asyncpg.connect(self._url)
        self._lost.clear()
        conn.add_termination_listener(lambda _c: self._lost.set())
        await conn.add_listener(CHANNEL, self._deliver)
        self._conn = conn

    async def keep_listening(self) -> None:
        """Reconnect whenever the listening connection is lost, until cancelled."""
        while True:
            await self._lost.wait()
            log.warning("position channel connection lost; reconnecting")
            while True:
                await asyncio.sleep(RECONNECT_SECONDS)
                try:
                    await self.connect()
                    break
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("position channel reconnect failed: %s", exc)

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
        for waiting in self._follows.values():
            for found in waiting:
                found.put(None)


@asynccontextmanager
async def position_channel(app: Litestar) -> AsyncIterator[None]:
    """Lifespan: listen before serving, stop listening on shutdown."""
    channel = PositionChannel(app.state.settings.database_url)
    await channel.connect()
    app.state.position_channel = channel
    watcher = asyncio.create_task(channel.keep_listening())
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await channel.close()


__all__ = ["CHANNEL", "STOP", "Follow", "PositionChannel", "position_channel"]
