"""Live following over the position socket: who may connect, follow records, announcements."""

from __future__ import annotations

import asyncpg
import msgspec

from contracts.errors import Forbidden
from server.db import queries as q
from server.db.position_channel import Announcement
from server.db.store.activity import readable_image
from server.principal import Principal


class LivePosition(msgspec.Struct, kw_only=True):
    """What followers receive for a socket message (the viewer reads x, y, zoom, rotation)."""

    user: int
    image: int
    x: float
    y: float
    zoom: float | None
    rotation: float | None
    broadcast: bool = True


async def admit(conn: asyncpg.Connection, me: Principal, user_id: int, image_id: int) -> None:
    """A socket is the caller's own (admins aside) on an image they may read."""
    if user_id != me.id and not me.is_admin:
        raise Forbidden(f"The position socket of user {user_id} is not yours")
    await readable_image(conn, me, image_id)


async def start(
    conn: asyncpg.Connection, image_id: int, broadcaster_id: int, follower_id: int
) -> str | None:
    """Record a follower; the broadcaster's last position on the image (None: none yet)."""
    if not await conn.fetchval(q.ACTIVITY_USER_EXISTS, broadcaster_id):
        return None
    await conn.execute(q.POSITION_FOLLOWER_SEEN, image_id, broadcaster_id, follower_id)
    text = await conn.fetchval(q.USER_POSITION_LAST, image_id, broadcaster_id, None, False)
    return None if text is None else str(text)


async def still(
    conn: asyncpg.Connection, image_id: int, broadcaster_id: int, follower_id: int
) -> None:
    """Keep a connected follower in the followers list (which shows recent ones only)."""
    await conn.execute(q.POSITION_FOLLOWER_SEEN, image_id, broadcaster_id, follower_id)


async def stop(
    conn: asyncpg.Connection, image_id: int, broadcaster_id: int, follower_id: int
) -> None:
    """A follower's socket closed or switched to someone else."""
    await conn.execute(q.POSITION_FOLLOWER_FORGET, image_id, broadcaster_id, follower_id)


async def announce_heartbeat(conn: asyncpg.Connection, obj: str, zoom: float | None) -> None:
    """Send a broadcast heartbeat to followers, with the viewer's exact zoom.

    The record keeps a rounded zoom; followers get the one the broadcaster's viewer sent, as
    its socket messages carry it, so that a follower's view does not jump between the two.
    """
    position = msgspec.json.decode(obj)
    if zoom is not None:
        position["zoom"] = zoom
    note = Announcement(
        kind="position",
        image=position["image"],
        user=position["user"],
        position=msgspec.Raw(msgspec.json.encode(position)),
    )
    await conn.execute(q.USER_POSITION_ANNOUNCE, msgspec.json.encode(note).decode())


async def announce(
    conn: asyncpg.Connection, user_id: int, image_id: int, position: LivePosition | None
) -> None:
    """Send a position (or, with None, the end of a broadcast) to every worker's followers."""
    note = Announcement(
        kind="stop" if position is None else "position",
        image=image_id,
        user=user_id,
        position=msgspec.Raw(msgspec.json.encode(position)),
    )
    await conn.execute(q.USER_POSITION_ANNOUNCE, msgspec.json.encode(note).decode())


__all__ = [
    "LivePosition",
    "admit",
    "announce",
    "announce_heartbeat",
    "start",
    "still",
    "stop",
]
