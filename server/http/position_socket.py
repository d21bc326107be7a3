"""The viewer's Follow panel socket: ``/ws/user-position/{userId}/{imageId}/{broadcast}``.

As Cytomine's Web UI uses it: a broadcaster (``broadcast`` true) sends its view as JSON
(``{x, y, zoom, rotation}``) and every follower receives it; a follower sends the id of the
user it follows, gets that user's last position at once, then each new one, and the text
``stop-track`` when the broadcast ends. Positions posted over HTTP with ``broadcast`` reach
followers too. The token comes in the ``authorization`` (or ``Authorization``, ``auth``)
query parameter, as browsers cannot set headers on a socket, or in an ``Authorization:
Bearer`` header. A refused connection is accepted and closed at once with code 1008 and the
reason, so that the client can tell why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.params import FromPath

from contracts.errors import DomainError, Unauthorized
from server.auth.credentials import QUERY_TOKEN_PARAMS, principal_from_bearer
from server.db.position_channel import STOP, Follow, PositionChannel
from server.db.store import position_follow as store
from server.http.deps import RuntimeDep
from server.principal import Principal
from server.runtime import Runtime

Socket = WebSocket[Any, Any, Any]
POLICY_VIOLATION = 1008
log = logging.getLogger(__name__)
# The followers list shows users seen in the last 20 s: a connected follower is renewed.
RENEW_SECONDS = 10.0


class LiveView(msgspec.Struct, kw_only=True):
    """What a broadcaster's viewer sends on its socket: the view centre, zoom and rotation."""

    x: float
    y: float
    zoom: float | None = None
    rotation: float | None = None


_VIEW = msgspec.json.Decoder(LiveView)


def _live_view(text: str, user_id: int, image_id: int) -> store.LivePosition | None:
    """A broadcaster's socket message as the position followers get (None: not a view)."""
    try:
        view = _VIEW.decode(text)
    except msgspec.DecodeError:
        return None
    return store.LivePosition(
        user=user_id, image=image_id, x=view.x, y=view.y, zoom=view.zoom, rotation=view.rotation
    )


def _token(socket: Socket) -> str:
    header = socket.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:]
    for name in QUERY_TOKEN_PARAMS:
        value = str(socket.query_params.get(name) or "")
        if value:
            return value
    raise Unauthorized("Authentication required")


async def _admit(socket: Socket, runtime: Runtime, user_id: int, image_id: int) -> Principal:
    me = await principal_from_bearer(runtime, _token(socket))
    async with runtime.acquire() as conn:
        await store.admit(conn, me, user_id, image_id)
    return me


class _Session:
    """One open socket: relays a broadcaster's views or feeds a follower."""

    def __init__(self, socket: Socket, runtime: Runtime, user_id: int, image_id: int) -> None:
        self.socket, self.runtime = socket, runtime
        self.user_id, self.image_id = user_id, image_id
        self.channel: PositionChannel = runtime.position_channel
        self.follow: Follow | None = None
        self.feeder: asyncio.Task[None] | None = None

    async def run(self, broadcast: bool) -> None:
        renew = asyncio.create_task(self._renew())
        try:
            while True:
                try:
                    text = (await self.socket.receive_text() or "").strip()
                except WebSocketDisconnect:
                    break
                if text.isdigit():
                    await self._start(int(text))
                elif broadcast:
                    await self._relay(text)
        finally:
            renew.cancel()
            await self._close(broadcast)

    async def _close(self, broadcast: bool) -> None:
        """Forget the follow and end a broadcast; the socket is gone, so failures are logged."""
        try:
            await self._leave()
            if broadcast:
                async with self.runtime.acquire() as conn:
                    await store.announce(conn, self.user_id, self.image_id, None)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("position socket cleanup failed: %s", exc)

    async def _relay(self, text: str) -> None:
        position = _live_view(text, self.user_id, self.image_id)
        if position is not None:
            async with self.runtime.acquire() as conn:
                await store.announce(conn, self.user_id, self.image_id, position)

    async def _start(self, broadcaster_id: int) -> None:
        await self._leave()
        self.follow = self.channel.follow(broadcaster_id, self.image_id)
        async with self.runtime.acquire() as conn:
            last = await store.start(conn, self.image_id, broadcaster_id, self.user_id)
        if last is not None:
            await self.socket.send_text(last)
        self.feeder = asyncio.create_task(self._feed(self.follow))

    async def _feed(self, follow: Follow) -> None:
        while True:
            text = await follow.queue.get()
            if text is None:
                await self.socket.close()
                return
            await self.socket.send_text(text)
            if text == STOP:
                self.channel.leave(follow)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            if self.follow is not None:
                async with self.runtime.acquire() as conn:
                    await store.still(conn, self.image_id, self.follow.key[0], self.user_id)

    async def _leave(self) -> None:
        if self.feeder is not None:
            self.feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await self.feeder
            self.feeder = None
        if self.follow is not None:
            self.channel.leave(self.follow)
            async with self.runtime.acquire() as conn:
                await store.stop(conn, self.image_id, self.follow.key[0], self.user_id)
            self.follow = None


@websocket("/ws/user-position/{user_id:int}/{image_id:int}/{broadcast:str}")
async def user_position_socket(
    socket: Socket,
    runtime: RuntimeDep,
    user_id: FromPath[int],
    image_id: FromPath[int],
    broadcast: FromPath[str],
) -> None:
    """Follow or broadcast viewer positions on one image."""
    try:
        await _admit(socket, runtime, user_id, image_id)
    except DomainError as exc:
        await socket.accept()
        await socket.close(code=POLICY_VIOLATION, reason=f"{exc.status}: {exc.message}"[:120])
        return
    await socket.accept()
    await _Session(socket, runtime, user_id, image_id).run(broadcast.lower() == "true")


ROUTES = [user_position_socket]
