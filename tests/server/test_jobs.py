"""Jobs over HTTP: creation with a user job, the life cycle, parameters, results and deletion."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth, make_project
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

RUNNING, SUCCESS, FAILED, KILLED, INQUEUE = 2, 3, 4, 8, 1


class Setup(msgspec.Struct, kw_only=True):
    project: int
    software: int
    threshold: int


@pytest.fixture
async def setup(client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount) -> Setup:
    project = (await make_project(client, admin))["id"]
    software = await db.fetchval("INSERT INTO software (name) VALUES ('Detect') RETURNING id")
    threshold = await db.fetchval(
        "INSERT INTO software_parameter (software_id, name, type, index)"
        " VALUES ($1, 'threshold', 'Number', 1) RETURNING id",
        software,
    )
    await db.execute(
        "INSERT INTO software_project (software_id, project_id) VALUES ($1, $2)", software, project
    )
    return Setup(project=project, software=software, threshold=threshold)


async def _create(
    client: AsyncTestClient, who: NewAccount, setup: Setup, **extra: Any
) -> dict[str, Any]:
    body = {"project": setup.project, "software": setup.software, **extra}
    r = await client.post("/api/job.json", json=body, auth=auth(who))
    assert_status(r, 200)
    return dict(r.json()["job"])


async def _keys(client: AsyncTestClient, who: NewAccount, user_job: int) -> CytomineAuth:
    r = await client.get(f"/api/user/{user_job}.json", auth=auth(who))
    assert_status(r, 200)
    return CytomineAuth(r.json()["publicKey"], r.json()["privateKey"])


async def test_a_job_is_created_not_launched_with_its_user_job(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(
        client, admin, setup, params=[{"softwareParameter": setup.threshold, "value": 0.5}]
    )
    obj = msgspec.convert(job, c.Job)
    assert (obj.class_, obj.status, obj.progress, obj.number, obj.name) == (
        "be.cytomine.processing.Job",
        0,
        0,
        1,
        "Detect : 1",
    )
    assert [(p["name"], p["value"]) for p in job["jobParameters"]] == [("threshold", "0.5")]
    user_job = (await client.get(f"/api/userJob/{obj.user_job}.json", auth=auth(admin))).json()
    assert (user_job["job"], user_job["user"], user_job["algo"]) == (obj.id, admin.id, True)
    assert user_job["humanUsername"] == admin.username


async def test_the_user_job_signs_requests_and_drives_its_status(
    client: AsyncTestClient,
    alice: NewAccount,
    admin: NewAccount,
    setup: Setup,
    db: asyncpg.Connection,
) -> None:
    await db.execute(
        "INSERT INTO project_member (project_id, user_id) VALUES ($1, $2)", setup.project, alice.id
    )
    job = await _create(client, alice, setup)
    keys = await _keys(client, alice, job["userJob"])
    me = (await client.get("/api/user/current.json", auth=keys)).json()
    assert (me["algo"], me["job"]) == (True, job["id"])
    running = {**job, "status": RUNNING, "progress": 40, "statusComment": "half"}
    r = await client.put(f"/api/job/{job['id']}.json", json=running, auth=keys)
    assert_status(r, 200)
    assert (r.json()["job"]["status"], r.json()["job"]["progress"]) == (RUNNING, 40)
    done = await client.put(
        f"/api/job/{job['id']}.json", json={**running, "status": SUCCESS}, auth=keys
    )
    assert done.json()["job"]["status"] == SUCCESS


async def test_a_final_job_cannot_run_again(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    for status in (RUNNING, SUCCESS):
        r = await client.put(
            f"/api/job/{job['id']}.json", json={"status": status}, auth=auth(admin)
        )
        assert_status(r, 200)
    r = await client.put(f"/api/job/{job['id']}.json", json={"status": RUNNING}, auth=auth(admin))
    assert_status(r, 400)
    assert "SUCCESS to RUNNING" in r.json()["errors"]["message"]
    unchanged = await client.get(f"/api/job/{job['id']}.json", auth=auth(admin))
    assert unchanged.json()["status"] == SUCCESS


async def test_execute_queues_and_kill_stops_a_job(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    queued = await client.post(f"/api/job/{job['id']}/execute.json", auth=auth(admin))
    assert (queued.status_code, queued.json()["status"]) == (200, INQUEUE)
    killed = await client.get(f"/api/job/{job['id']}/kill.json", auth=auth(admin))
    assert (killed.status_code, killed.json()["status"]) == (200, KILLED)
    again = await client.post(f"/api/job/{job['id']}/kill.json", auth=auth(admin))
    assert_status(again, 200)
    relaunched = await client.post(f"/api/job/{job['id']}/execute.json", auth=auth(admin))
    assert relaunched.json()["status"] == INQUEUE


async def test_a_job_needs_its_software_enabled_in_the_project(
    client: AsyncTestClient, admin: NewAccount, setup: Setup, db: asyncpg.Connection
) -> None:
    other = await db.fetchval("INSERT INTO software (name) VALUES ('Other') RETURNING id")
    body = {"project": setup.project, "software": other}
    r = await client.post("/api/job.json", json=body, auth=auth(admin))
    assert_status(r, 400)
    assert "not enabled" in r.json()["errors"]["message"]
    missing = await client.post("/api/job.json", json={"project": setup.project}, auth=auth(admin))
    assert_status(missing, 400)
    assert await db.fetchval("SELECT count(*) FROM job") == 0


async def test_a_parameter_of_another_software_leaves_no_job(
    client: AsyncTestClient, admin: NewAccount, setup: Setup, db: asyncpg.Connection
) -> None:
    other = await db.fetchval("INSERT INTO software (name) VALUES ('Other') RETURNING id")
    foreign = await db.fetchval(
        "INSERT INTO software_parameter (software_id, name, type) VALUES ($1, 'x', 'Number')"
        " RETURNING id",
        other,
    )
    body = {
        "project": setup.project,
        "software": setup.software,
        "params": [{"softwareParameter": foreign, "value": 1}],
    }
    r = await client.post("/api/job.json", json=body, auth=auth(admin))
    assert_status(r, 400)
    assert await db.fetchval("SELECT count(*) FROM sec_user WHERE origin = 'JOB'") == 0


async def test_jobs_are_listed_by_software_and_project_with_light_items(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    first = await _create(client, admin, setup)
    second = await _create(client, admin, setup)
    url = f"/api/job.json?project={setup.project}&software={setup.software}"
    listed = (await client.get(url, auth=auth(admin))).json()
    assert [j["id"] for j in listed["collection"]] == [second["id"], first["id"]]
    assert [j["number"] for j in listed["collection"]] == [2, 1]
    light = (await client.get(url + "&light=true&withUser=false", auth=auth(admin))).json()
    assert {
        k for j in light["collection"] for k in ("jobParameters", "userJob") if j.get(k)
    } == set()
    none = (
        await client.get(f"/api/job.json?software={setup.software + 1}", auth=auth(admin))
    ).json()
    assert none["size"] == 0


async def test_job_parameters_are_set_and_listed_by_job(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    body = [{"job": job["id"], "softwareParameter": setup.threshold, "value": "0.7"}]
    r = await client.post("/api/jobparameter.json", json=body, auth=auth(admin))
    assert (r.status_code, r.json()["status"]) == (200, 200)
    listed = (await client.get(f"/api/job/{job['id']}/parameter.json", auth=auth(admin))).json()
    assert [(p["name"], p["value"]) for p in listed["collection"]] == [("threshold", "0.7")]
    again = await client.post("/api/jobparameter.json", json=body[0], auth=auth(admin))
    assert_status(again, 409)


async def test_favorite_and_software_counters_follow_jobs(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    r = await client.post(
        f"/api/job/{job['id']}/favorite.json", json={"favorite": True}, auth=auth(admin)
    )
    assert (r.status_code, r.json()["favorite"]) == (200, True)
    stats = (
        await client.get(
            f"/api/project/{setup.project}/software/{setup.software}/stats.json", auth=auth(admin)
        )
    ).json()
    assert (stats["numberOfJob"], stats["numberOfNotLaunch"]) == (1, 1)
    software = (await client.get(f"/api/software/{setup.software}.json", auth=auth(admin))).json()
    assert software["numberOfJob"] == 1
    bounds = (
        await client.get(f"/api/project/{setup.project}/bounds/job.json", auth=auth(admin))
    ).json()
    assert (bounds["number"], bounds["softwareName"]) == ({"min": 1, "max": 1}, ["Detect"])


async def test_user_jobs_stay_out_of_human_user_lists(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    members = (await client.get(f"/api/project/{setup.project}/user.json", auth=auth(admin))).json()
    assert job["userJob"] not in [u["id"] for u in members["collection"]]
    everyone = (await client.get("/api/user.json", auth=auth(admin))).json()
    assert job["userJob"] not in [u["id"] for u in everyone["collection"]]
    listed = (await client.get("/api/project.json?withMembersCount=true", auth=auth(admin))).json()
    assert [p["membersCount"] for p in listed["collection"]] == [1]
    stats = (
        await client.get(f"/api/project/{setup.project}/stats/user.json", auth=auth(admin))
    ).json()
    assert job["userJob"] not in [u["id"] for u in stats["collection"]]
    runs = (await client.get(f"/api/project/{setup.project}/userjob.json", auth=auth(admin))).json()
    assert [(u["id"], u["idJob"], u["softwareName"]) for u in runs["collection"]] == [
        (job["userJob"], job["id"], "Detect")
    ]
    tree = (
        await client.get(f"/api/project/{setup.project}/userjob.json?tree=true", auth=auth(admin))
    ).json()
    assert [[r["id"] for r in s["children"]] for s in tree["children"]] == [[job["userJob"]]]


async def test_copy_makes_a_new_run_with_the_same_values(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(
        client, admin, setup, params=[{"softwareParameter": setup.threshold, "value": "3"}]
    )
    r = await client.post(f"/api/job/{job['id']}/copy.json", auth=auth(admin))
    assert_status(r, 200)
    copied = r.json()["job"]
    assert (copied["number"], copied["status"]) == (2, 0)
    assert [p["value"] for p in copied["jobParameters"]] == ["3"]
    assert copied["userJob"] != job["userJob"]


async def test_a_software_with_jobs_is_not_deleted(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    await _create(client, admin, setup)
    r = await client.delete(f"/api/software/{setup.software}.json", auth=auth(admin))
    assert_status(r, 409)
    assert "has jobs" in r.json()["errors"]["message"]
    assert_status(await client.get(f"/api/software/{setup.software}.json", auth=auth(admin)), 200)


async def test_the_log_of_a_job_is_its_log_out_attached_file(
    client: AsyncTestClient, admin: NewAccount, setup: Setup, db: asyncpg.Connection
) -> None:
    job = await _create(client, admin, setup)
    url = f"/api/job/{job['id']}/log.json"
    assert_status(await client.get(url, auth=auth(admin)), 404)
    log = await db.fetchval(
        "INSERT INTO attached_file (domain_class_name, domain_ident, filename, path, size)"
        " VALUES ('be.cytomine.processing.Job', $1, 'log.out', 'attachedfile/x/log.out', 3)"
        " RETURNING id",
        job["id"],
    )
    r = await client.get(url, auth=auth(admin))
    assert (r.status_code, r.json()["id"], r.json()["filename"]) == (200, log, "log.out")


async def test_post_user_job_answers_a_jobs_account_or_makes_a_new_run(
    client: AsyncTestClient, admin: NewAccount, setup: Setup
) -> None:
    job = await _create(client, admin, setup)
    same = await client.post("/api/userJob.json", json={"job": job["id"]}, auth=auth(admin))
    assert (same.status_code, same.json()["userJob"]["id"]) == (200, job["userJob"])
    body = {"software": setup.software, "project": setup.project}
    fresh = await client.post("/api/userJob.json", json=body, auth=auth(admin))
    assert_status(fresh, 200)
    assert fresh.json()["userJob"]["id"] != job["userJob"]
    bad = await client.post("/api/userJob.json", json={"job": "x"}, auth=auth(admin))
    assert_status(bad, 400)
    wrong = {"software": "abc", "project": setup.project}
    assert_status(await client.post("/api/userJob.json", json=wrong, auth=auth(admin)), 400)
    empty = await client.post("/api/userJob.json", json={}, auth=auth(admin))
    assert_status(empty, 400)
