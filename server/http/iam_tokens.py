"""Grants of the token endpoint, with OAuth 2 error bodies (not Cytomine's error shape).

Each grant takes a pooled connection only for its database steps: the password grant checks
the password as the login form does (throttled, constant time for unknown users, hashed off
the event loop), holding no connection while it hashes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.types import ExceptionHandlersMap

from contracts.errors import Unauthorized
from server.auth import oidc, tokens
from server.db.pool import connection
from server.db.store import iam
from server.runtime import Runtime
from server.settings import Settings


class OAuthError(Exception):
    """An RFC 6749 error: ``{"error", "error_description"}`` with its status."""

    def __init__(
        self, status: int, error: str, description: str, retry_after: int | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.retry_after = retry_after


def oauth_error(_: Request[Any, Any, Any], exc: OAuthError) -> Response[dict[str, str]]:
    """OAuth errors as Keycloak answers them."""
    return Response(
        {"error": exc.error, "error_description": exc.description},
        status_code=exc.status,
        media_type=MediaType.JSON,
        headers={"cache-control": "no-store"}
        | ({"retry-after": str(exc.retry_after)} if exc.retry_after is not None else {}),
    )


OAUTH_ERRORS: ExceptionHandlersMap = {OAuthError: oauth_error}

Form = dict[str, str]


class Client(msgspec.Struct, frozen=True, kw_only=True):
    """Where the grant runs: the worker's runtime, the issuer URL and the caller's address."""

    runtime: Runtime
    issuer: str
    address: str | None

    def connection(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A pooled connection for one database step."""
        settings: Settings = self.runtime.settings
        return connection(self.runtime.pool, settings.database_wait_seconds)


def _lifetimes(runtime: Runtime) -> tuple[int, int]:
    settings: Settings = runtime.settings
    return settings.access_token_seconds, settings.refresh_token_seconds


def _wants_id_token(scope: str | None) -> bool:
    return "openid" in (scope or "").split()


async def _password(at: Client, form: Form) -> Any:
    settings: Settings = at.runtime.settings
    username, password = form.get("username", ""), form.get("password", "")
    try:
        user_id = await iam.check_password(
            at.runtime.pool, username, password, at.address, settings.database_wait_seconds
        )
    except iam.Throttled as exc:
        raise OAuthError(429, "invalid_grant", exc.message, exc.retry_after) from exc
    if user_id is None:
        raise OAuthError(401, "invalid_grant", "Invalid user credentials")
    async with at.connection() as conn:
        account = await iam.open_session(conn, user_id, lifetime=settings.sso_session_seconds)
    return oidc.token_set(
        at.runtime.signing_key,
        account,
        issuer=at.issuer,
        lifetimes=_lifetimes(at.runtime),
        with_id_token=_wants_id_token(form.get("scope")),
    )


async def _authorization_code(at: Client, form: Form) -> Any:
    async with at.connection() as conn:
        return await _code(conn, at.runtime, form, at.issuer)


async def _code(conn: asyncpg.Connection, runtime: Runtime, form: Form, iss: str) -> Any:
    code = await iam.take_code(conn, form.get("code", ""))
    if code is None or not code.valid:
        raise OAuthError(400, "invalid_grant", "Code not valid")
    if code.client_id != form.get("client_id"):
        raise OAuthError(400, "invalid_grant", "Auth error")
    if code.redirect_uri != form.get("redirect_uri"):
        raise OAuthError(400, "invalid_grant", "Incorrect redirect_uri")
    verifier = form.get("code_verifier")
    if not oidc.pkce_matches(verifier, code.code_challenge, code.code_challenge_method):
        raise OAuthError(400, "invalid_grant", "PKCE verification failed")
    account = await iam.session_account(conn, code.session_id)
    if account is None:
        raise OAuthError(400, "invalid_grant", "Session not active")
    return oidc.token_set(
        runtime.signing_key, account, issuer=iss, lifetimes=_lifetimes(runtime), nonce=code.nonce
    )


async def _refresh_token(at: Client, form: Form) -> Any:
    try:
        claims = tokens.verify(
            at.runtime.signing_key, form.get("refresh_token", ""), typ=tokens.REFRESH
        )
    except Unauthorized as exc:
        raise OAuthError(400, "invalid_grant", "Invalid refresh token") from exc
    async with at.connection() as conn:
        account = await iam.session_account(conn, str(claims.get("sid", "")))
    if account is None or str(account.id) != claims.get("sub"):
        raise OAuthError(400, "invalid_grant", "Session not active")
    return oidc.token_set(
        at.runtime.signing_key,
        account,
        issuer=at.issuer,
        lifetimes=_lifetimes(at.runtime),
        with_id_token=_wants_id_token(claims.get("scope")),
    )


Grant = Callable[[Client, Form], Awaitable[Any]]
_GRANTS: dict[str, Grant] = {
    "password": _password,
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
}


async def grant(at: Client, form: Form) -> Any:
    """Run the grant named by ``grant_type``; the token set as a dict."""
    if form.get("client_id") != oidc.CLIENT_ID:
        raise OAuthError(401, "invalid_client", "Invalid client or Invalid client credentials")
    handler = _GRANTS.get(form.get("grant_type", ""))
    if handler is None:
        raise OAuthError(400, "unsupported_grant_type", "Unsupported grant_type")
    return await handler(at, form)


__all__ = ["OAUTH_ERRORS", "OAuthError", "grant", "oauth_error"]
