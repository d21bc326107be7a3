"""Role and user-role services: ``/api/role…`` and ``/api/user/{id}/role…``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import roles
from server.http.common import envelope, forget_accounts
from server.http.deps import Conn, Lists, Me
from server.params import flag


class RoleController(Controller):
    """The four application roles."""

    path = "/api/role"
    tags = ["Role"]

    @get("/")
    async def list_roles(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.SecRole]:
        """ROLE_GUEST, ROLE_USER, ROLE_ADMIN and ROLE_SUPER_ADMIN."""
        return await roles.list_roles(conn, list_params)

    @get("/{role_id:int}")
    async def show(self, conn: Conn, me: Me, role_id: FromPath[int]) -> c.SecRole:
        """One role."""
        return await roles.get_role(conn, role_id)


class UserRoleController(Controller):
    """Roles held by a user."""

    path = "/api/user/{user_id:int}/role"
    tags = ["Associated role (user-role)"]

    @get("/")
    async def list_links(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        user_id: FromPath[int],
        highest: FromQuery[str | None] = None,
    ) -> Page[c.SecUserSecRole] | Page[c.SecRole]:
        """Roles of a user; ``highest=true`` gives only the highest role."""
        if flag(highest, name="highest"):
            return await roles.highest(conn, me, user_id)
        return await roles.user_roles(conn, me, user_id, list_params)

    @post("/", status_code=200)
    async def add(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        data: JSONBody[c.SecUserSecRoleInput],
    ) -> c.SecUserSecRoleEnvelope:
        """Give a role to a user (admin; ROLE_SUPER_ADMIN only from a super admin)."""
        obj, command = await roles.add_link(conn, me, user_id, data)
        forget_accounts(request)
        return envelope(c.SecUserSecRoleEnvelope, obj, action="ADD", command=command)

    @get("/{role_id:int}")
    async def show(
        self, conn: Conn, me: Me, user_id: FromPath[int], role_id: FromPath[int]
    ) -> c.SecUserSecRole:
        """One user-role link."""
        return await roles.get_link(conn, me, user_id, role_id)

    @delete("/{role_id:int}", status_code=200)
    async def remove(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        role_id: FromPath[int],
    ) -> c.SecUserSecRoleEnvelope:
        """Take a role away from a user (admin)."""
        obj, command = await roles.delete_link(conn, me, user_id, role_id)
        forget_accounts(request)
        return envelope(c.SecUserSecRoleEnvelope, obj, action="DELETE", command=command)

    @put("/{role_id:int}/define")
    async def define(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        role_id: FromPath[int],
    ) -> Page[c.SecRole]:
        """Make the user hold exactly this role and those below it (admin)."""
        held = await roles.define(conn, me, user_id, role_id)
        forget_accounts(request)
        return held


ROUTES = [RoleController, UserRoleController]
