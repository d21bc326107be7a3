"""Cached credentials are revoked on every worker at once.

Two app instances (two workers) run over one database, each caching account rows for far
longer than any test here, so a change seen by the other instance can only come from the
announcement every worker listens to.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.credentials_channel import CHANNEL
from server.db.store.accounts import NewAccount
from server.db.store.image_files import ImageFile
from server.fast_caches import decision_key
from server.runtime import runtime_of
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.project_helpers import auth
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

CACHE_SECONDS = 600.0
# Delivery of an announcement to the other instance's listener (same process, same loop).
DELIVERY_TIMEOUT_S = 2.0
RECONNECT_TIMEOUT_S = 10.0


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, auth_cache_seconds=CACHE_SECONDS, runner=False)


@pytest.fixture
async def other(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A second app instance (another worker) on the same database."""
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def _status(client: AsyncTestClient, signer: CytomineAuth) -> int:  # type: ignore[type-arg]
    return (await client.get("/api/user/current.json", auth=signer)).status_code


async def _soon(check: Callable[[], Awaitable[bool]], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            return False
    return True


async def _refused(
    client: AsyncTestClient,  # type: ignore[type-arg]
    signer: CytomineAuth,
    timeout: float = DELIVERY_TIMEOUT_S,
) -> bool:
    async def check() -> bool:
        return await _status(client, signer) == 401

    return await _soon(check, timeout)


async def test_keys_regenerated_on_one_worker_are_refused_on_the_other(
    client: AsyncTestClient,  # type: ignore[type-arg]
    other: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
) -> None:
    assert await _status(other, auth(alice)) == 200
    r = await client.post("/api/user/current/keys.json", auth=auth(alice))
    assert_status(r, 200)
    assert await _refused(other, auth(alice))
    new = CytomineAuth(r.json()["primaryKey"], r.json()["secondaryKey"])
    assert await _status(other, new) == 200


async def test_lock_and_delete_on_one_worker_apply_on_the_other(
    client: AsyncTestClient,  # type: ignore[type-arg]
    other: AsyncTestClient,  # type: ignore[type-arg]
    admin: NewAccount,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    assert await _status(other, auth(alice)) == 200
    assert await _status(other, auth(bob)) == 200
    locked = await client.post(f"/api/user/{alice.id}/lock.json", auth=auth(admin))
    assert_status(locked, 200)
    assert await _refused(other, auth(alice))
    deleted = await client.delete(f"/api/user/{bob.id}.json", auth=auth(admin))
    assert_status(deleted, 200)
    assert await _refused(other, auth(bob))


async def test_a_change_empties_the_access_decisions_of_every_worker(
    client: AsyncTestClient,  # type: ignore[type-arg]
    other: AsyncTestClient,  # type: ignore[type-arg]
    admin: NewAccount,
) -> None:
    decisions = runtime_of(other.app.state).image_decisions
    key = decision_key(admin.id, False, "abstractimage", 1)
    file = ImageFile(path="p", width=1, height=1, version="v", filename="f", original_path="p")
    decisions.put(key, file)
    assert decisions.get(key) == file
    opened = await client.get("/session/admin/open.json", auth=auth(admin))
    assert_status(opened, 200)

    async def forgotten() -> bool:
        await other.get("/server/ping")
        return decisions.get(key) is None

    assert await _soon(forgotten, DELIVERY_TIMEOUT_S)


async def _listener_pids(db: asyncpg.Connection) -> list[int]:
    rows = await db.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1",
        f'LISTEN "{CHANNEL}"',
    )
    return [row["pid"] for row in rows]


async def test_a_lost_listening_connection_empties_the_cache_and_reconnects(
    client: AsyncTestClient,  # type: ignore[type-arg]
    other: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
) -> None:
    assert await _status(other, auth(alice)) == 200
    # A change made without an announcement (as if it were sent while nobody listened):
    # the cached row still signs.
    await db.execute(
        "UPDATE sec_user SET public_key = 'silent-pub', private_key = 'silent-priv' WHERE id = $1",
        alice.id,
    )
    assert await _status(other, auth(alice)) == 200
    before = await _listener_pids(db)
    assert len(before) == 2
    for pid in before:
        await db.execute("SELECT pg_terminate_backend($1)", pid)
    assert await _refused(other, auth(alice))

    async def back() -> bool:
        await other.get("/server/ping")
        pids = await _listener_pids(db)
        return len(pids) == 2 and not set(pids) & set(before)

    assert await _soon(back, RECONNECT_TIMEOUT_S)
    silent = CytomineAuth("silent-pub", "silent-priv")
    assert await _status(other, silent) == 200
    r = await client.post("/api/user/current/keys.json", auth=silent)
    assert_status(r, 200)
    assert await _refused(other, silent)
