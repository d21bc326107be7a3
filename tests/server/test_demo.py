"""Demo data of a fresh server: a project with a synthetic slide, owned by the first admin."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server import cli, demo
from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings, load_settings
from tests.assertions import assert_status
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture(name="small_demo")
def small_demo_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small demo slide keeps the tests quick."""
    monkeypatch.setattr(demo, "WIDTH", 1024)
    monkeypatch.setattr(demo, "HEIGHT", 768)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, True), ("1", True), ("0", False), ("false", False)]
)
def test_demo_setting_reads_lamina_demo(value: str | None, expected: bool) -> None:
    environ = {} if value is None else {"LAMINA_DEMO": value}
    assert load_settings(environ).demo is expected


async def test_demo_slide_is_served_to_the_admin(
    db: asyncpg.Connection, database_url: str, admin: NewAccount, tmp_path: Path, small_demo: None
) -> None:
    made = await demo.create(db, admin.id, tmp_path)
    settings = Settings(database_url=database_url, storage_dir=str(tmp_path))
    async with AsyncTestClient(app=create_app(settings)) as client:
        r = await client.get(f"/api/project/{made.project_id}/imageinstance.json", auth=auth(admin))
        assert r.status_code == 200, r.text
        [image] = r.json()["collection"]
        assert (image["width"], image["height"]) == (1024, 768)
        thumb = await client.get(f"/api/imageinstance/{image['id']}/thumb.jpg", auth=auth(admin))
        assert_status(thumb, 200)
        assert thumb.headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize(("switch", "projects"), [(True, 1), (False, 0)])
async def test_first_start_creates_the_demo_project_unless_switched_off(
    db: asyncpg.Connection,
    database_url: str,
    tmp_path: Path,
    small_demo: None,
    switch: bool,
    projects: int,
) -> None:
    settings = Settings(database_url=database_url, storage_dir=str(tmp_path), demo=switch)
    await cli._bootstrap(database_url, settings)
    found = await db.fetchval(
        "SELECT count(*) FROM project p JOIN sec_user u ON u.id = p.creator_id"
        " WHERE p.name = $1 AND u.username = 'admin'",
        demo.PROJECT_NAME,
    )
    assert found == projects


async def test_the_demo_commands_name_the_configured_address(
    db: asyncpg.Connection, database_url: str, tmp_path: Path, small_demo: None
) -> None:
    """The history keeps the image JSON of the demo's creation: its thumb must use this server's
    address, not the migration's placeholder, or the activity page loads it from nowhere."""
    settings = Settings(
        database_url=database_url, storage_dir=str(tmp_path), host="127.0.0.1", port=8471
    )
    await cli._bootstrap(database_url, settings)
    thumbs = await db.fetch(
        "SELECT data ->> 'thumb' AS thumb FROM command WHERE data ->> 'thumb' IS NOT NULL"
    )
    assert thumbs, "the demo recorded no image command"
    assert all(t["thumb"].startswith("http://127.0.0.1:8471/api/") for t in thumbs), thumbs
