"""``kill -9`` of the server in the middle of a streamed import leaves nothing half-written.

The import commits its rows once, at the end of the body (see the import store): killed while
the body streams, the job loads nothing, its record reads as failed once the server is back,
and the same Idempotency-Key then imports the whole body.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import msgspec
import pytest

from server.db.store.accounts import NewAccount
from tests.faults.counts import record
from tests.faults.live import ServerProcess
from tests.server.annotation_helpers import make_image
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.heavy]

ROWS = 150_000
KEY = "crash-then-retry"
HEADERS = {"content-type": "application/x-ndjson", "Idempotency-Key": KEY}


def _line(n: int) -> bytes:
    x, y = (n % 900) + 1, (n // 900) % 700 + 1
    ring = [[x, y], [x + 5, y], [x + 5, y + 5], [x, y + 5], [x, y]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return msgspec.json.encode({**feature, "properties": {}}) + b"\n"


async def _body() -> AsyncIterator[bytes]:
    for start in range(0, ROWS, 1000):
        yield b"".join(_line(n) for n in range(start, min(ROWS, start + 1000)))
        await asyncio.sleep(0)  # let the watcher look at the job's progress


async def _job(db: asyncpg.Connection) -> asyncpg.Record | None:
    return await db.fetchrow(
        "SELECT id, status, rows_read FROM annotation_import WHERE idempotency_key = $1", KEY
    )


async def _kill_when_half_read(db: asyncpg.Connection, server: ServerProcess) -> int:
    """Rows the job had read when the server was killed."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = await _job(db)
        if job is not None and job["rows_read"] >= ROWS // 2:
            server.kill()
            return int(job["rows_read"])
        await asyncio.sleep(0.05)
    raise AssertionError("the import never got half-way")


async def _stored(db: asyncpg.Connection, image: int) -> int:
    return int(await db.fetchval("SELECT count(*) FROM annotation WHERE image_id = $1", image))


async def test_kill_9_mid_import_leaves_nothing_and_the_key_works_again(
    database_url: str, db: asyncpg.Connection, alice: NewAccount, tmp_path: Path
) -> None:
    server = ServerProcess(database_url, tmp_path)
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=600) as client:
            project = await make_project(client, alice)  # type: ignore[arg-type]
            image, _ = await make_image(db, project["id"], alice.id)
            url = f"/api/imageinstance/{image}/annotation/import.json"
            upload = asyncio.ensure_future(
                client.post(url, content=_body(), headers=HEADERS, auth=auth(alice))
            )
            read_at_kill = await _kill_when_half_read(db, server)
            with pytest.raises(httpx.HTTPError):
                await upload
        after_kill = await _stored(db, image)
        server.start()
        async with httpx.AsyncClient(base_url=server.base, timeout=600) as client:
            job = await _job(db)
            assert job is not None
            polled = await _poll_until_failed(client, alice, int(job["id"]))
            retried = await client.post(url, content=_body(), headers=HEADERS, auth=auth(alice))
    finally:
        server.stop()
    loaded = await _stored(db, image)
    outcome = retried.json() if retried.status_code == 200 else {}
    problems = [
        message
        for message, bad in (
            (f"{after_kill} rows stored after the kill", after_kill != 0),
            (f"job {polled} after the restart", polled.get("status") != "failed"),
            (
                f"retry answered {retried.status_code} {retried.text[:200]}",
                retried.status_code != 200,
            ),
            (
                f"retry {outcome.get('status')} {outcome.get('rowsLoaded')}",
                outcome.get("rowsLoaded") != ROWS,
            ),
            (f"{loaded} rows stored after the retry", loaded != ROWS),
        )
        if bad
    ]
    record(
        "kill -9 during an import",
        tried=1,
        failures=len(problems),
        rows=ROWS,
        rows_read_at_kill=read_at_kill,
        rows_stored_after_kill=after_kill,
        job_after_restart=polled.get("status"),
        rows_after_retry=loaded,
    )
    assert not problems, problems


async def _poll_until_failed(
    client: httpx.AsyncClient, who: NewAccount, job: int
) -> dict[str, object]:
    """The job as the API shows it, once its dead session is noticed (a few seconds at most)."""
    found: dict[str, object] = {}
    for _ in range(100):
        r = await client.get(f"/api/annotationimport/{job}.json", auth=auth(who))
        assert r.status_code == 200, r.text
        found = r.json()
        if found["status"] != "running":
            break
        await asyncio.sleep(0.1)
    return found
