"""The checker processes of bulk writes: same answers as in-process checks, clean shutdown,
and a checker that dies is a clear error (503, nothing written), never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.check_pool import PARENT_POLL_SECONDS, CheckerStopped, CheckPool, check_pool
from server.db.store import annotation_features as features
from server.db.store import annotation_import as importer
from server.db.store import user_annotations
from server.db.store.accounts import NewAccount
from server.db.store.annotation_rows import ImageContext, Row
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio]

# A task must be importable by name in a fresh process: these are module level.


def echo(payload: bytes) -> bytes:
    return payload[::-1]


def fail(payload: bytes) -> bytes:
    raise ValueError(payload.decode())


def die(payload: bytes) -> bytes:
    os._exit(3)


def pid(payload: bytes) -> bytes:
    return str(os.getpid()).encode()


def busy(payload: bytes) -> bytes:
    time.sleep(60)
    return b"x" * (1 << 20)  # more than a pipe holds: the write would block with no reader


async def test_tasks_run_in_another_process_and_their_errors_come_back() -> None:
    async with check_pool(1) as pool:
        assert pool is not None
        assert await pool.run(echo, b"abc") == b"cba"
        assert int(await pool.run(pid, b"")) != os.getpid()
        with pytest.raises(ValueError, match="bad row"):
            await pool.run(fail, b"bad row")
        assert await pool.run(echo, b"xy") == b"yx"  # an exception does not break the pool


async def test_no_processes_means_no_pool() -> None:
    async with check_pool(0) as pool:
        assert pool is None


async def test_shutdown_ends_the_processes_and_refuses_later_tasks() -> None:
    async with check_pool(2) as pool:
        assert pool is not None
        checker = int(await pool.run(pid, b""))
    assert not _alive(checker)
    with pytest.raises(RuntimeError, match="shut down"):
        await pool.run(echo, b"late")


async def test_a_checker_that_dies_is_a_clear_error_and_the_next_task_gets_a_new_one() -> None:
    pool = CheckPool(1)
    try:
        first = int(await pool.run(pid, b""))
        with pytest.raises(CheckerStopped) as stopped:
            await pool.run(die, b"")
        assert stopped.value.status == 503 and "nothing was written" in stopped.value.message
        assert int(await pool.run(pid, b"")) not in (first, os.getpid())
    finally:
        pool.shutdown()


def _alive(process_id: int) -> bool:
    """Whether a process runs (an exited one may stay a zombie until its new parent reaps it)."""
    try:
        stat = Path(f"/proc/{process_id}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(") ", 1)[1][0] != "Z"


ORPHAN = """
import asyncio
from server.check_pool import CheckPool
from tests.server.test_check_pool import busy, pid

async def main():
    pool = CheckPool(1)
    print(int(await pool.run(pid, b"")), flush=True)
    await pool.run(busy, b"")

