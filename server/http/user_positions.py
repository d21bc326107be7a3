"""User position service: viewer heartbeats, position history, online users and followers."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import user_positions as store
from server.db.store.activity import instant
from server.http.deps import Conn, Lists, Me
from server.params import flag


class OnlineUsers(msgspec.Struct, kw_only=True):
    """Users currently looking at an image."""

    users: list[int]


class UserPositionController(Controller):
    """Where users look in the viewer."""

    path = "/api"
    tags = ["User position"]

    @post("/imageinstance/{image_id:int}/position", status_code=200)
    async def add_on_image(
        self, conn: Conn, me: Me, image_id: FromPath[int], data: JSONBody[store.Viewport]
    ) -> c.PersistentUserPosition:
        """Record the caller's viewport on the image's reference slice."""
        return await store.add(conn, me, data, image_id=image_id)

    @post("/sliceinstance/{slice_id:int}/position", status_code=200)
    async def add_on_slice(
        self, conn: Conn, me: Me, slice_id: FromPath[int], data: JSONBody[store.Viewport]
    ) -> c.PersistentUserPosition:
        """Record the caller's viewport on one slice."""
        return await store.add(conn, me, data, slice_id=slice_id)

    @get("/imageinstance/{image_id:int}/position/{user_id:int}")
    async def last(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        user_id: FromPath[int],
        slice: FromQuery[int | None] = None,
        broadcast: FromQuery[str | None] = None,
    ) -> msgspec.Raw:
        """A user's last position on the image ({} when none)."""
        only = flag(broadcast, name="broadcast")
        return await store.last(conn, me, image_id, user_id, slice_id=slice, broadcast=only)

    @get(["/imageinstance/{image_id:int}/positions", "/imageinstance/{image_id:int}/position"])
    async def history(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        list_params: Lists,
        user: FromQuery[int | None] = None,
        slice: FromQuery[int | None] = None,
        after_than: Annotated[int | None, QueryParameter(name="afterThan")] = None,
        before_than: Annotated[int | None, QueryParameter(name="beforeThan")] = None,
        show_details: Annotated[str | None, QueryParameter(name="showDetails")] = None,
    ) -> Page[c.PersistentUserPosition] | Page[store.Frequency]:
        """Position history (showDetails=true) or how often each viewport was seen."""
        found = store.PositionFilter(
            user=user,
            slice=slice,
            after=instant(after_than, "afterThan"),
            before=instant(before_than, "beforeThan"),
        )
        if flag(show_details, name="showDetails"):
            return await store.history(conn, me, image_id, found, list_params)
        return await store.summary(conn, me, image_id, found, list_params)

    @get("/imageinstance/{image_id:int}/online")
    async def online(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        slice: FromQuery[int | None] = None,
        broadcast: FromQuery[str | None] = None,
    ) -> OnlineUsers:
        """Users whose viewer showed the image in the last 30 seconds."""
        only = flag(broadcast, name="broadcast")
        return OnlineUsers(users=await store.online(conn, me, image_id, slice, only))

    @get("/imageinstance/{image_id:int}/followers/{user_id:int}")
    async def followers(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        user_id: FromPath[int],
        list_params: Lists,
    ) -> Page[str]:
        """Ids of the users following the caller's broadcast view."""
        return await store.followers(conn, me, image_id, user_id, list_params)


ROUTES = [UserPositionController]
