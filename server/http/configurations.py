"""Configuration service: global settings (``/api/configuration…``), written by admins."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import configurations as store
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


class ConfigurationController(Controller):
    """Key/value settings; readingRole decides who reads each one."""

    path = "/api/configuration"
    tags = ["Configuration"]

    @get("/")
    async def list_settings(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.Configuration]:
        """The settings the caller may read."""
        return await store.list_settings(conn, me, list_params)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.ConfigurationInput]
    ) -> c.ConfigurationEnvelope:
        """Create a setting: body {key, value, readingRole}."""
        obj, command = await store.create(conn, me, data)
        return envelope(c.ConfigurationEnvelope, obj, action="ADD", command=command)

    @get("/key/{key:str}")
    async def show(self, conn: Conn, me: Me, key: FromPath[str]) -> c.Configuration:
        """One setting by key."""
        return await store.get(conn, me, key)

    @put("/key/{key:str}")
    async def update(
        self, conn: Conn, me: Me, key: FromPath[str], data: JSONBody[c.ConfigurationInput]
    ) -> c.ConfigurationEnvelope:
        """Change a setting: body {value, readingRole}; a new key is created."""
        obj, command, created = await store.update(conn, me, key, data)
        action: Action = "ADD" if created else "EDIT"
        return envelope(c.ConfigurationEnvelope, obj, action=action, command=command)

    @delete("/key/{key:str}", status_code=200)
    async def remove(self, conn: Conn, me: Me, key: FromPath[str]) -> c.ConfigurationEnvelope:
        """Delete a setting."""
        obj, command = await store.delete(conn, me, key)
        return envelope(c.ConfigurationEnvelope, obj, action="DELETE", command=command)


ROUTES = [ConfigurationController]
