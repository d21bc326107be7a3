"""``lamina serve --workers 2``: a killed worker costs only its requests in flight, and
nothing that matters lives in one worker's memory (sessions, keys, login throttling).

A real server runs in a subprocess over the test database. Each load request opens its own
connection, so the kernel hands it to whichever worker accepts first; a worker is identified
by the ``serverID`` of ``/server/ping`` (each worker draws its own at start-up).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.bench import load_tools as lt
from tests.server.annotation_helpers import make_image, square
from tests.server.image_helpers import make_storage, upload, write_pyramid
from tests.server.project_helpers import auth, make_project
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

CONCURRENCY = 8
# The account cache of each worker keeps rows this long: far longer than the test, so a
# change seen on another worker can only come from the revocation every worker hears.
CACHE_SECONDS = 60.0
RECOVERY_TIMEOUT_S = 60.0


class Server:
    """A running multi-worker server: its base URL and supervisor process."""

    def __init__(self, base: str, pid: int) -> None:
        self.base = base
        self.pid = pid

    def worker_pids(self) -> set[int]:
        """Live worker processes: children of the supervisor started by multiprocessing."""
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.pid and fields[0] != "Z" and b"spawn_main" in cmdline:
                found.add(int(entry.name))
        return found


@pytest.fixture
def server(database_url: str, tmp_path: Path, alice: NewAccount) -> Iterator[Server]:
    """The server, started once ``alice`` exists (so it creates no first admin)."""
    port = lt.free_port()
    env = {"LAMINA_AUTH_CACHE_SECONDS": str(CACHE_SECONDS)}
    with lt.lamina(database_url, tmp_path / "files", port, workers=2, **env) as proc:
        yield Server(f"http://127.0.0.1:{port}", proc.pid)


async def _server_id(base: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        r = await http.get("/server/ping")
        assert_status(r, 200)
        return str(r.json()["serverID"])


async def _ids_seen(base: str, want: int, timeout: float = RECOVERY_TIMEOUT_S) -> set[str]:
    """serverIDs answering fresh connections, until ``want`` distinct ones were seen."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < want:
        assert time.monotonic() < deadline, f"only {len(seen)} workers answered"
        found = await asyncio.gather(*(_server_id(base) for _ in range(4)))
        seen.update(found)
    return seen


