"""Check the credentials of a request without a framework: API keys and bearer tokens.

Accepted credentials, in order: ``Authorization: CYTOMINE`` (API key), ``Authorization:
Bearer`` (JWT from the OIDC surface) and the bearer token of the query on routes that accept
one (``Caller.query_token``). The Litestar dependency (``server.auth.provider``) and the tile
fast path (``server.fast_tiles``) both read their request into a ``Caller`` and call
``principal_of``. Account rows are cached for ``auth_cache_seconds`` (a few seconds) so hot
paths do not query per request; a change of key, role or lock state clears the cache of every
worker at once (``server.db.credentials_channel``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import asyncpg

from contracts.errors import Unauthorized
from server.auth import apikey, tokens
from server.auth.caller import Caller
from server.db import queries as q
from server.principal import Principal
from server.settings import Settings

if TYPE_CHECKING:
    from server.runtime import Runtime

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


async def _from_api_key(runtime: Runtime, caller: Caller, header: str) -> Principal:
    settings: Settings = runtime.settings
    public, signature = apikey.parse_authorization(header)
    date, content_type = apikey.signed_headers(caller.headers)
    apikey.check_date(date, skew_seconds=settings.date_skew_seconds)
    row = await runtime.accounts.get(runtime.pool, q.PRINCIPAL_BY_PUBLIC_KEY, public)
    principal = _principal(row)
    signed = apikey.SignedRequest(
        method=caller.method,
        content_md5=caller.headers.get("content-md5", ""),
        content_type=content_type,
        date=date,
        path_and_query=caller.path_and_query,
        pathless=settings.pathless_signatures,
    )
    assert row is not None
    if not apikey.signature_matches(row["private_key"], signature, signed):
        raise Unauthorized("Bad signature")
    return principal


async def _from_bearer(runtime: Runtime, token: str) -> Principal:
    user_id = tokens.access_token_subject(runtime.signing_key, token)
    return _principal(await runtime.accounts.get(runtime.pool, q.PRINCIPAL_BY_ID, user_id))


async def principal_from_bearer(runtime: Runtime, token: str) -> Principal:
    """The account an access token names (for connections that are not ``/api`` requests)."""
    return await _from_bearer(runtime, token.removeprefix("Bearer ").strip())


def query_token(query: Mapping[str, Any]) -> str | None:
    """The bearer token a query carries (``auth``, ``Authorization`` or ``authorization``)."""
    for name in QUERY_TOKEN_PARAMS:
        value = str(query.get(name) or "")
        if value:
            return value.removeprefix("Bearer ").strip()
    return None


async def principal_of(runtime: Runtime, caller: Caller) -> Principal:
    """The authenticated caller of a request, whichever layer received it; 401 otherwise."""
    header = caller.headers.get("authorization", "")
    if header.startswith(apikey.SCHEME):
        return await _from_api_key(runtime, caller, header)
    if header[:7].lower() == "bearer ":
        return await _from_bearer(runtime, header[7:].strip())
    if caller.query_token:
        return await _from_bearer(runtime, caller.query_token)
    raise Unauthorized("Authentication required")


__all__ = [
    "QUERY_TOKEN_PARAMS",
    "AccountCache",
    "principal_from_bearer",
    "principal_of",
    "query_token",
]
