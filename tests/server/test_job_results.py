"""A run's results: algo annotations owned by its user job, the job listing filters, the data
count before deleting it, deletion and the project purge."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, make_world, square
from tests.server.project_helpers import auth
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Run(msgspec.Struct, kw_only=True):
    world: World
    job: dict[str, Any]
    keys: CytomineAuth


async def _run(client: AsyncTestClient, who: NewAccount, world: World, software: int) -> Run:
    body = {"project": world.project, "software": software}
    r = await client.post("/api/job.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    job = r.json()["job"]
    account = (await client.get(f"/api/user/{job['userJob']}.json", auth=auth(who))).json()
    return Run(world=world, job=job, keys=CytomineAuth(account["publicKey"], account["privateKey"]))


@pytest.fixture
async def run(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Run:
    world = await make_world(client, db, alice, bob)
    software = await db.fetchval("INSERT INTO software (name) VALUES ('Detect') RETURNING id")
    await db.execute(
        "INSERT INTO software_project (software_id, project_id) VALUES ($1, $2)",
        software,
        world.project,
    )
    return await _run(client, bob, world, software)


async def _post(client: AsyncTestClient, run: Run, x: int, terms: list[int]) -> dict[str, Any]:
    body = {"image": run.world.image, "location": square(x, 10), "term": terms}
    r = await client.post("/api/annotation.json", json=body, auth=run.keys)
    assert r.status_code == 200, r.text
    return dict(r.json()["annotation"])


async def _listed(client: AsyncTestClient, who: NewAccount, query: str) -> list[int]:
    r = await client.get(f"/api/annotation.json?{query}", auth=auth(who))
    assert r.status_code == 200, r.text
    return [a["id"] for a in r.json()["collection"]]


async def test_a_user_job_posting_an_annotation_makes_an_algo_annotation_of_its_own(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    made = await _post(client, run, 10, [run.world.terms[0]])
    assert (made["class"], made["user"]) == (
        "be.cytomine.domain.ontology.AlgoAnnotation",
        run.job["userJob"],
    )
    assert await _listed(client, alice, f"project={run.world.project}") == []


async def test_job_filters_list_a_runs_annotations_and_suggested_terms(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    tumour, stroma = run.world.terms
    first = await _post(client, run, 10, [tumour])
    second = await _post(client, run, 100, [stroma])
    p = f"project={run.world.project}"
    assert await _listed(client, alice, f"{p}&job={run.job['id']}") == [second["id"], first["id"]]
    algo = f"{p}&includeAlgo=true"
    by_job = f"{algo}&jobForTermAlgo={run.job['id']}&suggestedTerm={tumour}"
    assert await _listed(client, alice, by_job) == [first["id"]]
    by_user = f"{algo}&userForTermAlgo={run.job['userJob']}&suggestedTerm={stroma}"
    assert await _listed(client, alice, by_user) == [second["id"]]
    assert await _listed(client, alice, f"{algo}&noAlgoTerm=true") == []


async def test_no_algo_term_keeps_annotations_without_suggestion(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    bare = await _post(client, run, 10, [])
    await _post(client, run, 100, [run.world.terms[0]])
    query = f"project={run.world.project}&includeAlgo=true&noAlgoTerm=true"
    assert await _listed(client, alice, query) == [bare["id"]]


async def test_a_job_filter_on_a_missing_job_is_404(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    r = await client.get(f"/api/annotation.json?job={run.job['id'] + 999}", auth=auth(alice))
    assert r.status_code == 404


async def test_userjob_listing_keeps_runs_with_annotations_on_an_image(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    url = f"/api/project/{run.world.project}/userjob.json?image={run.world.image}"
    assert (await client.get(url, auth=auth(alice))).json()["size"] == 0
    await _post(client, run, 10, [])
    listed = (await client.get(url, auth=auth(alice))).json()["collection"]
    assert [u["id"] for u in listed] == [run.job["userJob"]]


async def test_all_data_is_counted_then_deleted_by_a_manager(
    client: AsyncTestClient, run: Run, alice: NewAccount, bob: NewAccount, db: asyncpg.Connection
) -> None:
    await _post(client, run, 10, [run.world.terms[0]])
    await _post(client, run, 100, [])
    url = f"/api/job/{run.job['id']}/alldata.json"
    counted = (await client.get(url, auth=auth(bob))).json()
    assert counted == {"annotations": 2, "annotationsTerm": 1, "jobDatas": 0, "reviewed": 0}
    # The launcher is a contributor: deleting the data needs a manager (Cytomine).
    assert (await client.delete(url, auth=auth(bob))).status_code == 403
    r = await client.delete(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (await client.get(url, auth=auth(alice))).json()["annotations"] == 0
    job = (await client.get(f"/api/job/{run.job['id']}.json", auth=auth(alice))).json()
    assert job["dataDeleted"] is True
    counters = await db.fetchrow(
        "SELECT count_job_annotations FROM project WHERE id = $1", run.world.project
    )
    assert counters["count_job_annotations"] == 0


async def test_reviewed_results_keep_the_job_data(
    client: AsyncTestClient, run: Run, alice: NewAccount
) -> None:
    made = await _post(client, run, 10, [run.world.terms[0]])
    started = await client.post(
        f"/api/imageinstance/{run.world.image}/review.json", auth=auth(alice)
    )
    assert started.status_code == 200, started.text
    review = await client.post(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    assert review.status_code == 200, review.text
    url = f"/api/job/{run.job['id']}/alldata.json"
    assert (await client.get(url, auth=auth(alice))).json()["reviewed"] == 1
    refused = await client.delete(url, auth=auth(alice))
    assert refused.status_code == 400
    assert "reviewed" in refused.json()["errors"]["message"]
    assert (await client.get(url, auth=auth(alice))).json()["annotations"] == 1
    gone = await client.delete(f"/api/job/{run.job['id']}.json", auth=auth(alice))
    assert gone.status_code == 400


async def test_deleting_a_job_takes_its_annotations_and_account(
    client: AsyncTestClient, run: Run, bob: NewAccount, db: asyncpg.Connection
) -> None:
    made = await _post(client, run, 10, [run.world.terms[0]])
    r = await client.delete(f"/api/job/{run.job['id']}.json", auth=auth(bob))
    assert r.status_code == 200, r.text
    assert r.json()["job"]["id"] == run.job["id"]
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE id = $1", made["id"]) == 0
    assert await db.fetchval("SELECT count(*) FROM sec_user WHERE id = $1", run.job["userJob"]) == 0
    # The run's keys no longer sign anything.
    assert (await client.get("/api/user/current.json", auth=run.keys)).status_code == 401


async def test_purge_deletes_the_data_of_unreviewed_jobs(
    client: AsyncTestClient, run: Run, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, run, 10, [])
    url = f"/api/project/{run.world.project}/job/purge.json"
    assert (await client.post(url, auth=auth(bob))).status_code == 403
    r = await client.post(url, auth=auth(alice))
    assert (r.status_code, r.json()["id"]) == (200, run.world.project)
    assert r.json()["numberOfJobAnnotations"] == 0
    job = (await client.get(f"/api/job/{run.job['id']}.json", auth=auth(alice))).json()
    assert job["dataDeleted"] is True
