"""Read replicas: a hot standby of the suite's cluster, made by ``pg_basebackup -R``.

Replay on the standby is paused to make it lag on purpose: a row then visible to a caller
came from the primary, a row missing came from the standby. Bob never writes, so his reads
go to the standby whenever it is usable; Alice's own writes bring her reads back to the
primary until the standby has replayed them.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db.cluster import Cluster
from server.db.replicas import ReadRouter, read_router
from server.db.store.accounts import NewAccount
from server.runtime import runtime_of
from server.settings import Settings, load_settings
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, logged, make_world, square
from tests.server.project_helpers import auth
from tests.server.standby_helpers import standby_of

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

REPLAY_TIMEOUT_S = 30.0


class Standby:
    """A hot standby of the suite's cluster, on its own socket directory."""

    def __init__(self, cluster: Cluster, primary: str) -> None:
        self.cluster, self.primary = cluster, primary

    def url(self, dbname: str) -> str:
        return self.cluster.url(dbname)

    async def _control(self, sql: str) -> Any:
        conn = await asyncpg.connect(self.url("postgres"))
        try:
            return await conn.fetchval(sql)
        finally:
            await conn.close()

    async def pause(self) -> None:
        """Stop replaying WAL (and wait until replay has really stopped)."""
        await self._control("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + REPLAY_TIMEOUT_S
        while await self._control("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "replay did not pause"
            await asyncio.sleep(0.05)

    async def resume(self) -> None:
        await self._control("SELECT pg_wal_replay_resume()")

    async def caught_up(self) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        primary = await asyncpg.connect(self.primary)
        try:
            target = await primary.fetchval("SELECT pg_current_wal_insert_lsn()")
        finally:
            await primary.close()
        deadline = time.monotonic() + REPLAY_TIMEOUT_S
        # asyncpg decodes pg_lsn as the byte position (an int).
        while await self._control("SELECT pg_last_wal_replay_lsn()") < target:
            assert time.monotonic() < deadline, "the standby did not catch up"
            await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def standby(pg_template: str) -> Iterator[Standby]:
    """A standby streaming from the suite's cluster, for this module only."""
    query = parse_qs(urlsplit(pg_template).query)
    if "host" not in query:
        pytest.skip("needs the suite's own cluster (a unix socket to copy it from)")
    root = Path(tempfile.mkdtemp(prefix="lamina-standby-"))
    cluster = standby_of(pg_template, root, fast_unsafe=True)
    try:
        yield Standby(cluster, pg_template)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def settings(request: pytest.FixtureRequest, database_url: str, standby: Standby) -> Settings:
    """Settings reading through the standby, left out once it lags a minute (or the param)."""
    await standby.caught_up()  # this test's database exists there too
    return Settings(
        database_url=database_url,
        database_replica_urls=standby.url(urlsplit(database_url).path.lstrip("/")),
        replica_max_lag_seconds=getattr(request, "param", 60.0),
        overview_refresh_seconds=3600.0,  # the overview test folds logged changes itself
        auth_cache_seconds=0.0,
        runner=False,
    )


async def in_use(reads: ReadRouter) -> None:
    """Wait until the router has seen the standby up to date (its monitor ticks each second)."""
    deadline = time.monotonic() + REPLAY_TIMEOUT_S
    while not reads.usable():
        assert time.monotonic() < deadline, "the standby never became usable"
        await asyncio.sleep(0.05)


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project (Bob a contributor), the client, a primary connection and the standby."""

    client: AsyncTestClient  # type: ignore[type-arg]
    db: asyncpg.Connection
    alice: NewAccount
    bob: NewAccount
    world: World
    standby: Standby
    dbname: str

    async def insert(self, x: float) -> int:
        """An annotation written on the primary without the server (no caller's write record)."""
        w = self.world
        return int(
            await self.db.fetchval(
                logged(
                    "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
                    " VALUES ($1, $2, $3, $4, ST_GeomFromText($5, 0))"
                ),
                w.image,
                w.slice,
                w.project,
                self.alice.id,
                square(x, 10),
            )
        )

    async def listed(self, who: NewAccount) -> set[int]:
        """Ids of the image's annotations as ``who`` lists them."""
        params = {"image": self.world.image}
        r = await self.client.get("/api/annotation.json", params=params, auth=auth(who))
        assert_status(r, 200)
        return {a["id"] for a in r.json()["collection"]}

    async def on_standby(self, annotation: int) -> bool:
        conn = await asyncpg.connect(self.standby.url(self.dbname))
        try:
            sql = "SELECT count(*) FROM annotation WHERE id = $1"
            return bool(await conn.fetchval(sql, annotation))
        finally:
            await conn.close()


@pytest.fixture
async def scene(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    bob: NewAccount,
    standby: Standby,
    app: Litestar,
) -> AsyncIterator[Scene]:
    world = await make_world(client, db, alice, bob)
    await standby.caught_up()
    await in_use(runtime_of(app.state).reads)
    dbname = urlsplit(database_url).path.lstrip("/")
    yield Scene(
        client=client, db=db, alice=alice, bob=bob, world=world, standby=standby, dbname=dbname
    )
    await standby.resume()


async def test_a_read_from_the_replica_sees_a_row_once_it_is_replayed(scene: Scene) -> None:
    await scene.standby.pause()
    row = await scene.insert(100)
    assert row not in await scene.listed(scene.bob)  # answered by the paused standby

    await scene.standby.resume()
    await scene.standby.caught_up()
    assert row in await scene.listed(scene.bob)


async def test_a_search_by_post_reads_from_the_replica_and_counts_as_no_write(
    scene: Scene,
) -> None:
    await scene.standby.pause()
    row = await scene.insert(100)
    body = {"image": scene.world.image}
    r = await scene.client.post("/api/annotation/search.json", json=body, auth=auth(scene.bob))
    assert_status(r, 200)
    assert row not in {a["id"] for a in r.json()["collection"]}
    assert row not in await scene.listed(scene.bob)  # still on the replica afterwards


@pytest.mark.parametrize("settings", [2.0], indirect=True)
async def test_a_replica_lagging_past_the_bound_is_left_for_the_primary(scene: Scene) -> None:
    await scene.standby.pause()
    row = await scene.insert(100)
    assert row not in await scene.listed(scene.bob)  # lagging, within the bound

    await asyncio.sleep(3.0)  # the bound (2 s) and a monitor tick (0.5 s) go by
    assert row in await scene.listed(scene.bob)


async def test_the_writer_reads_its_own_write_while_the_replica_lags(scene: Scene) -> None:
    await scene.standby.pause()
    made = await create(scene.client, scene.alice, scene.world.image, square(200, 10))

    assert made["id"] in await scene.listed(scene.alice)
    assert made["id"] not in await scene.listed(scene.bob)
    assert not await scene.on_standby(made["id"])


async def test_the_writer_goes_back_to_the_replica_once_it_has_replayed_the_write(
    scene: Scene,
) -> None:
    await create(scene.client, scene.alice, scene.world.image, square(200, 10))
    await scene.standby.caught_up()
    assert len(await scene.listed(scene.alice)) == 1

    await scene.standby.pause()
    unseen = await scene.insert(300)
    assert unseen not in await scene.listed(scene.alice)  # the standby answers her again


async def test_writes_are_made_on_the_primary_while_the_replica_is_paused(scene: Scene) -> None:
    await scene.standby.pause()
    made = await create(scene.client, scene.alice, scene.world.image, square(200, 10))
    r = await scene.client.put(
        f"/api/annotation/{made['id']}.json",
        json={"location": square(400, 10)},
        auth=auth(scene.alice),
    )
    assert_status(r, 200)

    sql = "SELECT ST_XMin(location) FROM annotation WHERE id = $1"
    assert await scene.db.fetchval(sql, made["id"]) == 400
    assert not await scene.on_standby(made["id"])
    await scene.standby.resume()
    await scene.standby.caught_up()
    assert await scene.on_standby(made["id"])


async def test_the_overview_answers_from_the_replica_without_folding_changes(
    scene: Scene,
) -> None:
    await scene.insert(100)  # logged for the overview, not folded yet
    await scene.standby.caught_up()
    await scene.standby.pause()

    image = scene.world.image
    url = f"/api/imageinstance/{image}/annotation/overview.json"
    r = await scene.client.get(url, auth=auth(scene.bob))
    assert_status(r, 200)  # a standby cannot fold the logged change: it reads the cells as is
    assert r.json()["count"] == 0
    tile = f"/api/imageinstance/{image}/annotation/mvt/zoom/0/tx/0/ty/0"
    assert_status(await scene.client.get(tile, auth=auth(scene.bob)), 200)

    await scene.db.fetchval("SELECT annotation_overview_flush($1, true)", image)
    await scene.standby.resume()
    await scene.standby.caught_up()
    r = await scene.client.get(url, auth=auth(scene.bob))
    assert r.json()["count"] == 1


async def test_reads_answer_from_the_primary_while_the_replica_is_down(
    scene: Scene, app: Litestar
) -> None:
    scene.standby.cluster.stop()
    try:
        row = await scene.insert(100)
        assert row in await scene.listed(scene.bob)
        r = await scene.client.get(
            f"/api/imageinstance/{scene.world.image}.json", auth=auth(scene.bob)
        )
        assert_status(r, 200)
    finally:
        scene.standby.cluster.start()

    # Back in use once the monitor reaches it again: a paused standby misses a new row.
    await scene.standby.caught_up()
    await scene.standby.pause()
    unseen = await scene.insert(300)
    deadline = time.monotonic() + REPLAY_TIMEOUT_S
    while unseen in await scene.listed(scene.bob):
        assert time.monotonic() < deadline, "the replica was not used again"
        await asyncio.sleep(0.2)
    assert runtime_of(app.state).reads.replicas[0].up


@pytest.mark.parametrize(
    "value", ["localhost:5432/lamina", "postgresql://h/db,mysql://h/db", "http://h/db"]
)
def test_a_replica_url_that_is_not_postgresql_is_refused_at_start(value: str) -> None:
    with pytest.raises(SystemExit, match="LAMINA_DATABASE_REPLICA_URLS"):
        load_settings({"LAMINA_DATABASE_REPLICA_URLS": value})


def test_replica_urls_are_split_on_commas() -> None:
    found = load_settings({"LAMINA_DATABASE_REPLICA_URLS": " postgresql://a/x, postgres://b/x ,"})
    assert found.replica_urls == ("postgresql://a/x", "postgres://b/x")
    assert Settings().replica_urls == ()


async def test_another_worker_sends_the_writer_to_the_primary_too(
    scene: Scene, settings: Settings
) -> None:
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        async with read_router(pool, settings) as other_worker:
            await in_use(other_worker)
            await scene.standby.pause()
            made = await create(scene.client, scene.alice, scene.world.image, square(200, 10))
            deadline = time.monotonic() + 5.0
            while not await count_of(other_worker, scene.alice, made["id"]):
                assert time.monotonic() < deadline, "the other worker read from the replica"
                await asyncio.sleep(0.02)
            assert not await count_of(other_worker, scene.bob, made["id"])
    finally:
        await pool.close()


async def test_a_worker_that_may_have_missed_writes_reads_from_the_primary(scene: Scene) -> None:
    await scene.standby.pause()
    row = await scene.insert(100)
    assert row not in await scene.listed(scene.bob)

    # Drop the worker's listening connection: announcements of writes could be missed now.
    ended = await scene.db.fetchval(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query LIKE 'LISTEN%lamina_writes%'"
    )
    assert ended == 1
    deadline = time.monotonic() + 5.0
    while row not in await scene.listed(scene.bob):
        assert time.monotonic() < deadline, "reads stayed on the replica"
        await asyncio.sleep(0.02)


async def count_of(reads: ReadRouter, who: NewAccount, annotation: int) -> int:
    async with reads.read(who.id) as conn:
        return int(await conn.fetchval("SELECT count(*) FROM annotation WHERE id = $1", annotation))