async def _seed(base: str, owner: NewAccount, tmp_path: Path) -> list[str]:
    """A project with an image and an annotation: the paths the load asks for."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        storage = await make_storage(http, owner)  # type: ignore[arg-type]
        project = (await make_project(http, owner))["id"]  # type: ignore[arg-type]
        image = write_pyramid(tmp_path / "slide.tif")
        r = await upload(http, owner, image, storage, project)  # type: ignore[arg-type]
        assert_status(r, 200)
        instance = r.json()[0]["images"][0]["imageInstances"][0]["id"]
        ref = await http.get(
            f"/api/imageinstance/{instance}/sliceinstance/reference.json", auth=auth(owner)
        )
        polygon = {"location": "POLYGON((10 10, 200 10, 200 200, 10 10))", "image": instance}
        made = await http.post("/api/annotation.json", json=polygon, auth=auth(owner))
        assert_status(made, 200)
    return [
        f"/api/sliceinstance/{ref.json()['id']}/normalized-tile/zoom/2/tx/1/ty/1.jpg",
        f"/api/annotation.json?project={project}",
        f"/api/project/{project}.json",
    ]


class Outcome:
    """One load request: when it started and ended, and whether it succeeded."""

    def __init__(self, started: float, ended: float, ok: bool) -> None:
        self.started, self.ended, self.ok = started, ended, ok


async def _load(
    base: str, signer: CytomineAuth, paths: list[str], stop: asyncio.Event
) -> list[Outcome]:
    """CONCURRENCY loops of GETs, a new connection each, until ``stop`` is set."""
    outcomes: list[Outcome] = []
    no_reuse = httpx.Limits(max_keepalive_connections=0)

    async def loop(offset: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=no_reuse) as http:
            i = offset
            while not stop.is_set():
                started = time.monotonic()
                try:
                    r = await http.get(paths[i % len(paths)], auth=signer)
                    ok = r.status_code == 200
                except httpx.TransportError:
                    ok = False
                outcomes.append(Outcome(started, time.monotonic(), ok))
                i += 1

    await asyncio.gather(*(loop(k) for k in range(CONCURRENCY)))
    return outcomes


async def test_a_killed_worker_costs_only_its_requests_in_flight(
    server: Server, alice: NewAccount, tmp_path: Path
) -> None:
    paths = await _seed(server.base, alice, tmp_path)
    before = await _ids_seen(server.base, 2)
    workers = server.worker_pids()
    assert len(workers) == 2
    stop = asyncio.Event()
    load = asyncio.create_task(_load(server.base, auth(alice), paths, stop))
    await asyncio.sleep(2.0)
    victim = min(workers)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    # The supervisor notices the death and starts a replacement, which answers once ready.
    new_ids: set[str] = set()
    deadline = killed_at + RECOVERY_TIMEOUT_S
    while not new_ids - before:
        assert time.monotonic() < deadline, "no replacement worker answered"
        new_ids.update(await asyncio.gather(*(_server_id(server.base) for _ in range(4))))
    recovered_at = time.monotonic()
    await asyncio.sleep(2.0)
    stop.set()
    outcomes = await load

    live = server.worker_pids()
    assert len(live) == 2 and victim not in live
    failed = [o for o in outcomes if not o.ok]
    # Only requests already sent when the worker died fail: at most one per load loop.
    assert all(o.started < killed_at for o in failed), "a request sent after the kill failed"
    assert len(failed) <= CONCURRENCY
    after = [o for o in outcomes if o.started >= killed_at]
    assert after and all(o.ok for o in after)
    served_later = [o for o in outcomes if o.started >= recovered_at]
    assert len(served_later) > CONCURRENCY
    print(
        f"\n{len(outcomes)} requests, {len(failed)} failed (in flight at the kill);"
        f" replacement answering {recovered_at - killed_at:.1f} s after the kill"
    )


class Pinned:
    """A keep-alive connection held by one known worker."""

    def __init__(self, http: httpx.AsyncClient, worker: str) -> None:
        self.http, self.worker = http, worker

    async def still_on_its_worker(self) -> bool:
        r = await self.http.get("/server/ping")
        return bool(r.json()["serverID"] == self.worker)


@pytest.fixture
async def pinned(server: Server) -> AsyncIterator[list[Pinned]]:
    """Two connections, each kept open on a different worker."""
    found: dict[str, Pinned] = {}
    spare: list[httpx.AsyncClient] = []
    one = httpx.Limits(max_connections=1)
    deadline = time.monotonic() + RECOVERY_TIMEOUT_S
    while len(found) < 2:
        assert time.monotonic() < deadline, "the second worker never answered"
        http = httpx.AsyncClient(base_url=server.base, timeout=30, limits=one)
        worker = (await http.get("/server/ping")).json()["serverID"]
        if worker in found:
            spare.append(http)
        else:
            found[worker] = Pinned(http, worker)
    for http in spare:
        await http.aclose()
    try:
        yield list(found.values())
    finally:
        for p in found.values():
            await p.http.aclose()


async def _json(r: httpx.Response) -> Any:
    assert_status(r, 200)
    return r.json()


async def test_sessions_keys_and_throttling_hold_across_workers(
    pinned: list[Pinned], alice: NewAccount, admin: NewAccount
) -> None:
    a, b = pinned[0].http, pinned[1].http
    # A login answered by one worker is a session every worker honours.
    login = {"username": "alice", "password": "alice-password"}
    token = (await _json(await a.post("/api/authenticate", json=login)))["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    me = await _json(await b.get("/api/user/current.json", headers=bearer))
    assert me["username"] == "alice"

    # An admin session opened through one worker is open on the other.
    opened = await _json(await a.get("/session/admin/open.json", auth=auth(admin)))
    assert opened["adminByNow"] is True
    info = await _json(await b.get("/session/admin/info.json", auth=auth(admin)))
    assert info["adminByNow"] is True

    # Keys regenerated through one worker sign at once on the other, and the old ones, cached
    # there a moment ago, are refused there at once.
    assert_status(await b.get("/api/user/current.json", auth=auth(alice)), 200)
    keys = await _json(await a.post("/api/user/current/keys.json", auth=auth(alice)))
    new = CytomineAuth(keys["primaryKey"], keys["secondaryKey"])
    assert_status(await b.get("/api/user/current.json", auth=auth(alice)), 401)
    assert (await _json(await b.get("/api/user/current.json", auth=new)))["username"] == "alice"

    # An account locked through one worker is refused at once by the other.
    locked = await a.post(f"/api/user/{alice.id}/lock.json", auth=auth(admin))
    assert_status(locked, 200)
    refused_key = await b.get("/api/user/current.json", auth=new)
    assert_status(refused_key, 401)
    assert "locked" in refused_key.text

    # Failed logins count in the database: alternating workers still reach the block.
    wrong = {"username": "admin", "password": "wrong"}
    statuses = []
    for attempt in range(6):
        statuses.append(
            (await pinned[attempt % 2].http.post("/api/authenticate", json=wrong)).status_code
        )
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    refused = await a.post("/api/authenticate", json={**wrong, "password": "admin-password"})
    assert_status(refused, 429)

    for p in pinned:
        assert await p.still_on_its_worker(), "a pinned connection changed worker"


def _children(pid: int) -> set[int]:
    """Live processes started by multiprocessing whose parent is ``pid``."""
    return Server("", pid).worker_pids()


async def test_each_worker_checks_bulk_writes_in_its_own_checker_process_and_stops_it(
    database_url: str, tmp_path: Path, alice: NewAccount, db: asyncpg.Connection
) -> None:
    port = lt.free_port()
    with lt.lamina(database_url, tmp_path / "files", port, workers=2) as proc:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            project = (await make_project(http, alice))["id"]  # type: ignore[arg-type]
        image, _ = await make_image(db, project, alice.id)
        body = [{"location": square(i % 40 * 12, i // 40 * 12), "image": image} for i in range(300)]
        workers = Server(base, proc.pid).worker_pids()
        assert len(workers) == 2
        checkers: dict[int, set[int]] = {}
        deadline = time.monotonic() + RECOVERY_TIMEOUT_S
        while len(checkers) < 2:  # fresh connections until both workers wrote an array
            assert time.monotonic() < deadline, "one worker never took an array POST"
            async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                r = await http.post("/api/annotation.json", json=body, auth=auth(alice))
            assert_status(r, 200)
            assert r.json()["status"] == 200
            checkers = {w: c for w in workers if (c := _children(w))}
        assert all(len(c) == 1 for c in checkers.values())  # LAMINA_CHECK_PROCESSES=1
        written = await db.fetchval("SELECT count(*) FROM annotation WHERE image_id=$1", image)
        assert written % 300 == 0 and written >= 600
    # The server stopped its workers, and each worker its checker, on its way out.
    left = [p for c in checkers.values() for p in c if Path(f"/proc/{p}").exists()]
    assert not left
