"""User service: ``/api/user…``."""

from __future__ import annotations

from litestar import Controller, get

from contracts.envelopes import CurrentUser
from server.db.store import users
from server.http.deps import Conn, Me


class UserController(Controller):
    """Accounts."""

    path = "/api/user"
    tags = ["User"]

    @get("/current")
    async def current(self, conn: Conn, me: Me) -> CurrentUser:
        """The authenticated user; clients call it first to check their credentials."""
        return await users.current(conn, me)


ROUTES = [UserController]
