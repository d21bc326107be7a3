"""No app engine and no search index: the Web UI's calls get the empty answers it expects."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def test_no_task_is_installed(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/app-engine/tasks", auth=auth(alice))
    assert (r.status_code, r.json()) == (200, [])


async def test_a_member_sees_no_task_run(client: AsyncTestClient, alice: NewAccount) -> None:
    project = (await make_project(client, alice))["id"]
    r = await client.get(f"/api/project/{project}/task-runs", auth=auth(alice))
    assert (r.status_code, r.json()) == (200, [])


@pytest.mark.parametrize(("target", "status"), [("other", 403), ("missing", 404)])
async def test_task_runs_are_refused_to_outsiders_and_missing_projects(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, target: str, status: int
) -> None:
    project = (await make_project(client, alice))["id"] if target == "other" else 999999999
    r = await client.get(f"/api/project/{project}/task-runs", auth=auth(bob))
    assert r.status_code == status


async def test_search_has_no_facet(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/meilisearch/facets", auth=auth(alice))
    assert (r.status_code, r.json()) == (200, {})


@pytest.mark.parametrize("url", ["/api/app-engine/tasks", "/api/meilisearch/facets"])
async def test_both_need_credentials(client: AsyncTestClient, url: str) -> None:
    assert (await client.get(url)).status_code == 401
