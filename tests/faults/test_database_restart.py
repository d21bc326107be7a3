"""The database stops under load and comes back: the server answers 503 meanwhile, then works.

A cluster of its own (so no other test sees it stop) serves a real server process; a few
clients read in a loop while ``pg_ctl stop -m fast`` runs. While it is down every answer is
503 with Retry-After, in under 2 s, and ``/server/ping`` says the database is gone; once it is
started again the next request succeeds.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store.accounts import NewAccount, create_account
from tests.faults.counts import record
from tests.faults.live import ServerProcess
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.heavy]

CLIENTS = 4
PHASE_S = 3.0
ANSWER_WITHIN_S = 2.0


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    own = Cluster(tmp_path / "pg", fast_unsafe=True)
    own.init()
    own.start()
    own.ensure_database()
    try:
        yield own
    finally:
        own.stop()


async def _account(url: str) -> NewAccount:
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        return await create_account(conn, username="alice", password="alice-password", rank=2)
    finally:
        await conn.close()


class Load:
    """Clients reading in a loop; each answer is kept as (phase, status, seconds, retry-after)."""

    def __init__(self, base: str, who: NewAccount, urls: list[str]) -> None:
        self.base, self.who, self.urls = base, who, urls
        self.phase = "up"
        self.running = True
        self.answers: list[tuple[str, int, float, str]] = []

    async def client(self, index: int) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            n = index
            while self.running:
                url, phase = self.urls[n % len(self.urls)], self.phase
                n += 1
                started = time.monotonic()
                try:
                    r = await client.get(url, auth=auth(self.who))
                    status, retry = r.status_code, r.headers.get("retry-after", "")
                except httpx.HTTPError:
                    status, retry = 0, ""
                self.answers.append((phase, status, time.monotonic() - started, retry))
                await asyncio.sleep(0.01)


async def test_requests_are_503_while_the_database_is_stopped_then_succeed(
    cluster: Cluster, tmp_path: Path
) -> None:
    alice = await _account(cluster.url())
    server = ServerProcess(cluster.url(), tmp_path)
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
            r = await client.post("/api/project.json", json={"name": "P"}, auth=auth(alice))
            assert r.status_code == 200, r.text
            urls = [
                f"/api/project/{r.json()['project']['id']}.json",
                "/api/user/current.json",
                "/api/project.json",
            ]
            load = Load(server.base, alice, urls)
            clients = asyncio.gather(*(load.client(i) for i in range(CLIENTS)))
            await asyncio.sleep(PHASE_S)
            load.phase = "stopping"
            await asyncio.to_thread(cluster.stop)
            load.phase = "down"
            await asyncio.sleep(PHASE_S)
            ping_down = await client.get("/server/ping.json")
            load.phase = "starting"
            await asyncio.to_thread(cluster.start)
            load.phase = "restarted"
            first = await client.get(urls[0], auth=auth(alice))
            ping_up = await client.get("/server/ping.json")
            await asyncio.sleep(1.0)
            load.running = False
            await clients
    finally:
        server.stop()

    by_phase: Counter[tuple[str, int]] = Counter((a[0], a[1]) for a in load.answers)
    slowest_down = max((a[2] for a in load.answers if a[0] == "down"), default=0.0)
    problems = [
        a
        for a in load.answers
        if (a[0] == "up" and a[1] != 200)
        or (a[0] == "down" and (a[1] != 503 or not a[3].isdigit() or a[2] > ANSWER_WITHIN_S))
        or (a[0] in ("stopping", "starting") and a[1] not in (200, 503))
        or (a[0] == "restarted" and a[1] != 200)
    ]
    record(
        "database stop/start under load",
        tried=len(load.answers) + 3,
        failures=len(problems)
        + int(ping_down.status_code != 503)
        + int(first.status_code != 200)
        + int(ping_up.status_code != 200),
        clients=CLIENTS,
        answers=dict(sorted((f"{p} {s}", n) for (p, s), n in by_phase.items())),
        max_latency_down_s=round(slowest_down, 3),
        ping_down=ping_down.status_code,
        first_after_restart=first.status_code,
    )
    for problem in problems[:20]:
        print(f"  {problem}")
    assert by_phase[("down", 503)] > 10
    assert not problems
    assert ping_down.status_code == 503 and ping_down.json()["alive"] is False
    assert int(ping_down.headers["retry-after"]) > 0
    assert first.status_code == 200, first.text
    assert ping_up.status_code == 200 and ping_up.json()["alive"] is True
