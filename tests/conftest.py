"""Test fixtures: a real PostGIS cluster started by the suite, one database per test.

The session builds a template database with every migration; each test that needs the
database gets ``CREATE DATABASE … TEMPLATE`` (a fraction of a second). Set
``LAMINA_TEST_DATABASE_URL`` to use an existing server instead (its user needs CREATEDB).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import tempfile
from collections import deque
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server import passwords
from server.app import create_app
from server.auth.tokens import load_signing_key
from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store.accounts import NewAccount, create_account
from server.settings import Settings
from tests.signing import CytomineAuth, bearer_token
from tests.terms_listed_net import stale_terms_listed

TEMPLATE = "lamina_tmpl"
_counter = itertools.count()


def _with_db(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of the maintenance database of a running cluster."""
    external = os.environ.get("LAMINA_TEST_DATABASE_URL")
    if external:
        yield _with_db(external, "postgres")
        return
    root = Path(tempfile.mkdtemp(prefix="lamina-test-"))
    cluster = Cluster(root, fast_unsafe=True)
    cluster.init()
    cluster.start()
    cluster.ensure_database("postgres")
    try:
        yield cluster.url("postgres")
    finally:
        crashes = backend_crashes(cluster.log)
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    # A backend that dies on a signal makes the postmaster restart every session: the tests
    # running then fail somewhere else, or pass by luck. The suite fails on it here.
    if crashes:
        pytest.fail("PostgreSQL backends crashed during the suite:\n" + "\n".join(crashes))


def backend_crashes(log: Path) -> list[str]:
    """The server log's reports of backends ended by a signal, each with the next line (the
    statement it was running)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        "\n".join(lines[i : i + 2])
        for i, line in enumerate(lines)
        if "terminated by signal" in line
    ]


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """A migrated template database; returns the maintenance URL."""

    async def build() -> None:
        conn = await asyncpg.connect(pg_server)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            await conn.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await conn.close()
        await migrate_url(_with_db(pg_server, TEMPLATE))

        # One signing key for every test database: generating RSA keys per test is slow.
        conn = await asyncpg.connect(_with_db(pg_server, TEMPLATE))
        try:
            await load_signing_key(conn)
        finally:
            await conn.close()

    asyncio.run(build())
    return pg_server


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Cheap Argon2 parameters for the suite (production ones cost ~0.2 s per hash here)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


class _Clones:
    """Databases cloned from the template one step ahead, in a background thread.

    A clone costs ~0.4 s of server work; preparing the next one while a test runs hides it.
    """

    def __init__(self, maintenance_url: str) -> None:
        self.url = maintenance_url
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clone")
        self.ready: deque[tuple[Future[None], str]] = deque()

    def _run(self, sql: str) -> None:
        async def go() -> None:
            conn = await asyncpg.connect(self.url)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        asyncio.run(go())

    def _submit(self) -> tuple[Future[None], str]:
        name = f"t_{os.getpid()}_{next(_counter)}"
        return self.worker.submit(self._run, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"), name

    def take(self) -> str:
        """Name of a fresh clone; the next one starts at once."""
        if not self.ready:
            self.ready.append(self._submit())
        future, name = self.ready.popleft()
        self.ready.append(self._submit())
        future.result()
        return name

    def drop(self, name: str) -> None:
        self.worker.submit(self._run, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        for future, name in self.ready:
            future.result()
            self.drop(name)
        self.worker.shutdown(wait=True)


@pytest.fixture(scope="session")
def clones(pg_template: str) -> Iterator[_Clones]:
    factory = _Clones(pg_template)
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture
def database_url(pg_template: str, clones: _Clones) -> Iterator[str]:
    """A fresh database cloned from the template, dropped after the test."""
    name = clones.take()
    yield _with_db(pg_template, name)
    clones.drop(name)


@pytest.fixture(autouse=True)
def terms_listed_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that had a database: every kept term group (annotation.terms_listed) is
    what annotation_terms_listed computes, so each test changing term links checks their
    upkeep. Tests without a database pay nothing."""
    if "database_url" not in request.fixturenames:
        yield
        return
    # Requested from here, the database outlives this fixture's teardown.
    url: str = request.getfixturevalue("database_url")
    yield
    with ThreadPoolExecutor(max_workers=1) as worker:  # the test's event loop may be running
        stale = worker.submit(asyncio.run, stale_terms_listed(url)).result()
    assert not stale, f"annotations whose kept term group is stale: {stale}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test database (for set-up and checks)."""
    conn = await asyncpg.connect(database_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # No job runner: the tests that run jobs turn it on for their own server.
    return Settings(database_url=database_url, auth_cache_seconds=0.0, runner=False)


@pytest.fixture(scope="session")
def app() -> Litestar:
    """The application over a placeholder URL, built once per session.

    Building the app registers about a thousand handlers (about a second on 2 cores), so
    the tests share one: route inspection reads it as is, and ``client`` gives each test a
    state of its own (its database, fresh caches) before running the lifespan.
    """
    return create_app(Settings(database_url="postgresql://unused@/unused", auth_cache_seconds=0.0))


@pytest.fixture(scope="session")
def _initial_state(app: Litestar) -> dict[str, Any]:
    return app.state.dict()


@pytest.fixture
async def client(
    app: Litestar, _initial_state: dict[str, Any], settings: Settings
) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """An unauthenticated client of the app, its lifespan run over this test's database.

    Every test starts from the state ``create_app`` made, with only its settings changed:
    what an earlier test's lifespan or handlers left there (pools, caches) is dropped.
    """
    for key in list(app.state.dict()):
        del app.state[key]
    app.state.update({**_initial_state, "settings": settings})
    async with AsyncTestClient(app=app) as c:
        yield c


async def _account(db: asyncpg.Connection, username: str, rank: int) -> NewAccount:
    return await create_account(db, username=username, password=f"{username}-password", rank=rank)


@pytest.fixture
async def admin(db: asyncpg.Connection) -> NewAccount:
    return await _account(db, "admin", 4)


@pytest.fixture
async def alice(db: asyncpg.Connection) -> NewAccount:
    return await _account(db, "alice", 2)


@pytest.fixture
async def bob(db: asyncpg.Connection) -> NewAccount:
    return await _account(db, "bob", 2)


@pytest.fixture
async def guest(db: asyncpg.Connection) -> NewAccount:
    return await _account(db, "guest", 1)


@pytest.fixture
def as_user(client: AsyncTestClient) -> object:  # type: ignore[type-arg]
    """``as_user(account)`` -> auth object that signs requests with that account's keys."""

    def make(account: NewAccount) -> CytomineAuth:
        return CytomineAuth(account.public_key, account.private_key)

    return make


__all__ = ["bearer_token"]
