"""Authentication & session service: legacy login, server-side signing, admin session, keys."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post, route
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Redirect

from contracts.errors import Forbidden, Invalid, NotFound, Unauthorized
from server.auth import apikey, oidc, tokens
from server.db.pool import connection
from server.db.store import iam
from server.http.common import forget_accounts
from server.http.deps import AnonymousConn, Conn, Me
from server.http.iam import issuer
from server.principal import ADMIN, GUEST, USER, Principal
from server.runtime import request_runtime

AnyRequest = Request[Any, Any, State]


async def _login(request: AnyRequest, conn: Any, user_id: int) -> dict[str, str]:
    """``{token, shortTermToken}``: a long session token and a short one, both access JWTs."""
    runtime = request_runtime(request)
    settings = runtime.settings
    account = await iam.open_session(conn, user_id, lifetime=settings.sso_session_seconds)
    claims = oidc.access_claims(account, issuer(request))
    signing = runtime.signing_key
    return {
        "token": tokens.issue(
            signing, claims, typ=tokens.ACCESS, ttl_seconds=settings.sso_session_seconds
        ),
        "shortTermToken": tokens.issue(
            signing, claims, typ=tokens.ACCESS, ttl_seconds=settings.access_token_seconds
        ),
    }


def _auth_information(rank: int, admin_session: bool) -> dict[str, bool]:
    return {
        "admin": rank >= ADMIN,
        "user": rank >= USER,
        "guest": rank == GUEST,
        "adminByNow": rank >= ADMIN and admin_session,
        "userByNow": rank >= USER,
        "guestByNow": rank == GUEST,
    }


class LoginController(Controller):
    """Login without the IdP pages (Cytomine 2024 UI and scripts)."""

    tags = ["Authentication & session"]

    @post("/api/authenticate", status_code=200)
    async def authenticate(
        self, request: AnyRequest, data: JSONBody[dict[str, Any]]
    ) -> dict[str, str]:
        """Check ``{username, password}`` and answer bearer tokens.

        Connections are taken for each step only: none is held while the password hashes.
        """
        username, password = data.get("username"), data.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise Invalid("username and password are required")
        address = request.client.host if request.client else None
        runtime = request_runtime(request)
        wait = runtime.settings.database_wait_seconds
        user_id = await iam.check_password(runtime.pool, username, password, address, wait)
        if user_id is None:
            raise Unauthorized("Bad credentials")
        async with connection(runtime.pool, wait) as conn:
            return await _login(request, conn, user_id)

    @route("/login/loginWithToken", http_method=["GET", "POST"], status_code=200)
    async def login_with_token(
        self, request: AnyRequest, anonymous_conn: AnonymousConn
    ) -> dict[str, str]:
        """Consume a one-time login token made by ``/api/token`` (query or form fields)."""
        values = dict(request.query_params.items())
        if request.method == "POST" and "form" in request.headers.get("content-type", ""):
            values.update({k: str(v) for k, v in (await request.form()).items()})
        username, token = values.get("username", ""), values.get("tokenKey", "")
        user_id = await iam.take_login_token(anonymous_conn, username, token) if token else None
        if user_id is None:
            raise Unauthorized("Invalid or expired login token")
        return await _login(request, anonymous_conn, user_id)

    @post(["/login/forgotPassword", "/login/forgotUsername"], status_code=200)
    async def forgot(self) -> dict[str, Any]:
        """Mail-based recovery: this server sends no mail, so an admin resets passwords."""
        return {
            "success": False,
            "message": "This server sends no e-mail: ask an administrator to reset your password.",
        }

    @get("/loginWithoutSSO/login", sync_to_thread=False, status_code=302)
    def login_page(self) -> Redirect:
        """The old login page: the Web UI, which signs in through the IdP."""
        return Redirect("/")


class SigningController(Controller):
    """Signatures and login tokens computed by the server for the caller."""

    tags = ["Authentication & session"]

    @get("/api/signature")
    async def signature(self, request: AnyRequest, conn: Conn, me: Me) -> dict[str, str]:
        """The CYTOMINE signature of the described request, with the caller's private key.

        The Web UI names the upload URL in full (``{PIMS_URL}/upload``); the signature covers
        its path, as the server sees it when the request arrives.
        """
        p = request.query_params
        ctype = p.get("content-type") or p.get("content-Type") or ""
        forward = urlsplit(p.get("forwardURI", ""))
        target = forward.path if forward.scheme else p.get("forwardURI", "")
        if p.get("queryString"):
            target += "?" + p["queryString"]
        head = f"{p.get('method', '').upper()}\n{p.get('content-MD5', '')}\n{ctype}"
        row = await iam.keys_by_id(conn, me.id, caller=me.id, admin=False)
        assert row is not None
        signed = apikey.sign(row["private_key"], f"{head}\n{p.get('date', '')}\n{target}")
        return {"signature": signed, "publicKey": row["public_key"]}

    @route("/api/token", http_method=["GET", "POST"], status_code=200)
    async def login_token(
        self, conn: Conn, me: Me, username: FromQuery[str], validity: FromQuery[int] = 60
    ) -> dict[str, Any]:
        """Admin: a one-time login token for ``username``, valid ``validity`` minutes."""
        if not me.is_admin:
            raise Forbidden("You don't have the right to read or modify this resource!")
        if validity < 1:
            raise Invalid("validity must be a positive number of minutes")
        token = await iam.new_login_token(conn, username, validity)
        if token is None:
            raise NotFound("User", username)
        return {"success": True, "token": token}


class AdminSessionController(Controller):
    """Admins act as plain users until they open an admin session."""

    path = "/session/admin"
    tags = ["Authentication & session"]

    @get("/open")
    async def open_session(self, request: AnyRequest, conn: Conn, me: Me) -> dict[str, bool]:
        """Open the caller's admin session (admin role required)."""
        if not me.has_admin_role:
            raise Forbidden("You don't have the right to open an admin session")
        return await _set_admin_session(request, conn, me, is_open=True)

    @get("/close")
    async def close_session(self, request: AnyRequest, conn: Conn, me: Me) -> dict[str, bool]:
        """Close the caller's admin session."""
        return await _set_admin_session(request, conn, me, is_open=False)

    @get("/info", sync_to_thread=False)
    def info(self, me: Me) -> dict[str, bool]:
        """Roles of the caller and whether the admin session is open."""
        return _auth_information(me.rank, me.admin_session)


