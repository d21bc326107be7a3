"""Abstract slice creation, the plane at channel/z/time, and the uploader of a slice."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import BulkResult
from server.db.store import abstract_slices
from server.http.common import envelope
from server.http.deps import Conn, Me


class AbstractSliceWriteController(Controller):
    """Planes of abstract images, as image servers register them."""

    path = "/api"
    tags = ["Abstract slice"]

    @post("/abstractslice", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.AbstractSliceInput | list[c.AbstractSliceInput]]
    ) -> c.AbstractSliceEnvelope | BulkResult:
        """Add a plane to an abstract image (its storage must be readable); arrays add many."""
        if isinstance(data, list):
            return await abstract_slices.create_many(conn, me, data)
        obj, command = await abstract_slices.create(conn, me, data)
        return envelope(c.AbstractSliceEnvelope, obj, action="ADD", command=command)

    @get("/abstractslice/{slice_id:int}/user")
    async def uploader(self, conn: Conn, me: Me, slice_id: FromPath[int]) -> c.User:
        """Who uploaded the file behind the plane."""
        return await abstract_slices.uploader(conn, me, slice_id)

    @get("/abstractimage/{image_id:int}/{channel:int}/{z_stack:int}/{time:int}/abstractslice")
    async def at(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        channel: FromPath[int],
        z_stack: FromPath[int],
        time: FromPath[int],
    ) -> c.AbstractSlice:
        """The plane of an abstract image at channel/z/time."""
        return await abstract_slices.at(conn, me, image_id, (channel, z_stack, time))


ROUTES = [AbstractSliceWriteController]