asyncio.run(main())
"""


def test_a_checker_ends_when_its_server_process_is_killed_outright() -> None:
    server = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        checker = int(server.stdout.readline())
        time.sleep(0.5)  # the checker is now inside the long task
        server.kill()
        server.wait(timeout=10)
        deadline = time.monotonic() + 10 * PARENT_POLL_SECONDS
        while _alive(checker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(checker), "the checker outlived its server process"
    finally:
        server.kill()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()


CTX = ImageContext(
    image_id=1, project_id=2, width=1000, height=800, resolution=None, reference_slice_id=5
)


def _features() -> list[tuple[int, bytes]]:
    """Features with every kind of outcome: kept, repaired, clipped and rejected rows."""
    out = []
    for i in range(200):
        x, y = i % 20 * 40, i // 20 * 40
        ring = [[x, y], [x + 30, y], [x + 30, y + 30], [x, y + 30], [x, y]]
        geometry: Any = {"type": "Polygon", "coordinates": [ring]}
        props: dict[str, Any] = {"term": [1 + i % 3]}
        if i == 3:
            geometry = None
        elif i == 7:
            geometry["coordinates"] = [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]  # bow-tie
        elif i == 11:
            geometry = {"type": "Point", "coordinates": [990, 790, 4]}
        elif i == 13:
            geometry = {"type": "Polygon", "coordinates": [[[-50, -50], [-40, -50], [-45, -40]]]}
        elif i == 17:
            props = {"term": [99]}
        elif i == 19:
            props = {"slice": 6}
        elif i == 23:
            geometry = {"type": "Polygon", "coordinates": [[[980, 0], [1100, 0], [1100, 50],
                                                            [980, 0]]]}  # fmt: skip
        out.append((i + 1, msgspec.json.encode({"type": "Feature", "geometry": geometry,
                                                "properties": props})))  # fmt: skip
    out.append((201, b"{not json"))
    return out


async def test_an_import_batch_checked_in_a_process_is_checked_exactly_as_in_a_thread() -> None:
    where = importer.Target(
        ctx=CTX, me=7, slices=frozenset({5}), terms={1, 2, 3}, names={}, users={7},
        may_assign=False,
    )  # fmt: skip
    batch = features.decode(_features())
    ids = list(range(1000, 1000 + len(batch) + importer._links_at_most(batch)))
    async with check_pool(1) as pool:
        loader = importer.Loader(None, where, 1, True, pool)  # type: ignore[arg-type]
        checked = await loader._check(batch, ids)
    expected = importer.check_batch(batch, where, ids)
    assert checked == expected
    assert [(e["row"], e["reason"]) for e in checked.errors] == [
        (4, "missing"), (14, "syntax"), (18, "term"), (20, "slice"), (201, "syntax"),
    ]  # fmt: skip
    assert checked.loaded == 201 - 5 and checked.annotations


async def test_an_array_chunk_checked_in_a_process_is_checked_exactly_as_in_a_thread() -> None:
    texts: list[str | None] = [sq(i % 20 * 40, i // 20 * 40) for i in range(200)]
    texts[5], texts[9] = "POLYGON ((0 0, 1 1", "LINESTRING (0 0, 0 0)"
    texts[12], texts[15] = None, "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"

    def rows() -> list[Row | None]:
        return [Row(image_id=1, slice_id=5, project_id=2, terms=[i % 3]) for i in range(200)]

    ids, links = list(range(200)), list(range(200, 400))
    chunk = user_annotations._Chunk(
        texts=texts, rows=rows(), images={1: CTX}, ids=ids, links=links, user=7
    )
    async with check_pool(1) as pool:
        assert pool is not None
        task = user_annotations._CHUNK_OUT.encode(chunk)
        answer = user_annotations._CHECKED_IN.decode(
            await pool.run(user_annotations.check_encoded, task)
        )
    found, batch = user_annotations._check_encode(texts, rows(), {1: CTX}, (ids, links), 7)
    assert answer.batch == batch
    assert answer.errors == [(k, e.message, e.values["reason"]) for k, e in sorted(found.items())]
    assert [k for k, _, _ in answer.errors] == [5, 9, 12]


async def count(db: asyncpg.Connection, image: int) -> int:
    return int(await db.fetchval("SELECT count(*) FROM annotation WHERE image_id = $1", image))


@pytest.mark.pg
async def test_a_dead_checker_answers_an_array_post_503_and_writes_nothing(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert settings.check_processes >= 1  # the default: bulk checks run in checker processes
    world = await make_world(client, db, alice, bob)
    body = [{"location": sq(i % 50 * 12, i // 50 * 12), "image": world.image} for i in range(300)]
    monkeypatch.setattr(user_annotations, "check_encoded", die)
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert_status(r, 503)
    assert "checker process stopped" in r.json()["errors"]["message"]
    assert await count(db, world.image) == 0
    monkeypatch.undo()
    r = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert (r.status_code, r.json()["status"]) == (200, 200)
    assert await count(db, world.image) == 300


@pytest.mark.pg
async def test_a_dead_checker_fails_the_import_job_and_loads_nothing(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world: World = await make_world(client, db, alice, bob)
    lines = [
        msgspec.json.encode(
            {"type": "Feature", "properties": {},
             "geometry": {"type": "Point", "coordinates": [i % 90 * 10 + 5, i // 90 * 10 + 5]}}
        )
        for i in range(2500)
    ]  # fmt: skip
    body = b"\n".join(lines) + b"\n"
    url = f"/api/imageinstance/{world.image}/annotation/import.json"
    headers = {"content-type": "application/x-ndjson"}
    monkeypatch.setattr(importer, "check_encoded", die)
    r = await client.post(url, content=body, headers=headers, auth=auth(alice))
    assert_status(r, 400)
    assert r.json()["status"] == "failed" and "checker process stopped" in r.json()["message"]
    assert await count(db, world.image) == 0
    monkeypatch.undo()
    r = await client.post(url, content=body, headers=headers, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["rowsLoaded"] == 2500 and await count(db, world.image) == 2500
