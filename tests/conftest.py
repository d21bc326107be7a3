"""Test fixtures: a real PostGIS cluster started by the suite, one database per test.

The session builds a template database with every migration; each test that needs the
database gets ``CREATE DATABASE … TEMPLATE`` (a fraction of a second). Set
``LAMINA_TEST_DATABASE_URL`` to use an existing server instead (its user needs CREATEDB).
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store.accounts import NewAccount, create_account
from server.settings import Settings
from tests.signing import CytomineAuth, bearer_token

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
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """A migrated template database; returns the maintenance URL."""
    import asyncio

    async def build() -> None:
        conn = await asyncpg.connect(pg_server)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            await conn.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await conn.close()
        await migrate_url(_with_db(pg_server, TEMPLATE))

    asyncio.run(build())
    return pg_server


@pytest.fixture
async def database_url(pg_template: str) -> AsyncIterator[str]:
    """A fresh database cloned from the template, dropped after the test."""
    name = f"t_{os.getpid()}_{next(_counter)}"
    conn = await asyncpg.connect(pg_template)
    try:
        await conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await conn.close()
    yield _with_db(pg_template, name)
    conn = await asyncpg.connect(pg_template)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await conn.close()


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
    return Settings(database_url=database_url, auth_cache_seconds=0.0)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """An unauthenticated client of an app whose lifespan really opened a pool."""
    async with AsyncTestClient(app=create_app(settings)) as c:
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
