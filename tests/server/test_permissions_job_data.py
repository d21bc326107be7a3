"""Who reads and changes job data, and who executes and kills jobs.

A job's data follow its project: members (guests included) and the job's own account read
them; those who control the job (its launcher, its own account, the project's managers,
admins) declare, upload, rename and delete them, and execute and kill the job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from server.settings import Settings
from tests.server.job_helpers import job_settings, make_job
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ACTORS = ("admin", "manager", "launcher", "member", "guest", "outsider", "userjob")
READERS = {"admin", "manager", "launcher", "member", "guest", "userjob"}
CONTROLLERS = {"admin", "manager", "launcher", "userjob"}


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path) -> Settings:
    return job_settings(database_url, storage_root)


class World(msgspec.Struct, kw_only=True):
    """Project P (manager, launcher, member, guest), job j of the launcher, its data d."""

    ids: dict[str, int]
    auth: dict[str, CytomineAuth]


@pytest.fixture
async def world(db: asyncpg.Connection, storage_root: Path) -> World:
    ranks = {"admin": 4, "guest": 1}
    names = [a for a in ACTORS if a != "userjob"]
    accounts: dict[str, NewAccount] = {
        n: await create_account(db, username=n, rank=ranks.get(n, 2)) for n in names
    }
    project = int(await db.fetchval("INSERT INTO project (name) VALUES ('P') RETURNING id"))
    for name in ("manager", "launcher", "member", "guest"):
        await db.execute(
            "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, $3)",
            project,
            accounts[name].id,
            name == "manager",
        )
    made = await make_job(db, project, accounts["launcher"].id)
    path = "jobdata/d/out.txt"
    (storage_root / "jobdata" / "d").mkdir(parents=True)
    (storage_root / path).write_bytes(b"out")
    data = await db.fetchval(
        "INSERT INTO job_data (job_id, key, filename, path, size) VALUES ($1, 'k', 'out.txt',"
        " $2, 3) RETURNING id",
        made.job,
        path,
    )
    auth = {k: CytomineAuth(v.public_key, v.private_key) for k, v in accounts.items()}
    auth["userjob"] = CytomineAuth(made.public_key, made.private_key)
    return World(ids={"P": project, "j": made.job, "d": int(data)}, auth=auth)


async def _call(
    client: AsyncTestClient, world: World, actor: str, spec: tuple[str, str, Any]
) -> int:
    method, path, body = spec
    url = path.format(**world.ids)
    if isinstance(body, dict):
        body = {k: world.ids[v[1:]] if str(v).startswith("$") else v for k, v in body.items()}
        r = await client.request(method, url, json=body, auth=world.auth[actor])
    elif isinstance(body, bytes):
        files = {"files[]": ("x.txt", body, "text/plain")}
        r = await client.request(method, url, files=files, auth=world.auth[actor])
    else:
        r = await client.request(method, url, auth=world.auth[actor])
    return r.status_code


READS = {
    "show": ("GET", "/api/jobdata/{d}.json", None),
    "by job": ("GET", "/api/job/{j}/jobdata.json", None),
    "download": ("GET", "/api/jobdata/{d}/download", None),
    "view": ("GET", "/api/jobdata/{d}/view", None),
}
# In this order: the last one deletes the data.
WRITES = {
    "create": ("POST", "/api/jobdata.json", {"job": "$j", "key": "k2", "filename": "f"}),
    "update": ("PUT", "/api/jobdata/{d}.json", {"key": "k3"}),
    "upload": ("POST", "/api/jobdata/{d}/upload", b"new bytes"),
    "delete": ("DELETE", "/api/jobdata/{d}.json", None),
}
# In this order: queued, then killed before it starts.
RUNS = {
    "execute": ("POST", "/api/job/{j}/execute.json", None),
    "kill": ("POST", "/api/job/{j}/kill.json", None),
}
MISSING = {
    "show": ("GET", "/api/jobdata/0.json", None),
    "by job": ("GET", "/api/job/0/jobdata.json", None),
    "download": ("GET", "/api/jobdata/0/download", None),
    "view": ("GET", "/api/jobdata/0/view", None),
    "update": ("PUT", "/api/jobdata/0.json", {"key": "k"}),
    "upload": ("POST", "/api/jobdata/0/upload", b"bytes"),
    "delete": ("DELETE", "/api/jobdata/0.json", None),
    "execute": ("POST", "/api/job/0/execute.json", None),
    "kill": ("POST", "/api/job/0/kill.json", None),
}


@pytest.mark.parametrize("actor", ACTORS)
async def test_job_data_are_read_by_the_project_and_the_job(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in READERS else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in READS.items()}
    assert got == dict.fromkeys(READS, expected)


@pytest.mark.parametrize("actor", ACTORS)
async def test_outsiders_see_no_job_data_in_the_full_listing(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.get("/api/jobdata.json", auth=world.auth[actor])
    assert r.status_code == 200
    ids = [d["id"] for d in r.json()["collection"]]
    assert ids == ([world.ids["d"]] if actor in READERS else [])


@pytest.mark.parametrize("actor", ACTORS)
async def test_job_data_are_changed_by_those_who_control_the_job(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in CONTROLLERS else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in WRITES.items()}
    assert got == dict.fromkeys(WRITES, expected)


@pytest.mark.parametrize("actor", ACTORS)
async def test_jobs_are_executed_and_killed_by_those_who_control_them(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in CONTROLLERS else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in RUNS.items()}
    assert got == dict.fromkeys(RUNS, expected)


async def test_missing_objects_are_404(client: AsyncTestClient, world: World) -> None:
    got = {name: await _call(client, world, "admin", spec) for name, spec in MISSING.items()}
    assert got == dict.fromkeys(MISSING, 404)
