"""When PostgreSQL is unreachable the answers say so: 503 with Retry-After, not a crash.

The app reaches its database through a small TCP relay the test controls: closing the relay
(listener and every relayed connection) is what a stopped or unreachable server looks like.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Relay:
    """Forwards TCP connections to the cluster's Unix socket until ``stop``.

    It runs its own event loop in a thread: the test client blocks the test's loop while the
    app (in the client's own thread) talks to the database through the relay.
    """

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _call(self, coro: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    def start(self) -> None:
        self._call(self._start())

    def stop(self) -> None:
        self._call(self._stop())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    async def _start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_unix_connection(self.socket_path)
        self.writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def _stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        self.writers.clear()
        await self.server.wait_closed()


@pytest.fixture
async def relay(database_url: str) -> AsyncIterator[tuple[Relay, str]]:
    parts = urlsplit(database_url)
    query = parse_qs(parts.query)
    socket_path = f"{query['host'][0]}/.s.PGSQL.{query['port'][0]}"
    relay = Relay(socket_path)
    relay.start()
    url = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{relay.port}", query=""))
    try:
        yield relay, url
    finally:
        relay.close()


@pytest.fixture
async def relayed(relay: tuple[Relay, str]) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    settings = Settings(database_url=relay[1], auth_cache_seconds=0.0, pool_max=4)
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


def _assert_unavailable(r: object) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    assert status == 503, (status, r.text)  # type: ignore[attr-defined]
    headers = r.headers  # type: ignore[attr-defined]
    assert int(headers["retry-after"]) > 0
    body = r.json()  # type: ignore[attr-defined]
    assert body["errors"]["requestId"] == headers["x-request-id"]


async def test_every_request_is_503_while_the_database_is_down(
    relayed: AsyncTestClient,
    relay: tuple[Relay, str],
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world: World = await make_world(relayed, db, alice, bob)
    ping = await relayed.get("/server/ping.json")
    assert ping.status_code == 200 and ping.json()["alive"] is True
    relay[0].stop()
    urls = [
        "/api/user/current.json",
        f"/api/project/{world.project}.json",
        "/api/annotation.json",
        f"/api/imageinstance/{world.image}/thumb.png",
        f"/api/sliceinstance/{world.slice}/normalized-tile/zoom/0/tx/0/ty/0.jpg",
    ]
    with caplog.at_level(logging.WARNING):
        for url in urls:
            started = time.monotonic()
            r = await relayed.get(url, auth=auth(alice))
            assert time.monotonic() - started < 2, url
            _assert_unavailable(r)
            assert r.headers["x-request-id"] in caplog.text
    r = await relayed.post("/api/project.json", json={"name": "x"}, auth=auth(alice))
    _assert_unavailable(r)
    ping = await relayed.get("/server/ping.json")
    assert ping.status_code == 503 and ping.json()["alive"] is False
    assert int(ping.headers["retry-after"]) > 0


async def test_back_to_normal_when_the_database_returns(
    relayed: AsyncTestClient, relay: tuple[Relay, str], alice: NewAccount
) -> None:
    assert (await relayed.get("/api/user/current.json", auth=auth(alice))).status_code == 200
    relay[0].stop()
    _assert_unavailable(await relayed.get("/api/user/current.json", auth=auth(alice)))
    relay[0].start()  # same port
    r = await relayed.get("/api/user/current.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (await relayed.get("/server/ping.json")).json()["alive"] is True


async def test_terminated_backends_are_503_then_recover(
    relayed: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount
) -> None:
    assert (await relayed.get("/api/user/current.json", auth=auth(alice))).status_code == 200
    await db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    statuses = [
        (await relayed.get("/api/user/current.json", auth=auth(alice))).status_code
        for _ in range(6)
    ]
    assert set(statuses) <= {200, 503} and statuses[-1] == 200, statuses


async def test_a_statement_timeout_is_503_with_retry_after(
    database_url: str, db: asyncpg.Connection, alice: NewAccount
) -> None:
    settings = Settings(database_url=database_url, auth_cache_seconds=0.0, statement_timeout_ms=50)
    async with AsyncTestClient(app=create_app(settings)) as client:
        await db.execute("BEGIN; LOCK TABLE project IN ACCESS EXCLUSIVE MODE")
        try:
            r = await client.get("/api/project.json", auth=auth(alice))
        finally:
            await db.execute("ROLLBACK")
    _assert_unavailable(r)
