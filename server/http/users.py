"""User service: ``/api/user…`` (accounts, profile, lock, password, contacts)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, HttpMethod, Request, delete, get, post, put, route
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import CurrentUser, DataMessage, Message, Page
from contracts.errors import Forbidden, Invalid
from server.db.store import users
from server.http.common import envelope, forget_accounts
from server.http.deps import Conn, Lists, Me
from server.params import as_id, flag, json_body


class PasswordBody(msgspec.Struct, kw_only=True):
    """``{"password": ...}``; other keys ignored."""

    password: str | None = None


_PASSWORD = msgspec.json.Decoder(PasswordBody)


async def _password(request: Request[Any, Any, Any], query_value: str | None) -> str | None:
    """The password from the JSON body, else from the query string."""
    raw = await request.body()
    if raw.strip():
        body = json_body(raw, _PASSWORD)
        if body.password:
            return body.password
    return query_value


async def _set_enabled(
    conn: Conn, me: Me, request: Request[Any, Any, Any], user_id: int, *, enabled: bool
) -> c.UserEnvelope:
    """Lock or unlock an account; cached credentials go so the change applies at once."""
    obj, command = await users.set_enabled(conn, me, user_id, enabled=enabled)
    forget_accounts(request)
    return envelope(c.UserEnvelope, obj, action="EDIT", command=command)


class UserController(Controller):
    """Accounts."""

    path = "/api/user"
    tags = ["User"]

    @get("/")
    async def list_users(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        public_key: Annotated[str | None, QueryParameter(name="publicKey")] = None,
        with_roles: Annotated[str | None, QueryParameter(name="withRoles")] = None,
    ) -> Page[c.User] | c.User:
        """Every account; ``publicKey`` finds the owner of a key; ``withRoles`` adds role."""
        if public_key is not None:
            return await users.by_public_key(conn, me, public_key)
        roles = flag(with_roles, name="withRoles")
        return await users.list_users(conn, me, list_params, with_roles=roles)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any], data: JSONBody[c.UserInput]
    ) -> c.UserEnvelope:
        """Create an account (admin); it gets a storage of its own."""
        obj, command = await users.create(conn, me, data)
        forget_accounts(request)
        return envelope(c.UserEnvelope, obj, action="ADD", command=command)

    @get("/current")
    async def current(self, conn: Conn, me: Me) -> CurrentUser:
        """The authenticated user; clients call it first to check their credentials."""
        return await users.current(conn, me)

    @route("/security_check", http_method=[HttpMethod.GET, HttpMethod.POST], status_code=200)
    async def security_check(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        password: FromQuery[str | None] = None,
    ) -> DataMessage:
        """Check the caller's password (JSON body or query) before a sensitive action."""
        given = await _password(request, password)
        if not given or not await users.password_matches(conn, me, given):
            raise Forbidden("Wrong password")
        return DataMessage(data=Message(message="OK"))

    @get("/{ident:str}")
    async def show(self, conn: Conn, me: Me, ident: FromPath[str]) -> c.User:
        """One account, by id or, as Cytomine also accepts, by user name."""
        if (user_id := as_id(ident)) is not None:
            return await users.get(conn, me, user_id)
        return await users.get_by_username(conn, me, ident)

    @put("/{user_id:int}")
    async def update(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        data: JSONBody[c.UserInput],
    ) -> c.UserEnvelope:
        """Edit a profile (oneself or admin)."""
        obj, command = await users.update(conn, me, user_id, data)
        forget_accounts(request)
        return envelope(c.UserEnvelope, obj, action="EDIT", command=command)

    @delete("/{user_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> c.UserEnvelope:
        """Delete an account (admin)."""
        obj, command = await users.delete(conn, me, user_id)
        forget_accounts(request)
        return envelope(c.UserEnvelope, obj, action="DELETE", command=command)

    @get("/{user_id:int}/friends")
    async def friends(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        user_id: FromPath[int],
        project: FromQuery[int | None] = None,
        offline: FromQuery[str | None] = None,
    ) -> Page[c.User]:
        """Users sharing a project with the user (presence is not tracked: all count)."""
        flag(offline, name="offline")
        return await users.friends(conn, me, user_id, project, list_params)

    @post("/{user_id:int}/lock", status_code=200)
    async def lock(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> c.UserEnvelope:
        """Disable an account (admin)."""
        return await _set_enabled(conn, me, request, user_id, enabled=False)

    @delete("/{user_id:int}/lock", status_code=200)
    async def unlock(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> c.UserEnvelope:
        """Enable an account again (admin)."""
        return await _set_enabled(conn, me, request, user_id, enabled=True)

    @put("/{user_id:int}/password")
    async def password(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        password: FromQuery[str | None] = None,
    ) -> c.UserEnvelope:
        """Change a password (oneself or admin): body ``{password}``."""
        given = await _password(request, password)
        obj, command = await users.set_password(conn, me, user_id, given)
        return envelope(c.UserEnvelope, obj, action="EDIT", command=command)


class LdapController(Controller):
    """LDAP import, removed from Cytomine in 2025; there is no directory to ask."""

    path = "/api/ldap"
    tags = ["User"]

    @post("/user", status_code=200)
    async def import_user(self, me: Me) -> None:
        """Refused: accounts cannot come from LDAP here."""
        raise Invalid("LDAP is not supported by this server: create the account instead")

    @get("/{username:str}/user")
    async def exists(self, me: Me, username: FromPath[str]) -> None:
        """Refused: there is no LDAP directory to look into."""
        raise Invalid("LDAP is not supported by this server")


ROUTES = [UserController, LdapController]
