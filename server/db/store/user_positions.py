"""Viewer positions: heartbeats (history + last position), online users, followers."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store.activity import readable_image, readable_slice, refuse
from server.db.store.position_follow import announce_heartbeat
from server.principal import Principal


class Viewport(msgspec.Struct, kw_only=True, rename="camel"):
    """What the viewer posts: the four corners of its viewport, zoom, rotation, broadcast."""

    top_left_x: float | None = None
    top_left_y: float | None = None
    top_right_x: float | None = None
    top_right_y: float | None = None
    bottom_right_x: float | None = None
    bottom_right_y: float | None = None
    bottom_left_x: float | None = None
    bottom_left_y: float | None = None
    zoom: float | None = None
    """The viewer's zoom; a fractional zoom is rounded (the record keeps an integer)."""
    rotation: float | None = None
    broadcast: bool | None = None

    def corners(self) -> list[float]:
        """The corners as x, y pairs from the top left, clockwise."""
        values = (
            self.top_left_x,
            self.top_left_y,
            self.top_right_x,
            self.top_right_y,
            self.bottom_right_x,
            self.bottom_right_y,
            self.bottom_left_x,
            self.bottom_left_y,
        )
        return [v or 0.0 for v in values]


class Frequency(msgspec.Struct, kw_only=True):
    """How often one viewport (its four corners, zoom and rotation) of an image was seen."""

    location: list[tuple[float, float]]
    zoom: int
    rotation: float
    frequency: int
    image: int


class PositionFilter(msgspec.Struct, frozen=True, kw_only=True):
    """History filters: user, slice and a creation time range."""

    user: int | None = None
    slice: int | None = None
    after: datetime | None = None
    before: datetime | None = None


async def add(
    conn: asyncpg.Connection,
    me: Principal,
    body: Viewport,
    *,
    slice_id: int | None = None,
    image_id: int | None = None,
) -> c.PersistentUserPosition:
    """Record a heartbeat on a slice, or on an image's reference slice."""
    row = await conn.fetchrow(
        q.USER_POSITION_ADD,
        slice_id,
        me.id,
        me.is_admin,
        body.corners(),
        round(body.zoom or 0),
        body.rotation or 0.0,
        bool(body.broadcast),
        image_id,
    )
    if row is None:
        if slice_id is not None:
            raise NotFound("SliceInstance", slice_id)
        raise NotFound("ImageInstance", image_id)
    if not row["readable"]:
        raise refuse(row["project_id"])
    if body.broadcast:
        await announce_heartbeat(conn, row["obj"], body.zoom)
    return rows.one(row["obj"], c.PersistentUserPosition)


async def last(
    conn: asyncpg.Connection,
    me: Principal,
    image_id: int,
    user_id: int,
    *,
    slice_id: int | None,
    broadcast: bool,
) -> msgspec.Raw:
    """A user's last position on an image ({} when none); remembers the caller as follower."""
    await readable_image(conn, me, image_id)
    if slice_id is not None:
        await readable_slice(conn, me, slice_id)
    if not await conn.fetchval(q.ACTIVITY_USER_EXISTS, user_id):
        raise NotFound("User", user_id)
    if user_id != me.id:
        await conn.execute(q.POSITION_FOLLOWER_SEEN, image_id, user_id, me.id)
    obj = await conn.fetchval(q.USER_POSITION_LAST, image_id, user_id, slice_id, broadcast)
    return msgspec.Raw((obj or "{}").encode())


async def online(
    conn: asyncpg.Connection, me: Principal, image_id: int, slice_id: int | None, broadcast: bool
) -> list[int]:
    """Users whose last position on the image is recent."""
    await readable_image(conn, me, image_id)
    return list(await conn.fetchval(q.USER_POSITION_ONLINE, image_id, slice_id, broadcast))


async def followers(
    conn: asyncpg.Connection, me: Principal, image_id: int, user_id: int, params: ListParams
) -> Page[str]:
    """Ids of the users following a broadcaster's view (only the broadcaster may ask)."""
    if not await conn.fetchval(q.ACTIVITY_USER_EXISTS, user_id):
        raise NotFound("User", user_id)
    if user_id != me.id and not me.is_admin:
        raise Forbidden(f"Only user {user_id} may list their followers")
    await readable_image(conn, me, image_id)
    found = [str(i) for i in await conn.fetchval(q.POSITION_FOLLOWER_LIST, image_id, user_id)]
    end = params.offset + params.max if params.max else None
    return page(found[params.offset : end], size=len(found), offset=params.offset, max_=params.max)


async def history(
    conn: asyncpg.Connection,
    me: Principal,
    image_id: int,
    found: PositionFilter,
    params: ListParams,
) -> Page[c.PersistentUserPosition]:
    """Every recorded position on an image, newest first."""
    await readable_image(conn, me, image_id)
    args = (image_id, found.user, found.slice, found.after, found.before)
    return await fetch_page(conn, q.USER_POSITION_LIST, params, c.PersistentUserPosition, *args)


async def summary(
    conn: asyncpg.Connection,
    me: Principal,
    image_id: int,
    found: PositionFilter,
    params: ListParams,
) -> Page[Frequency]:
    """How often each viewport of an image was seen, most frequent first."""
    await readable_image(conn, me, image_id)
    args = (image_id, found.user, found.slice, found.after, found.before)
    return await fetch_page(
        conn, q.USER_POSITION_SUMMARY, params, Frequency, *args, default_sort="frequency"
    )


__all__ = [
    "Frequency",
    "PositionFilter",
    "Viewport",
    "add",
    "followers",
    "history",
    "last",
    "online",
    "summary",
]
