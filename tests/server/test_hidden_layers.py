"""Hidden layers (hideUsersLayers / hideAdminsLayers) are hidden everywhere, not only in lists.

Exports, the CSV report, the overview and its counts, vector tiles, the project statistics
and the ``/count`` and index endpoints apply the listing's rule (one SQL function,
layer_visible): a contributor sees their own layer and the layers the project does not hide;
managers and admins see every layer.

Cytomine-core computes its statistics and counts from every annotation of the project, hidden
layers included: here a contributor's counts leave the hidden layers out, while managers and
admins keep Cytomine's totals.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth
from tests.server.test_annotation_overview import bulk

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    """Carol (a contributor) draws one annotation; the project then hides users' layers."""
    world = await make_world(client, db, alice, bob)
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.post(f"/api/project/{world.project}/user/{carol.id}.json", auth=auth(alice))
    assert_status(r, 200)
    await create(client, carol, world.image, sq(100, 100), term=[world.terms[0]])
    await db.execute("UPDATE project SET hide_users_layers = true WHERE id = $1", world.project)
    return world


async def _text(client: AsyncTestClient, who: NewAccount, url: str) -> str:
    r = await client.get(url, auth=auth(who))
    assert_status(r, 200)
    return r.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/imageinstance/{image}/annotation/export.json",
        "/api/imageinstance/{image}/annotation/export.json?format=ndjson",
        "/api/project/{project}/annotation/export.json",
        "/api/imageinstance/{image}/annotation/export.json?format=qupath",
        "/api/project/{project}/annotation/export.json?format=qupath",
    ],
)
async def test_exports_leave_out_hidden_layers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World, url: str
) -> None:
    url = url.format(image=world.image, project=world.project)
    assert '"Feature"' in await _text(client, alice, url)
    assert '"Feature"' not in await _text(client, bob, url)


async def test_csv_report_leaves_out_hidden_layers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    url = f"/api/project/{world.project}/annotation/download?format=csv"
    manager, contributor = await _text(client, alice, url), await _text(client, bob, url)
    assert len(manager.strip().splitlines()) == 2  # header + carol's annotation
    assert len(contributor.strip().splitlines()) == 1


async def test_overview_counts_leave_out_hidden_layers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/overview.json?zoom=0"
    seen = {}
    for who in (alice, bob):
        r = await client.get(url, auth=auth(who))
        assert_status(r, 200)
        seen[who.username] = r.json()["count"]
    assert seen == {"alice": 1, "bob": 0}


async def test_vector_tiles_leave_out_hidden_layers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation/mvt/zoom/0/tx/0/ty/0.mvt"
    sizes = {}
    for who in (alice, bob):
        r = await client.get(url, auth=auth(who))
        assert r.status_code in (200, 204), r.text
        sizes[who.username] = len(r.content)
    assert sizes["alice"] > 0 and sizes["bob"] == 0


async def test_kmeans_clusters_leave_out_hidden_layers(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    carol = await db.fetchval("SELECT id FROM sec_user WHERE username = 'carol'")
    await bulk(db, world, carol, 1500, x=100)
    await bulk(db, world, alice.id, 1000, x=800)
    body = {"image": world.image, "kmeans": True, "bbox": "0,0,1000,800"}
    counts = {}
    for who in (alice, bob):
        r = await client.post("/api/annotation/search.json", json=body, auth=auth(who))
        assert_status(r, 200)
        rows = r.json()["collection"]
        # Clusters carry counts; below the clustering threshold the annotations are listed.
        clustered = bool(rows) and "count" in rows[0]
        counts[who.username] = sum(row["count"] for row in rows) if clustered else len(rows)
    assert counts == {"alice": 2501, "bob": 1000}


# Counts a contributor reads, and the keys their numbers are under.
COUNTS = [
    "/api/project/{project}/userannotation/count.json",
    "/api/user/{carol}/userannotation/count.json?project={project}",
    "/api/project/{project}/stats/term.json",
    "/api/project/{project}/stats/termslide.json",
    "/api/project/{project}/stats/termimage.json",
    "/api/project/{project}/stats/user.json",
    "/api/project/{project}/stats/userslide.json",
    "/api/project/{project}/stats/userannotations.json",
    "/api/project/{project}/stats/annotationevolution.json",
    "/api/term/{term}/project/stat.json",
    "/api/imageinstance/{image}/reviewedannotation/stats.json",
    "/api/sliceinstance/{slice}/annotationindex.json",
]
COUNT_KEYS = {"total", "value", "countAnnotations", "countAnnotation", "all", "size"}


def _counted(found: Any) -> int:
    """The sum of the counts in an answer (a page's own ``size`` left aside)."""
    if isinstance(found, list):
        return sum(_counted(x) for x in found)
    if not isinstance(found, dict):
        return 0
    if "collection" in found:
        return _counted(found["collection"])
    own = sum(v for k, v in found.items() if k in COUNT_KEYS and isinstance(v, int))
    return own + sum(_counted(v) for v in found.values() if isinstance(v, (list, dict)))


@pytest.mark.parametrize("url", COUNTS)
async def test_counts_leave_out_hidden_layers(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
    url: str,
) -> None:
    carol = await db.fetchval("SELECT id FROM sec_user WHERE username = 'carol'")
    url = url.format(
        project=world.project,
        image=world.image,
        slice=world.slice,
        term=world.terms[0],
        carol=carol,
    )
    seen = {}
    for who in (alice, bob):
        r = await client.get(url, auth=auth(who))
        assert_status(r, 200)
        seen[who.username] = _counted(r.json())
    assert seen["alice"] > 0 and seen["bob"] == 0, seen


@pytest.mark.parametrize(
    "url",
    [
        "/api/project/{project}.json",
        "/api/project.json",
        "/api/imageinstance/{image}.json",
        "/api/project/{project}/imageinstance.json",
        "/api/imagegroup/{group}/imageinstance.json",
        "/api/imagegroup/{group}/imageinstance/{image}/next.json?circular=true",
    ],
)
async def test_annotation_counters_leave_out_hidden_layers(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World, url: str
) -> None:
    """numberOfAnnotations of projects and images: the stored total for managers, what the
    caller sees for a contributor."""
    body = {"name": "G", "project": world.project}
    group = (await client.post("/api/imagegroup.json", json=body, auth=auth(alice))).json()
    group_id = group["imagegroup"]["id"]
    r = await client.post(
        f"/api/imagegroup/{group_id}/imageinstance/{world.image}.json", auth=auth(alice)
    )
    assert_status(r, 200)
    url = url.format(project=world.project, image=world.image, group=group_id)
    seen = {}
    for who in (alice, bob):
        r = await client.get(url, auth=auth(who))
        assert_status(r, 200)
        found = r.json()
        objects = found.get("collection", [found])
        seen[who.username] = [o["numberOfAnnotations"] for o in objects]
    assert seen == {"alice": [1], "bob": [0]}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/bounds/project.json", "numberOfAnnotations"),
        ("/api/project/{project}/bounds/imageinstance.json", "countImageAnnotations"),
    ],
)
async def test_counter_bounds_leave_out_hidden_layers(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
    url: str,
    field: str,
) -> None:
    url = url.format(project=world.project)
    seen = {}
    for who in (alice, bob):
        r = await client.get(url, auth=auth(who))
        assert_status(r, 200)
        seen[who.username] = r.json()[field]["max"]
    assert seen == {"alice": 1, "bob": 0}
