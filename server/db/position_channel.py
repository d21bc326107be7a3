"""Live positions across workers: one LISTEN connection per worker, fanned out to its sockets.

A broadcast position (a heartbeat posted with ``broadcast``, or a view sent on a
broadcaster's socket) is announced with ``pg_notify`` on one channel. Every
worker listens on its own connection and hands each announcement to the follow sockets it
holds for that (broadcaster, image). The only thing kept in process memory is which local
socket waits for whom; who follows whom is recorded in ``position_follower``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec

from server.db.listener import Listener

CHANNEL = "lamina_user_position"
STOP = "stop-track"
# A follower that stops reading keeps only the newest positions (old ones are obsolete).
QUEUE_SIZE = 16

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
        self._follows: dict[Key, set[Follow]] = defaultdict(set)
        self._listener = Listener(url, CHANNEL, self._deliver)

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

    def _deliver(self, payload: str) -> None:
        try:
            note = _DECODE.decode(payload)
        except msgspec.DecodeError:
            log.warning("ignored a malformed %s payload", CHANNEL)
            return
        text = STOP if note.kind == "stop" else bytes(note.position).decode()
        for found in list(self._follows.get((note.user, note.image), ())):
            found.put(text)
            if note.kind == "stop":
                found.put(None)

    @asynccontextmanager
    async def listening(self) -> AsyncIterator[None]:
        """Receive announcements inside the block; then end every follow socket's wait."""
        try:
            async with self._listener.running():
                yield
        finally:
            for waiting in self._follows.values():
                for found in waiting:
                    found.put(None)


__all__ = ["CHANNEL", "STOP", "Follow", "PositionChannel"]
