"""SSO sessions, authorization codes, login tokens and API keys of the built-in IdP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

import asyncpg
import msgspec

from contracts.errors import DomainError
from server import sso
from server.db import queries as q
from server.db.credentials_channel import announce
from server.db.pool import connection
from server.passwords import (
    hash_password,
    new_key_pair,
    new_password,
    verify_password_in_thread,
)


class CodeGrant(msgspec.Struct, kw_only=True):
    """What an authorization code was issued for."""

    session_id: str
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    code_challenge_method: str | None
    nonce: str | None
    scope: str | None
    valid: bool


class Throttled(DomainError):
    """Too many failed logins for this account or client address (429, Retry-After)."""

    status = 429

    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many failed logins: try again in {wait} s")
        self.retry_after = wait


# Failures before a key is blocked: an account is guessed at slowly, and one address cannot
# try many accounts quickly either.
USER_THRESHOLD = 5
ADDRESS_THRESHOLD = 20
# Unknown accounts are checked against this hash so that they cost the same time as known
# ones (no user-name oracle from the answer's delay).
_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password(new_password()))
    return _DUMMY_HASH[0]


@asynccontextmanager
async def _using(db: asyncpg.Pool | asyncpg.Connection, wait: float) -> AsyncIterator[Any]:
    """``db`` itself when it is a connection, else one of its connections for a moment."""
    if isinstance(db, asyncpg.Pool):
        async with connection(db, wait) as conn:
            yield conn
    else:
        yield db


async def check_password(
    db: asyncpg.Pool | asyncpg.Connection,
    username: str,
    password: str,
    address: str | None = None,
    wait: float = 2.0,
) -> int | None:
    """Id of the enabled account whose password matches, else None; Throttled when the
    account or the client address failed too often lately. Given a pool, no connection is
    held while the password is hashed."""
    keys = [f"user:{username}"] + ([f"addr:{address}"] if address else [])
    async with _using(db, wait) as conn:
        blocked = int(await conn.fetchval(q.LOGIN_THROTTLE_WAIT, keys))
        if blocked > 0:
            raise Throttled(blocked)
        row = await conn.fetchrow(q.ACCOUNT_BY_USERNAME, username)
    account = row if row is not None and row["enabled"] else None
    stored = account["password_hash"] if account is not None else None
    # Argon2 is deliberately slow: keep it off the event loop.
    ok = await verify_password_in_thread(stored or _dummy_hash(), password)
    async with _using(db, wait) as conn:
        if account is not None and stored and ok:
            await conn.execute(q.LOGIN_THROTTLE_CLEAR, keys[0])
            return int(account["id"])
        thresholds = [USER_THRESHOLD, ADDRESS_THRESHOLD][: len(keys)]
        await conn.execute(q.LOGIN_THROTTLE_FAIL, keys, thresholds)
    return None


async def open_session(
    conn: asyncpg.Connection, user_id: int, *, lifetime: int, cookie: str | None = None
) -> sso.Account:
    """Start an SSO session; ``cookie`` is the browser secret, when there is one."""
    sid = sso.new_secret()
    cookie_hash = sso.digest(cookie) if cookie else None
    await conn.execute(q.IAM_SESSION_INSERT, sid, user_id, cookie_hash, lifetime)
    account = await session_account(conn, sid)
    assert account is not None
    return account


async def session_account(conn: asyncpg.Connection, sid: str) -> sso.Account | None:
    """The account of a live session, or None when it ended or expired."""
    row = await conn.fetchrow(q.IAM_SESSION_ACCOUNT, sid)
    return None if row is None else sso.Account(**dict(row))


async def session_by_cookie(conn: asyncpg.Connection, cookie: str | None) -> str | None:
    """The live session behind an SSO cookie value."""
    if not cookie:
        return None
    sid: str | None = await conn.fetchval(q.IAM_SESSION_BY_COOKIE, sso.digest(cookie))
    return sid


async def end_session(
    conn: asyncpg.Connection, *, sid: str | None = None, cookie: str | None = None
) -> None:
    """End the session named by id or by cookie (logout)."""
    cookie_hash = sso.digest(cookie) if cookie else None
    await conn.execute(q.IAM_SESSION_END, sid, cookie_hash)


async def new_code(conn: asyncpg.Connection, sid: str, request: dict[str, str]) -> str:
    """Issue a one-time code for ``sid`` and the authorization ``request`` parameters."""
    code = sso.new_secret()
    await conn.execute(
        q.IAM_CODE_INSERT,
        sso.digest(code),
        sid,
        request.get("client_id", ""),
        request.get("redirect_uri", ""),
        request.get("code_challenge") or None,
        request.get("code_challenge_method") or None,
        request.get("nonce") or None,
        request.get("scope") or None,
        sso.CODE_SECONDS,
    )
    return code


async def take_code(conn: asyncpg.Connection, code: str) -> CodeGrant | None:
    """Consume a code (single use); None when unknown or already used."""
    row = await conn.fetchrow(q.IAM_CODE_TAKE, sso.digest(code))
    return None if row is None else CodeGrant(**dict(row))


class AccountUpdate(NamedTuple):
    """What an Account REST update changes (None: left as it is)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    is_developer: bool | None = None


