"""Storage and storage member services: ``/api/storage…``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import DataMessage, Message, Page
from server.db.store import storages
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag

OK = DataMessage(data=Message(message="OK"))


class StorageController(Controller):
    """Storages (upload spaces) and who may use them."""

    path = "/api/storage"
    tags = ["Storage"]

    @get("/")
    async def list_storages(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        all_: Annotated[str | None, QueryParameter(name="all")] = None,
    ) -> Page[c.Storage]:
        """Storages the caller can read; ``all=true`` lists every storage for admins."""
        every = flag(all_, name="all")
        return await storages.list_storages(conn, me, list_params, all_=every)

    @post("/", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[c.StorageInput]) -> c.StorageEnvelope:
        """Create a storage owned by the caller."""
        obj, command = await storages.create(conn, me, data)
        return envelope(c.StorageEnvelope, obj, action="ADD", command=command)

    @get("/{storage_id:int}")
    async def show(self, conn: Conn, me: Me, storage_id: FromPath[int]) -> c.Storage:
        """One storage."""
        return await storages.readable(conn, me, storage_id)

    @put("/{storage_id:int}")
    async def update(
        self, conn: Conn, me: Me, storage_id: FromPath[int], data: JSONBody[c.StorageInput]
    ) -> c.StorageEnvelope:
        """Rename a storage or change its owner."""
        obj, command = await storages.update(conn, me, storage_id, data)
        return envelope(c.StorageEnvelope, obj, action="EDIT", command=command)

    @delete("/{storage_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, storage_id: FromPath[int], task: FromQuery[int | None] = None
    ) -> c.StorageEnvelope:
        """Delete a storage."""
        obj, command = await storages.delete(conn, me, storage_id)
        return envelope(c.StorageEnvelope, obj, action="DELETE", command=command)

    @get("/{storage_id:int}/user")
    async def members(
        self, conn: Conn, me: Me, list_params: Lists, storage_id: FromPath[int]
    ) -> Page[c.User]:
        """Users having access to the storage."""
        return await storages.members(conn, me, storage_id, list_params)

    @post("/{storage_id:int}/user/{user_id:int}", status_code=200)
    async def grant(
        self, conn: Conn, me: Me, storage_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Let a user use the storage."""
        await storages.grant(conn, me, storage_id, user_id)
        return OK

    @delete("/{storage_id:int}/user/{user_id:int}", status_code=200)
    async def revoke(
        self, conn: Conn, me: Me, storage_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Take a user's access to the storage away (never the owner's)."""
        await storages.revoke(conn, me, storage_id, user_id)
        return OK


ROUTES = [StorageController]
