"""Resolve the caller of an ``/api`` request: the ``me`` dependency of every handler.

Accepted credentials, in order: ``Authorization: CYTOMINE`` (API key), ``Authorization:
Bearer`` (JWT from the OIDC surface) and, on routes that declare ``opt={"query_token":
True}`` (images, downloads), a bearer token in the ``auth``/``Authorization``/
``authorization`` query parameter, for ``<img>`` tags and downloads that cannot set headers.
Account lookups are cached for a few seconds so the hot paths do not query per request.
"""

from __future__ import annotations

import time
from typing import Any

import asyncpg
from litestar import Request
from litestar.datastructures import State

from contracts.errors import Unauthorized
from server.auth import apikey, tokens
from server.auth.principal import Principal
from server.db import queries as q
from server.paths import ORIGINAL_PATH
from server.settings import Settings

QUERY_TOKEN_PARAMS = ("auth", "Authorization", "authorization")


class AccountCache:
    """Tiny TTL cache of account rows keyed by public key or user id."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._rows: dict[object, tuple[float, asyncpg.Record | None]] = {}

    async def get(self, pool: asyncpg.Pool, sql: str, key: object) -> asyncpg.Record | None:
        now = time.monotonic()
        hit = self._rows.get((sql, key))
        if hit is not None and hit[0] > now:
            return hit[1]
        row = await pool.fetchrow(sql, key)
        if len(self._rows) > 10_000:
            self._rows.clear()
        self._rows[(sql, key)] = (now + self.ttl, row)
        return row

    def clear(self) -> None:
        """Forget everything (after a key, role or lock change)."""
        self._rows.clear()


def _principal(row: asyncpg.Record | None) -> Principal:
    if row is None:
        raise Unauthorized("Unknown credentials")
    if not row["enabled"]:
        raise Unauthorized("This account is locked")
    return Principal(
        id=row["id"],
        username=row["username"],
        rank=row["rank"],
        admin_session=row["admin_session"],
        algo=row["algo"],
    )


async def _from_api_key(request: Request[Any, Any, Any], state: State, header: str) -> Principal:
    settings: Settings = state.settings
    public, signature = apikey.parse_authorization(header)
    date, content_type = apikey.signed_headers(request.headers)
    apikey.check_date(date, skew_seconds=settings.date_skew_seconds)
    row = await state.accounts.get(state.pool, q.PRINCIPAL_BY_PUBLIC_KEY, public)
    principal = _principal(row)
    extensions = request.scope.get("extensions") or {}
    path = str(extensions.get(ORIGINAL_PATH) or request.url.path)
    query = request.scope.get("query_string", b"").decode("latin-1")
    signed = apikey.SignedRequest(
        method=request.method,
        content_md5=request.headers.get("content-md5", ""),
        content_type=content_type,
        date=date,
        path_and_query=f"{path}?{query}" if query else path,
        pathless=settings.pathless_signatures,
    )
    assert row is not None
    if not apikey.signature_matches(row["private_key"], signature, signed):
        raise Unauthorized("Bad signature")
    return principal


async def _from_bearer(state: State, token: str) -> Principal:
    user_id = tokens.access_token_subject(state.signing_key, token)
    return _principal(await state.accounts.get(state.pool, q.PRINCIPAL_BY_ID, user_id))


async def principal_from_bearer(state: State, token: str) -> Principal:
    """The account an access token names (for connections that are not ``/api`` requests)."""
    return await _from_bearer(state, token.removeprefix("Bearer ").strip())


def _query_token(request: Request[Any, Any, Any]) -> str | None:
    if not request.route_handler.opt.get("query_token"):
        return None
    for name in QUERY_TOKEN_PARAMS:
        value = str(request.query_params.get(name) or "")
        if value:
            return value.removeprefix("Bearer ").strip()
    return None


async def provide_principal(request: Request[Any, Any, Any], state: State) -> Principal:
    """The authenticated caller; 401 in Cytomine's JSON shape otherwise."""
    header = request.headers.get("authorization", "")
    if header.startswith(apikey.SCHEME):
        return await _from_api_key(request, state, header)
    if header[:7].lower() == "bearer ":
        return await _from_bearer(state, header[7:].strip())
    token = _query_token(request)
    if token:
        return await _from_bearer(state, token)
    raise Unauthorized("Authentication required")


__all__ = ["QUERY_TOKEN_PARAMS", "AccountCache", "principal_from_bearer", "provide_principal"]