async def update_account(conn: asyncpg.Connection, user_id: int, update: AccountUpdate) -> None:
    """Apply an Account REST update (first/last name, email, isDeveloper)."""
    await conn.execute(q.IAM_ACCOUNT_UPDATE, user_id, *update)


async def profile(conn: asyncpg.Connection, user_id: int) -> sso.Account | None:
    """Profile facts of an account for the Account REST API (no session)."""
    row = await conn.fetchrow(q.IAM_ACCOUNT_PROFILE, user_id)
    return None if row is None else sso.Account(**dict(row))


async def credentials(conn: asyncpg.Connection, user_id: int) -> asyncpg.Record | None:
    """Whether the account has a password, and since when."""
    return await conn.fetchrow(q.IAM_ACCOUNT_CREDENTIALS, user_id)


async def new_login_token(conn: asyncpg.Connection, username: str, minutes: int) -> str | None:
    """A one-time login token for ``username``; None when the account is unknown."""
    token = sso.new_secret()
    found = await conn.fetchval(q.IAM_LOGIN_TOKEN_INSERT, sso.digest(token), username, minutes * 60)
    return None if found is None else token


async def take_login_token(conn: asyncpg.Connection, username: str, token: str) -> int | None:
    """Consume a login token; the account id when it was valid."""
    user_id: int | None = await conn.fetchval(q.IAM_LOGIN_TOKEN_TAKE, sso.digest(token), username)
    return user_id


async def keys_by_id(
    conn: asyncpg.Connection, user_id: int, *, caller: int, admin: bool
) -> asyncpg.Record | None:
    """API keys of ``user_id`` when the caller may read them."""
    return await conn.fetchrow(q.USER_KEYS_BY_ID, user_id, caller, admin)


async def keys_by_public_key(
    conn: asyncpg.Connection, public_key: str, *, caller: int, admin: bool
) -> asyncpg.Record | None:
    """API keys of the owner of ``public_key`` when the caller may read them."""
    return await conn.fetchrow(q.USER_KEYS_BY_PUBLIC_KEY, public_key, caller, admin)


async def regenerate_keys(conn: asyncpg.Connection, user_id: int) -> asyncpg.Record:
    """A fresh API key pair for the account."""
    public, private = new_key_pair()
    async with conn.transaction():
        row = await conn.fetchrow(q.USER_KEYS_REGENERATE, user_id, public, private)
        await announce(conn)
    assert row is not None
    return row


async def set_admin_session(
    conn: asyncpg.Connection, user_id: int, *, is_open: bool
) -> asyncpg.Record:
    """Open or close the admin session of the account; returns rank and the new state."""
    async with conn.transaction():
        row = await conn.fetchrow(q.USER_ADMIN_SESSION_SET, user_id, is_open)
        await announce(conn)
    assert row is not None
    return row


__all__ = [
    "AccountUpdate",
    "CodeGrant",
    "Throttled",
    "check_password",
    "credentials",
    "end_session",
    "keys_by_id",
    "keys_by_public_key",
    "new_code",
    "new_login_token",
    "open_session",
    "profile",
    "regenerate_keys",
    "session_account",
    "session_by_cookie",
    "set_admin_session",
    "take_code",
    "take_login_token",
    "update_account",
]
