"""Project statistics (activity page) and instance counters (admin dashboard)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_image, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Filled(msgspec.Struct, kw_only=True):
    """The world with annotations: t0 is three days before they were made."""

    world: World
    other_image: int
    t0: datetime
    annotations: list[int]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def filled(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
) -> Filled:
    """Bob: one tumour, one tumour+stroma, one stroma on a second image; Alice: one untermed."""
    t0 = datetime.now(UTC) - timedelta(days=3)
    tumour, stroma = world.terms
    other, _ = await make_image(db, world.project, bob.id)
    made = [
        await create(client, bob, world.image, square(1, 1), term=[tumour]),
        await create(client, bob, world.image, square(20, 20), term=[tumour, stroma]),
        await create(client, alice, world.image, square(40, 40)),
        await create(client, bob, other, square(1, 1), term=[stroma]),
    ]
    return Filled(world=world, other_image=other, t0=t0, annotations=[a["id"] for a in made])


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


async def _stats(
    client: AsyncTestClient, who: NewAccount, project: int, name: str, **params: Any
) -> Any:
    url = f"/api/project/{project}/stats/{name}.json"
    return await client.get(url, params=params, auth=auth(who))


async def _rows(
    client: AsyncTestClient, who: NewAccount, project: int, name: str, **params: Any
) -> list[dict[str, Any]]:
    r = await _stats(client, who, project, name, **params)
    assert r.status_code == 200, r.text
    return r.json()["collection"]  # type: ignore[no-any-return]


async def test_annotations_per_term_with_the_untermed_last(
    client: AsyncTestClient, filled: Filled, bob: NewAccount
) -> None:
    tumour, stroma = filled.world.terms
    rows = await _rows(client, bob, filled.world.project, "term", leafsOnly="false")
    assert [(x["id"], x["key"], x["value"]) for x in rows] == [
        (tumour, "tumour", 2),
        (stroma, "stroma", 2),
        (None, None, 1),
    ]
    assert rows[0]["color"] == "#FF0000" and rows[0]["count"] == 2


async def test_leaf_terms_only_by_default(
    client: AsyncTestClient, db: asyncpg.Connection, filled: Filled, bob: NewAccount
) -> None:
    tumour, stroma = filled.world.terms
    await db.execute(
        "INSERT INTO relation_term (relation_id, term1_id, term2_id)"
        " SELECT id, $1, $2 FROM relation WHERE name = 'parent'",
        tumour,
        stroma,
    )
    rows = await _rows(client, bob, filled.world.project, "term")
    assert [x["id"] for x in rows] == [stroma, None]
    rows = await _rows(client, bob, filled.world.project, "term", leafOnly="false")
    assert [x["id"] for x in rows] == [tumour, stroma, None]


async def test_term_stats_between_dates(
    client: AsyncTestClient, filled: Filled, bob: NewAccount
) -> None:
    later = _ms(datetime.now(UTC) + timedelta(hours=1))
    rows = await _rows(
        client, bob, filled.world.project, "term", leafsOnly="false", startDate=later
    )
    assert [x["value"] for x in rows] == [0, 0]


async def test_images_per_term(client: AsyncTestClient, filled: Filled, bob: NewAccount) -> None:
    tumour, stroma = filled.world.terms
    rows = await _rows(client, bob, filled.world.project, "termslide")
    assert [(x["id"], x["key"], x["value"]) for x in rows] == [
        (tumour, "tumour", 1),
        (stroma, "stroma", 2),
        (None, None, 1),
    ]


async def test_annotations_per_image_and_term(
    client: AsyncTestClient, filled: Filled, bob: NewAccount
) -> None:
    tumour, stroma = filled.world.terms
    image, other = filled.world.image, filled.other_image
    rows = await _rows(client, bob, filled.world.project, "termimage")
    got = {(x["imageId"], x["termId"]): x["countAnnotations"] for x in rows}
    assert got == {(image, tumour): 2, (image, stroma): 1, (image, None): 1, (other, stroma): 1}


async def test_annotations_and_annotated_images_per_user(
    client: AsyncTestClient, filled: Filled, alice: NewAccount, bob: NewAccount
) -> None:
    rows = await _rows(client, bob, filled.world.project, "user")
    assert {x["id"]: (x["key"], x["value"]) for x in rows} == {
        alice.id: ("alice", 1),
        bob.id: ("bob", 3),
    }
    rows = await _rows(client, bob, filled.world.project, "userslide")
    assert {x["id"]: (x["key"], x["value"]) for x in rows} == {
        alice.id: ("alice", 1),
        bob.id: ("bob", 2),
    }


async def test_annotations_per_user_and_term(
    client: AsyncTestClient, filled: Filled, alice: NewAccount, bob: NewAccount
) -> None:
    tumour, stroma = filled.world.terms
    rows = await _rows(client, alice, filled.world.project, "userannotations")
    got = {x["id"]: {t["id"]: t["value"] for t in x["terms"]} for x in rows}
    assert got == {alice.id: {tumour: 0, stroma: 0}, bob.id: {tumour: 2, stroma: 2}}
    assert {x["key"] for x in rows} == {"alice", "bob"}


async def test_annotation_evolution_per_day(
    client: AsyncTestClient, db: asyncpg.Connection, filled: Filled, bob: NewAccount
) -> None:
    first = filled.annotations[0]
    await db.execute(
        "UPDATE annotation SET created = $2 WHERE id = $1", first, filled.t0 + timedelta(hours=36)
    )
    project, start = filled.world.project, _ms(filled.t0)
    params = {"startDate": start, "daysRange": 1}
    rows = await _rows(client, bob, project, "annotationevolution", accumulate="false", **params)
    # Latest period first unless reverseOrder=false.
    assert [x["size"] for x in rows] == [3, 0, 1, 0]
    assert rows[-1]["date"] == start and rows[-1]["endDate"] == start + 86_400_000
    rows = await _rows(client, bob, project, "annotationevolution", reverseOrder="false", **params)
    assert [x["size"] for x in rows] == [0, 1, 1, 4]
    tumour = filled.world.terms[0]
    rows = await _rows(
        client,
        bob,
        project,
        "annotationevolution",
        term=tumour,
        accumulate="false",
        reverseOrder="false",
        **params,
    )
    assert [x["size"] for x in rows] == [0, 1, 0, 1]
    two_days = {**params, "daysRange": 2}
    rows = await _rows(client, bob, project, "annotationevolution", **two_days)
    assert [x["size"] for x in rows] == [4, 1]


async def test_reviewed_and_algo_annotation_evolution(
    client: AsyncTestClient, filled: Filled, alice: NewAccount
) -> None:
    image, project = filled.world.image, filled.world.project
    assert (
        await client.post(f"/api/imageinstance/{image}/review.json", auth=auth(alice))
    ).status_code == 200
    url = f"/api/annotation/{filled.annotations[2]}/review.json"
    assert (await client.post(url, auth=auth(alice))).status_code == 200
    params = {"daysRange": 1, "accumulate": "false", "reverseOrder": "false"}
    rows = await _rows(client, alice, project, "reviewedannotationevolution", **params)
    assert sum(x["size"] for x in rows) == 1
    rows = await _rows(client, alice, project, "algoannotationevolution", **params)
    assert [x["size"] for x in rows] == [0] * len(rows) and rows


async def test_activity_evolutions_as_the_activity_page_asks(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    project = world.project
    body = {"project": project, "os": "Linux", "browser": "firefox", "browserVersion": "1"}
    await client.post(f"/api/project/{project}/userconnection.json", json=body, auth=auth(bob))
    url = f"/api/imageinstance/{world.image}/consultation.json"
    await client.post(url, json={"mode": "view"}, auth=auth(bob))
    made = await create(client, alice, world.image, square(1, 1))
    for action in ("select", "move"):
        body = {"annotationIdent": made["id"], "action": action}
        r = await client.post("/api/annotation_action.json", json=body, auth=auth(bob))
        assert r.status_code == 200, r.text
    created = (await client.get(f"/api/project/{project}.json", auth=auth(alice))).json()["created"]
    # The exact requests of the Web UI's activity page.
    for name, expected in (
        ("connectionsevolution", 1),
        ("imageconsultationsevolution", 1),
        ("annotationactionsevolution", 2),
    ):
        r = await client.get(
            f"/api/project/{project}/stats/{name}.json?daysRange=1&accumulate=false",
            auth=auth(alice),
        )
        assert r.status_code == 200, r.text
        rows = r.json()["collection"]
        assert [x["size"] for x in rows] == [expected], name
        assert rows[0]["date"] == int(created)
    rows = await _rows(client, alice, project, "annotationactionsevolution", type="move")
    assert [x["size"] for x in rows] == [1]
    r = await client.get(
        f"/api/project/{project}/stats/reviewedannotationevolution.json"
        "?daysRange=1&accumulate=false&reverseOrder=false",
        auth=auth(alice),
    )
    assert r.status_code == 200 and [x["size"] for x in r.json()["collection"]] == [0]


@pytest.mark.parametrize(
    "params",
    [
        {"daysRange": 0},
        {"daysRange": "week"},
        {"accumulate": "maybe"},
        {"reverseOrder": "maybe"},
        {"startDate": "yesterday"},
        {"startDate": 2_000_000_000_000, "endDate": 1_000_000_000_000},
        {"startDate": -50_000_000_000_000},
    ],
)
async def test_bad_evolution_parameters_are_refused(
    client: AsyncTestClient, world: World, alice: NewAccount, params: dict[str, Any]
) -> None:
    r = await _stats(client, alice, world.project, "annotationevolution", **params)
    assert r.status_code == 400, r.text
    assert r.json()["errors"]["message"]


async def test_unknown_statistic_and_project_are_not_found(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    assert (await _stats(client, alice, world.project, "nothing")).status_code == 404
    assert (await _stats(client, alice, 0, "term")).status_code == 404
    assert (await _stats(client, alice, 0, "connectionsevolution")).status_code == 404


@pytest.mark.parametrize(
    ("asker", "status"), [("bob", 200), ("alice", 200), ("admin", 200), ("guest", 403)]
)
async def test_who_may_read_project_statistics(
    client: AsyncTestClient,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    guest: NewAccount,
    asker: str,
    status: int,
) -> None:
    who = {"bob": bob, "alice": alice, "admin": admin, "guest": guest}[asker]
    for name in (
        "term",
        "termslide",
        "termimage",
        "user",
        "userslide",
        "userannotations",
        "annotationevolution",
        "algoannotationevolution",
        "reviewedannotationevolution",
        "connectionsevolution",
        "imageconsultationsevolution",
        "annotationactionsevolution",
    ):
        r = await _stats(client, who, world.project, name)
        assert r.status_code == status, (name, r.text)


async def test_term_counts_per_project(
    client: AsyncTestClient, filled: Filled, alice: NewAccount, guest: NewAccount
) -> None:
    tumour = filled.world.terms[0]
    r = await client.get(f"/api/term/{tumour}/project/stat.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    [row] = r.json()["collection"]
    assert (row["id"], row["value"]) == (filled.world.project, 2)
    assert row["username"] == row["key"]
    r = await client.get(f"/api/term/{tumour}/project/stat.json", auth=auth(guest))
    assert_status(r, 403)
    assert (await client.get("/api/term/0/project/stat.json", auth=auth(alice))).status_code == 404


async def test_admin_dashboard_counters(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    filled: Filled,
    admin: NewAccount,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    r = await client.get("/api/stats/all.json", auth=auth(admin))
    assert r.status_code == 200, r.text
    assert r.json() == {
        "users": await db.fetchval("SELECT count(*) FROM sec_user"),
        "projects": 1,
        "images": 2,
        "abstractImages": 2,
        "userAnnotations": 4,
        "jobAnnotations": 0,
        "terms": 2,
        "ontologies": 1,
    }
    project = filled.world.project
    body = {"project": project, "os": "Linux", "browser": "firefox", "browserVersion": "1"}
    current = (await client.get("/api/stats/currentStats.json", auth=auth(admin))).json()
    # Annotating is not presence: nobody entered a project or moved in a viewer yet.
    assert (current["users"], current["projects"], current["mostActiveProject"]) == (0, 0, None)
    url = f"/api/project/{project}/userconnection.json"
    await client.post(url, json=body, auth=auth(bob))
    view = {"topLeftX": 0, "topLeftY": 10, "topRightX": 10, "topRightY": 10, "zoom": 1}
    url = f"/api/imageinstance/{filled.world.image}/position.json"
    assert (await client.post(url, json=view, auth=auth(alice))).status_code == 200
    current = (await client.get("/api/stats/currentStats.json", auth=auth(admin))).json()
    # Bob entered the project and Alice looks at one of its images: both are active.
    assert (current["users"], current["projects"]) == (2, 1)
    assert current["mostActiveProject"]["project"]["id"] == project
    assert current["mostActiveProject"]["users"] == 2
    storage = (await client.get("/api/stats/imageserver/total.json", auth=auth(admin))).json()
    assert storage["used"] == 0 and storage["total"] == storage["available"] > 0
    assert storage["usedP"] == 0


async def test_totals_per_class(client: AsyncTestClient, filled: Filled, admin: NewAccount) -> None:
    for name in ("be.cytomine.domain.project.Project", "be.cytomine.project.Project"):
        r = await client.get(f"/api/total/{name}.json", auth=auth(admin))
        assert (r.status_code, r.json()) == (200, {"total": 1}), name
    r = await client.get(
        "/api/total/be.cytomine.domain.ontology.UserAnnotation.json", auth=auth(admin)
    )
    assert r.json() == {"total": 4}
    r = await client.get("/api/total/java.lang.String.json", auth=auth(admin))
    assert_status(r, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/stats/all.json",
        "/api/stats/currentStats.json",
        "/api/stats/imageserver/total.json",
        "/api/total/be.cytomine.domain.project.Project.json",
        "/api/total/project/connections.json",
    ],
)
async def test_admin_counters_are_refused_to_others(
    client: AsyncTestClient, alice: NewAccount, url: str
) -> None:
    r = await client.get(url, auth=auth(alice))
    assert_status(r, 403)
    assert "administrator" in r.json()["errors"]["message"]


async def test_the_measured_activity_and_admin_page_requests_all_answer(
    client: AsyncTestClient, filled: Filled, alice: NewAccount, admin: NewAccount
) -> None:
    """Every request the Web UI's activity and admin pages sent (404 before), replayed."""
    p = filled.world.project
    r = await client.get(f"/api/project/{p}/userconnection/count.json", auth=auth(alice))
    assert (r.status_code, r.json()) == (200, {"total": 0})
    for url in (
        f"/api/project/{p}/stats/connectionsevolution.json?daysRange=1&accumulate=false",
        f"/api/project/{p}/stats/imageconsultationsevolution.json?daysRange=1&accumulate=false",
        f"/api/project/{p}/stats/reviewedannotationevolution.json"
        "?daysRange=1&accumulate=false&reverseOrder=false",
        f"/api/project/{p}/stats/annotationactionsevolution.json?daysRange=1&accumulate=false",
        f"/api/project/{p}/stats/annotationevolution.json"
        "?daysRange=1&accumulate=false&reverseOrder=false",
        f"/api/project/{p}/stats/term.json?leafsOnly=false",
        f"/api/project/{p}/stats/user.json",
        f"/api/project/{p}/stats/userslide.json",
        f"/api/project/{p}/stats/termslide.json",
    ):
        r = await client.get(url, auth=auth(alice))
        assert r.status_code == 200, (url, r.text)
        assert isinstance(r.json()["collection"], list) and r.json()["collection"], url
    since = _ms(datetime.now(UTC) - timedelta(days=1))
    for url in (
        "/api/stats/currentStats.json",
        "/api/stats/all.json",
        "/api/stats/imageserver/total.json",
        f"/api/connectionFrequency.json?afterThan={since}&period=hour",
    ):
        r = await client.get(url, auth=auth(admin))
        assert r.status_code == 200, (url, r.text)