async def _set_admin_session(
    request: AnyRequest, conn: Any, me: Principal, *, is_open: bool
) -> dict[str, bool]:
    row = await iam.set_admin_session(conn, me.id, is_open=is_open)
    forget_accounts(request)
    return _auth_information(row["rank"], row["admin_session"])


class KeysController(Controller):
    """API keys, for users of the Python client."""

    tags = ["Authentication & session"]

    @get("/api/user/current/keys")
    async def current_keys(self, conn: Conn, me: Me) -> dict[str, str]:
        """The caller's key pair as ``{primaryKey, secondaryKey}``."""
        row = await iam.keys_by_id(conn, me.id, caller=me.id, admin=False)
        assert row is not None
        return {"primaryKey": row["public_key"], "secondaryKey": row["private_key"]}

    @post("/api/user/current/keys", status_code=200)
    async def regenerate(self, request: AnyRequest, conn: Conn, me: Me) -> dict[str, str]:
        """Replace the caller's key pair; the old keys stop working at once."""
        row = await iam.regenerate_keys(conn, me.id)
        forget_accounts(request)
        return {"primaryKey": row["public_key"], "secondaryKey": row["private_key"]}

    @get("/api/user/{user_id:int}/keys")
    async def user_keys(self, conn: Conn, me: Me, user_id: FromPath[int]) -> dict[str, str]:
        """``{privateKey, publicKey}`` of a user (admin or self)."""
        row = await iam.keys_by_id(conn, user_id, caller=me.id, admin=me.is_admin)
        if row is None:
            raise _refusal(me, user_id)
        return {"privateKey": row["private_key"], "publicKey": row["public_key"]}

    @get("/api/userkey/{public_key:str}/keys")
    async def key_owner_keys(self, conn: Conn, me: Me, public_key: FromPath[str]) -> dict[str, str]:
        """``{privateKey, publicKey}`` of the owner of ``public_key`` (admin or self)."""
        row = await iam.keys_by_public_key(conn, public_key, caller=me.id, admin=me.is_admin)
        if row is None:
            if me.is_admin:
                raise NotFound("User", public_key)
            raise Forbidden("You don't have the right to read or modify this resource!")
        return {"privateKey": row["private_key"], "publicKey": row["public_key"]}


def _refusal(me: Principal, user_id: int) -> NotFound | Forbidden:
    if me.is_admin or me.id == user_id:
        return NotFound("User", user_id)
    return Forbidden("You don't have the right to read or modify this resource!")


ROUTES = [LoginController, SigningController, AdminSessionController, KeysController]

__all__ = ["ROUTES"]
