"""Password guessing is slowed down per account and per client address (state in PostgreSQL),
and an unknown user name costs the same password hash as a known one."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import pytest
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient

from server import passwords
from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.iam_flow import OIDC, auth_params, form_of, log_in, password_grant, pkce_pair
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def login(client: AsyncTestClient, username: str, password: str) -> Any:
    return await client.post("/api/authenticate", json={"username": username, "password": password})


class Slow(PasswordHasher):
    """A hasher that takes 1.5 s per check, in the thread that runs it."""

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        time.sleep(1.5)
        return super().verify(hash, password)


def in_thread(call: Any) -> Any:
    """Run one test-client request in its own thread: the client blocks its event loop."""
    return asyncio.to_thread(lambda: asyncio.run(call()))


async def test_repeated_failures_lock_the_account_for_a_while(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount
) -> None:
    for _ in range(5):
        assert_status(await login(client, "alice", "wrong"), 401)
    r = await login(client, "alice", "alice-password")
    assert_status(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert "too many" in r.json()["errors"]["message"].lower()
    # The state lives in the database: another worker (a fresh app) refuses too.
    assert await db.fetchval("SELECT count(*) FROM login_throttle") >= 1
    # Once the wait is over, the right password works and clears the account's failures.
    await db.execute("UPDATE login_throttle SET blocked_until = now() - interval '1 second'")
    assert_status(await login(client, "alice", "alice-password"), 200)
    assert not await db.fetchval("SELECT count(*) FROM login_throttle WHERE key = 'user:alice'")


async def test_one_address_guessing_many_accounts_is_slowed_down(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    for i in range(20):
        assert_status(await login(client, f"nobody{i}", "guess"), 401)
    r = await login(client, "alice", "alice-password")
    assert_status(r, 429)


@pytest.mark.parametrize("sign_in", [login, password_grant])
async def test_unknown_user_costs_one_password_check(
    client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch, sign_in: Any
) -> None:
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
            checked.append(str(password))
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_hasher", Counting(time_cost=1, memory_cost=1024))
    assert_status(await sign_in(client, "nobody", "guess"), 401)
    assert checked == ["guess"]


async def test_login_form_needs_the_csrf_token_it_was_served_with(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    verifier, challenge = pkce_pair()
    params = auth_params(challenge)
    page = await client.get(f"{OIDC}/auth", params=params)
    action, fields = form_of(page.text)
    assert fields.get("csrf_token")
    forged = {**fields, "csrf_token": "forged", "username": "alice", "password": "alice-password"}
    r = await client.post(action, data=forged, follow_redirects=False)
    assert_status(r, 400)
    assert "expired" in r.text.lower()
    client.cookies.clear()  # a cross-site post carries no cookie of ours
    r = await client.post(
        action,
        data={**fields, "username": "alice", "password": "alice-password"},
        follow_redirects=False,
    )
    assert_status(r, 400)
    r = await log_in(client, "alice", "alice-password", params)
    assert_status(r, 302)


async def test_hashing_a_password_holds_no_database_connection(
    database_url: str, alice: NewAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one pooled connection, a login busy hashing leaves it to other requests."""
    monkeypatch.setattr(passwords, "_hasher", Slow(time_cost=1, memory_cost=1024))
    settings = Settings(
        database_url=database_url, auth_cache_seconds=0.0, pool_max=1, database_wait_seconds=0.5
    )
    async with AsyncTestClient(app=create_app(settings)) as c:
        body = {"username": "alice", "password": "alice-password"}
        logging_in = asyncio.ensure_future(
            asyncio.to_thread(lambda: asyncio.run(c.post("/api/authenticate", json=body)))
        )
        await asyncio.sleep(0.5)  # the login is hashing now
        started = time.monotonic()
        other = await asyncio.to_thread(
            lambda: asyncio.run(c.get("/api/user/current.json", auth=auth(alice)))
        )
        assert_status(other, 200)
        assert time.monotonic() - started < 1.0
        assert_status(await logging_in, 200)


async def test_the_password_grant_is_throttled_like_the_login_form(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    """Per account and per client address, with the form's shared state; the answer keeps
    the OAuth error shape."""
    for i in range(20):
        assert_status(await password_grant(client, f"nobody{i}", "guess"), 401)
    r = await password_grant(client, "alice", "alice-password")
    assert_status(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert r.json()["error"] == "invalid_grant"
    assert "too many" in r.json()["error_description"].lower()
    assert_status(await login(client, "alice", "alice-password"), 429)


async def test_password_grants_busy_hashing_leave_the_pool_to_other_requests(
    database_url: str, alice: NewAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three password grants hash at once (1.5 s each) on a pool of two connections: an
    authenticated GET meanwhile answers at once, not after the grants."""
    monkeypatch.setattr(passwords, "_hasher", Slow(time_cost=1, memory_cost=1024))
    settings = Settings(
        database_url=database_url, auth_cache_seconds=0.0, pool_max=2, database_wait_seconds=0.5
    )
    async with AsyncTestClient(app=create_app(settings)) as c:
        grants = [
            asyncio.ensure_future(in_thread(lambda: password_grant(c, "alice", "alice-password")))
            for _ in range(3)
        ]
        await asyncio.sleep(0.5)  # the grants are hashing now
        started = time.monotonic()
        other = await in_thread(lambda: c.get("/api/user/current.json", auth=auth(alice)))
        elapsed = time.monotonic() - started
        assert_status(other, 200)
        assert elapsed < 1.0, elapsed
        assert [r.status_code for r in await asyncio.gather(*grants)] == [200] * 3
