"""Who may read and change jobs, their parameter values and their user jobs.

Members of the job's project read them (outsiders 403). Project writers create jobs (guests
never). The launcher, its user job, managers and admins control a job (status, parameters,
execution, deletion); deleting a run's data and purging need a manager.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ACTORS = ("admin", "launcher", "member", "manager", "outsider", "guest", "run")
READERS = {"admin", "launcher", "member", "manager", "guest", "run"}
CONTROLLERS = {"admin", "launcher", "manager", "run"}
WRITERS = {"admin", "launcher", "member", "manager", "run"}


class World(msgspec.Struct, kw_only=True):
    """Launcher's job j (parameter value v, user job u) of software s in project P."""

    ids: dict[str, int]
    auth: dict[str, CytomineAuth]


async def _id(db: asyncpg.Connection, sql: str, *args: Any) -> int:
    return int(await db.fetchval(sql, *args))


@pytest.fixture
async def world(db: asyncpg.Connection) -> World:
    ranks = {"admin": 4, "guest": 1}
    accounts: dict[str, NewAccount] = {
        name: await create_account(db, username=name, rank=ranks.get(name, 2))
        for name in ACTORS
        if name != "run"
    }
    project = await _id(db, "INSERT INTO project (name) VALUES ('P') RETURNING id")
    for name, manager in (
        ("launcher", False),
        ("member", False),
        ("manager", True),
        ("guest", False),
    ):
        await db.execute(
            "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, $3)",
            project,
            accounts[name].id,
            manager,
        )
    s = await _id(db, "INSERT INTO software (name) VALUES ('S') RETURNING id")
    p = await _id(
        db,
        "INSERT INTO software_parameter (software_id, name, type) VALUES ($1, 'p', 'Number')"
        " RETURNING id",
        s,
    )
    await db.execute(
        "INSERT INTO software_project (software_id, project_id) VALUES ($1, $2)", s, project
    )
    j = await _id(
        db, "INSERT INTO job (project_id, software_id) VALUES ($1, $2) RETURNING id", project, s
    )
    u = await _id(db, "SELECT user_job_create($1, $2)", j, accounts["launcher"].id)
    v = await _id(
        db,
        "INSERT INTO job_parameter (job_id, software_parameter_id, value) VALUES ($1, $2, '1')"
        " RETURNING id",
        j,
        p,
    )
    keys = await db.fetchrow("SELECT public_key, private_key FROM sec_user WHERE id = $1", u)
    auth = {k: CytomineAuth(a.public_key, a.private_key) for k, a in accounts.items()}
    auth["run"] = CytomineAuth(keys["public_key"], keys["private_key"])
    ids = {"P": project, "s": s, "p": p, "j": j, "u": u, "v": v}
    return World(ids=ids, auth=auth)


async def _call(client: AsyncTestClient, world: World, actor: str, spec: tuple[Any, ...]) -> int:
    method, path, body = spec
    if isinstance(body, dict):
        body = {k: world.ids[v[1:]] if str(v).startswith("$") else v for k, v in body.items()}
    kwargs = {"json": body} if body is not None else {}
    r = await client.request(method, path.format(**world.ids), auth=world.auth[actor], **kwargs)
    return r.status_code


READS = {
    "get job": ("GET", "/api/job/{j}.json", None),
    "job data count": ("GET", "/api/job/{j}/alldata.json", None),
    "job parameters": ("GET", "/api/job/{j}/parameter.json", None),
    "get job parameter": ("GET", "/api/jobparameter/{v}.json", None),
    "get user job": ("GET", "/api/userJob/{u}.json", None),
    "project user jobs": ("GET", "/api/project/{P}/userjob.json", None),
    "project user job tree": ("GET", "/api/project/{P}/userjob.json?tree=true", None),
    "job bounds": ("GET", "/api/project/{P}/bounds/job.json", None),
}
CONTROLS = {
    "update job": ("PUT", "/api/job/{j}.json", {"progress": 10}),
    "execute": ("POST", "/api/job/{j}/execute.json", None),
    "execute on a server": ("GET", "/api/job/{j}/processing_server/7/execute.json", None),
    "kill": ("POST", "/api/job/{j}/kill.json", None),
    "update job parameter": ("PUT", "/api/jobparameter/{v}.json", {"value": "2"}),
    "delete job parameter": ("DELETE", "/api/jobparameter/{v}.json", None),
    "delete job": ("DELETE", "/api/job/{j}.json", None),
}
MANAGES = {
    "delete job data": ("DELETE", "/api/job/{j}/alldata.json", None),
    "purge": ("POST", "/api/project/{P}/job/purge.json", None),
}
WRITES = {
    "create job": ("POST", "/api/job.json", {"project": "$P", "software": "$s"}),
    "copy job": ("POST", "/api/job/{j}/copy.json", None),
    "favorite": ("POST", "/api/job/{j}/favorite.json", {"favorite": True}),
}
MISSING = {
    "job": ("GET", "/api/job/424242.json", None),
    "job parameter": ("GET", "/api/jobparameter/424242.json", None),
    "user job": ("GET", "/api/userJob/424242.json", None),
    "job update": ("PUT", "/api/job/424242.json", {"progress": 1}),
    "job log": ("GET", "/api/job/{j}/log.json", None),
    "project user jobs": ("GET", "/api/project/424242/userjob.json", None),
}


@pytest.mark.parametrize("actor", ACTORS)
async def test_jobs_are_read_by_project_members(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in READERS else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in READS.items()}
    assert got == dict.fromkeys(READS, expected)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(CONTROLS))
async def test_a_job_is_controlled_by_its_launcher_its_run_and_managers(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    # A run cannot delete its own job: its account goes with it.
    allowed = CONTROLLERS - {"run"} if endpoint == "delete job" else CONTROLLERS
    expected = 200 if actor in allowed else 403
    assert await _call(client, world, actor, CONTROLS[endpoint]) == expected


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(MANAGES))
async def test_job_data_is_deleted_by_managers(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor in {"admin", "manager"} else 403
    assert await _call(client, world, actor, MANAGES[endpoint]) == expected


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(WRITES))
async def test_jobs_are_created_by_project_writers(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor in WRITERS else 403
    assert await _call(client, world, actor, WRITES[endpoint]) == expected


@pytest.mark.parametrize("endpoint", sorted(MISSING))
async def test_a_missing_object_is_404(
    client: AsyncTestClient, world: World, endpoint: str
) -> None:
    assert await _call(client, world, "admin", MISSING[endpoint]) == 404


@pytest.mark.parametrize(("actor", "shown"), [("launcher", True), ("run", True), ("member", False)])
async def test_user_job_keys_are_shown_to_the_run_and_its_launcher_only(
    client: AsyncTestClient, world: World, actor: str, shown: bool
) -> None:
    for path in ("/api/userJob/{u}.json", "/api/user/{u}.json"):
        r = await client.get(path.format(**world.ids), auth=world.auth[actor])
        assert r.status_code == 200
        assert (r.json()["privateKey"] is not None) is shown


async def test_jobs_of_unreadable_projects_are_not_listed(
    client: AsyncTestClient, world: World
) -> None:
    r = await client.get("/api/job.json", auth=world.auth["outsider"])
    assert (r.status_code, r.json()["size"]) == (200, 0)
    seen = await client.get("/api/job.json", auth=world.auth["member"])
    assert [j["id"] for j in seen.json()["collection"]] == [world.ids["j"]]
