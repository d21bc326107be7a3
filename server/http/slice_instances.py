"""Slice instance creation (normally made when an image enters a project)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from contracts import _generated as c
from server.db.store import slice_instances
from server.http.common import envelope
from server.http.deps import Conn, Me


class SliceInstanceWriteController(Controller):
    """Create, move and delete slice instances, kept consistent with their image."""

    path = "/api/sliceinstance"
    tags = ["Slice instance"]

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.SliceInstanceInput]
    ) -> c.SliceInstanceEnvelope:
        """Add a slice instance: the plane must belong to the image instance's image."""
        obj, command = await slice_instances.create(conn, me, data)
        return envelope(c.SliceInstanceEnvelope, obj, action="ADD", command=command)


ROUTES = [SliceInstanceWriteController]
