"""Giving a connection back to the pool: no statement of its own, an open transaction undone."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest

from server.db.pool import open_pool
from server.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

LAST = "SELECT query, state FROM pg_stat_activity WHERE pid = $1"


async def test_a_connection_given_back_sends_nothing(
    settings: Settings, db: asyncpg.Connection
) -> None:
    """The request's last statement stays the session's last: no reset round trip on release."""
    async with open_pool(settings) as pool:
        async with pool.acquire() as conn:
            pid = conn.get_server_pid()
            assert await conn.fetchval("SELECT 41 + 1") == 42
        row = await db.fetchrow(LAST, pid)
        assert row is not None
        assert (row["query"], row["state"]) == ("SELECT 41 + 1", "idle")


async def test_a_transaction_left_open_is_rolled_back(settings: Settings) -> None:
    """What a request began and did not end is undone before the next request gets the session."""
    one = msgspec.structs.replace(settings, pool_min=1, pool_max=1)
    async with open_pool(one) as pool:
        conn = await pool.acquire()
        pid = conn.get_server_pid()
        await conn.execute("BEGIN")
        await conn.execute("CREATE TABLE left_open (x int)")
        await pool.release(conn)
        async with pool.acquire() as again:
            assert again.get_server_pid() == pid
            assert not again.is_in_transaction()
            assert await again.fetchval("SELECT to_regclass('left_open')") is None
