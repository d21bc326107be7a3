"""Every pooled session has PostGIS loaded before its first statement (server.db.pool).

A cancel reaching the statement that first loads PostGIS in a backend can abort that backend
and restart every session of the cluster (see ``INIT_SESSION``); the pool's set-up closes that
window. The test reads the backend's memory map, so it needs the cluster on this machine.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from server.db import pool as pool_module
from server.db.pool import create_pool
from server.settings import Settings

pytestmark = pytest.mark.anyio


def _postgis_mapped(pid: int) -> bool:
    maps = Path(f"/proc/{pid}/maps")
    try:
        return "postgis-3" in maps.read_text()
    except OSError:
        pytest.skip("the test cluster's backends are not readable from here")


async def test_a_pooled_session_has_postgis_loaded_before_its_first_statement(
    database_url: str, settings: Settings
) -> None:
    bare = await asyncpg.connect(database_url)
    try:
        # The control: a session opened without the pool's set-up has not loaded it.
        assert not _postgis_mapped(await bare.fetchval("SELECT pg_backend_pid()"))
    finally:
        await bare.close()

    pool = await create_pool(database_url, settings, min_size=1)
    try:
        async with pool.acquire() as conn:
            pid = await conn.fetchval("SELECT pg_backend_pid()")
            assert _postgis_mapped(pid)
            assert await conn.fetchval("SHOW TIME ZONE") == "UTC"
    finally:
        await pool.close()


async def test_a_request_cancelled_while_its_session_is_set_up_does_not_cancel_the_set_up(
    database_url: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("CREATE TABLE set_up_done (at timestamptz DEFAULT now())")
        # A set-up long enough to be cancelled in the middle, which says when it ends.
        slow = "SELECT pg_sleep(0.4); INSERT INTO set_up_done DEFAULT VALUES"
        monkeypatch.setattr(pool_module, "INIT_SESSION", f"{pool_module.INIT_SESSION}; {slow}")
        pool = await create_pool(database_url, settings, min_size=0)
        try:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.1):
                    await pool.acquire()
            await asyncio.sleep(0.8)
            # The statement ran to its end (a cancel would have rolled the insert back) and
            # the pool then closed that session.
            assert await conn.fetchval("SELECT count(*) FROM set_up_done") == 1
            assert pool.get_size() == 0 or pool.get_idle_size() == 0
        finally:
            await pool.close()
    finally:
        await conn.close()
