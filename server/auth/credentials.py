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


CREDENTIAL_HEADERS = (
    "authorization",
    "content-md5",
    "content-type",
    "content-type-full",
    "date",
    "datefull",
)
"""Every request header ``principal_of`` reads (a ``Caller`` needs no other)."""
VERIFIED_ENTRIES = 4096

SignatureKey = tuple[str, str, str, str, str]
"""An API-key signature and what it always covers: header, method, MD5, content type, date."""


class AccountCache:
    """Tiny TTL cache of account rows keyed by public key or user id, and of the API-key
    signatures verified with them.

    A verified signature is remembered with the principal it proved and what it covers
    beyond its key (every path for a path-less signature, else its path and query) for as
    long as the account row would be, and no longer than its date is accepted, so the next
    requests signed the same way skip the header parsing, the date check, the row lookup and
    the HMACs; ``clear`` (a change of key, role or lock) forgets both.
    """

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._rows: dict[object, tuple[float, asyncpg.Record | None]] = {}
        self._verified: dict[SignatureKey, tuple[float, float, str, Principal]] = {}

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

    def verified(self, key: SignatureKey, path_and_query: str) -> Principal | None:
        """The principal a still remembered signature proved for this path, else None."""
        hit = self._verified.get(key)
        if hit is None or hit[2] not in ("", path_and_query):
            return None
        if hit[0] <= time.monotonic() or hit[1] < time.time():
            return None
        return hit[3]

    def remember(
        self, key: SignatureKey, covers: str, principal: Principal, date_until: float
    ) -> None:
        """Note a verified signature (``covers``: ``""`` for every path, else the one path;
        ``date_until``: the epoch time after which its date is refused)."""
        if self.ttl <= 0:
            return
        if len(self._verified) >= VERIFIED_ENTRIES:
            self._verified.clear()
        self._verified[key] = (time.monotonic() + self.ttl, date_until, covers, principal)

    def clear(self) -> None:
        """Forget everything (after a key, role or lock change)."""
        self._rows.clear()
        self._verified.clear()


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
    headers = caller.headers
    date, content_type = apikey.signed_headers(headers)
    content_md5 = headers.get("content-md5", "")
    accounts = runtime.accounts
    key = (header, caller.method, content_md5, content_type, date)
    known = accounts.verified(key, caller.path_and_query)
    if known is not None:  # its header was well formed and its date is still accepted
        return known
    public, signature = apikey.parse_authorization(header)
    skew = settings.date_skew_seconds
    apikey.check_date(date, skew_seconds=skew)
    row = await accounts.get(runtime.pool, q.PRINCIPAL_BY_PUBLIC_KEY, public)
    principal = _principal(row)
    signed = apikey.SignedRequest(
        method=caller.method,
        content_md5=content_md5,
        content_type=content_type,
        date=date,
        path_and_query=caller.path_and_query,
        pathless=settings.pathless_signatures,
    )
    assert row is not None
    covers = apikey.signature_scope(row["private_key"], signature, signed)
    if covers is None:
        raise Unauthorized("Bad signature")
    accounts.remember(key, covers, principal, apikey.sent_at(date) + skew)
    return principal


async def _from_bearer(runtime: Runtime, token: str) -> Principal:
    user_id = tokens.access_token_subject(runtime.signing_key, token)
    return _principal(await runtime.accounts.get(runtime.pool, q.PRINCIPAL_BY_ID, user_id))


async def principal_from_bearer(runtime: Runtime, token: str) -> Principal:
    """The account an access token names (for connections that are not ``/api`` requests)."""
    return await _from_bearer(runtime, token.removeprefix("Bearer ").strip())


def query_token(query: Mapping[str, Any]) -> str | None:
    """The bearer token a query carries (``auth``, ``Authorization`` or ``authorization``)."""
    if not query:
        return None
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
    "CREDENTIAL_HEADERS",
    "QUERY_TOKEN_PARAMS",
    "AccountCache",
    "principal_from_bearer",
    "principal_of",
    "query_token",
]
