"""Project connections: entering a project, history with counters, counts and frequencies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# What the Web UI posts when it opens a project.
UI_BODY = {"os": "Linux", "browser": "chrome", "browserVersion": "120.0.0"}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _enter(client: AsyncTestClient, who: NewAccount, project: int) -> Any:
    body = {"project": project, **UI_BODY}
    return await client.post(
        f"/api/project/{project}/userconnection.json", json=body, auth=auth(who)
    )


async def _get(client: AsyncTestClient, who: NewAccount, url: str, **params: Any) -> Any:
    return await client.get(url, params=params, auth=auth(who))


async def _backdate(db: asyncpg.Connection, table: str, row_id: int, when: datetime) -> None:
    assert table in {"project_connection", "image_consultation", "annotation"}
    await db.execute(f"UPDATE {table} SET created = $2 WHERE id = $1", row_id, when)


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


async def test_entering_a_project_answers_cytomines_record(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    r = await _enter(client, bob, world.project)
    assert r.status_code == 200, r.text
    got = msgspec.convert(r.json(), c.PersistentProjectConnection)
    assert got.class_ == "be.cytomine.domain.social.PersistentProjectConnection"
    assert (got.user, got.project, got.os, got.browser, got.browser_version) == (
        bob.id,
        world.project,
        "Linux",
        "chrome",
        "120.0.0",
    )
    assert got.created.isdigit()
    # Open: no time or counters yet.
    assert (got.time, got.count_viewed_images, got.count_created_annotations) == (None, None, None)


async def test_entering_again_closes_the_previous_connection_with_what_was_done(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, bob: NewAccount
) -> None:
    first = (await _enter(client, bob, world.project)).json()["id"]
    t0 = datetime.now(UTC) - timedelta(minutes=10)
    await _backdate(db, "project_connection", first, t0)
    # Activity 10 s, 15 s, 20 s and 80 s after entering: the 60 s gap is not counted.
    for seconds in (10, 20, 80):
        r = await client.post(
            f"/api/imageinstance/{world.image}/consultation.json",
            json={"mode": "view"},
            auth=auth(bob),
        )
        await _backdate(db, "image_consultation", r.json()["id"], t0 + timedelta(seconds=seconds))
    made = await create(client, bob, world.image, square(5, 5))
    await _backdate(db, "annotation", made["id"], t0 + timedelta(seconds=15))
    await _enter(client, bob, world.project)
    row = await db.fetchrow(
        "SELECT time, count_viewed_images, count_created_annotations"
        " FROM project_connection WHERE id = $1",
        first,
    )
    assert dict(row) == {"time": 20000, "count_viewed_images": 1, "count_created_annotations": 1}


async def test_image_consultations_name_the_connection_they_belong_to(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    connection = (await _enter(client, bob, world.project)).json()["id"]
    url = f"/api/imageinstance/{world.image}/consultation.json"
    r = await client.post(url, json={"mode": "view"}, auth=auth(bob))
    assert r.json()["projectConnection"] == connection
    r = await _get(client, bob, f"/api/projectConnection/{connection}.json")
    assert r.status_code == 200, r.text
    assert [x["image"] for x in r.json()["collection"]] == [world.image]


@pytest.mark.parametrize("who", ["guest", "nobody"])
async def test_outsiders_cannot_enter_and_nothing_is_recorded(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    guest: NewAccount,
    who: str,
) -> None:
    project = world.project if who == "guest" else 0
    r = await _enter(client, guest, project)
    assert r.status_code == (403 if who == "guest" else 404)
    assert "errors" in r.json()
    assert await db.fetchval("SELECT count(*) FROM project_connection") == 0


async def test_count_between_dates(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    old = (await _enter(client, bob, world.project)).json()["id"]
    await _backdate(db, "project_connection", old, datetime.now(UTC) - timedelta(days=3))
    await _enter(client, alice, world.project)
    url = f"/api/project/{world.project}/userconnection/count.json"
    assert (await _get(client, bob, url)).json() == {"total": 2}
    since = _ms(datetime.now(UTC) - timedelta(days=1))
    assert (await _get(client, bob, url, startDate=since)).json() == {"total": 1}
    assert (await _get(client, bob, url, endDate=since)).json() == {"total": 1}
    bad = await _get(client, bob, url, startDate="yesterday")
    assert bad.status_code == 400 and "errors" in bad.json()


async def test_a_users_connections_newest_first_the_open_one_online(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, bob: NewAccount
) -> None:
    old = (await _enter(client, bob, world.project)).json()["id"]
    await _backdate(db, "project_connection", old, datetime.now(UTC) - timedelta(hours=1))
    new = (await _enter(client, bob, world.project)).json()["id"]
    r = await _get(client, bob, f"/api/project/{world.project}/userconnection/{bob.id}.json")
    assert r.status_code == 200, r.text
    rows = r.json()["collection"]
    assert [x["id"] for x in rows] == [new, old]
    assert rows[0]["online"] is True and "online" not in rows[1]
    assert rows[1]["time"] == 0
    paged = await _get(
        client, bob, f"/api/project/{world.project}/userconnection/{bob.id}.json", max=1, offset=1
    )
    assert [x["id"] for x in paged.json()["collection"]] == [old]
    assert paged.json()["size"] == 2


@pytest.mark.parametrize(
    ("asker", "status"), [("bob", 200), ("alice", 200), ("admin", 200), ("guest", 403)]
)
async def test_who_may_read_a_members_history(
    client: AsyncTestClient,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    guest: NewAccount,
    asker: str,
    status: int,
) -> None:
    await _enter(client, bob, world.project)
    who = {"bob": bob, "alice": alice, "admin": admin, "guest": guest}[asker]
    for path in ("userconnection", "connectionHistory", "lastConnection", "connectionFrequency"):
        r = await _get(client, who, f"/api/project/{world.project}/{path}/{bob.id}.json")
        assert r.status_code == status, (path, r.text)


async def test_a_contributor_cannot_read_the_managers_history(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _enter(client, alice, world.project)
    for path in ("userconnection", "connectionHistory", "lastConnection", "connectionFrequency"):
        r = await _get(client, bob, f"/api/project/{world.project}/{path}/{alice.id}.json")
        assert r.status_code == 403, path


async def test_unknown_user_is_not_found(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    r = await _get(client, alice, f"/api/project/{world.project}/userconnection/0.json")
    assert_status(r, 404)


async def test_last_connections_managers_see_everyone_members_themselves(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _enter(client, bob, world.project)
    await _enter(client, alice, world.project)
    url = f"/api/project/{world.project}/lastConnection.json"
    everyone = (await _get(client, alice, url)).json()["collection"]
    assert [x["user"] for x in everyone] == [alice.id, bob.id]
    assert all(isinstance(x["created"], int) for x in everyone)
    assert [x["user"] for x in (await _get(client, bob, url)).json()["collection"]] == [bob.id]


async def test_connection_frequency_per_user_and_per_period(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    for _ in range(2):
        await _enter(client, bob, world.project)
    old = (await _enter(client, alice, world.project)).json()["id"]
    await _backdate(db, "project_connection", old, datetime(2026, 1, 5, 10, 30, tzinfo=UTC))
    url = f"/api/project/{world.project}/connectionFrequency.json"
    per_user = (await _get(client, alice, url)).json()["collection"]
    assert per_user == [{"user": bob.id, "frequency": 2}, {"user": alice.id, "frequency": 1}]
    per_day = (await _get(client, alice, url, period="day")).json()["collection"]
    assert per_day[0] == {"time": _ms(datetime(2026, 1, 5, tzinfo=UTC)), "frequency": 1}
    assert sum(x["frequency"] for x in per_day) == 3
    weeks = (await _get(client, alice, url, period="week")).json()["collection"]
    # Weeks start on Sunday: 2026-01-05 is a Monday.
    assert weeks[0]["time"] == _ms(datetime(2026, 1, 4, tzinfo=UTC))
    heat = (await _get(client, alice, url, heatmap="true")).json()["collection"]
    assert heat[0] == {"time": _ms(datetime(2026, 1, 5, 10, tzinfo=UTC)), "frequency": 1}
    after = _ms(datetime(2026, 2, 1, tzinfo=UTC))
    recent = (await _get(client, alice, url, period="hour", afterThan=after)).json()["collection"]
    assert sum(x["frequency"] for x in recent) == 2
    # A contributor only sees their own connections.
    mine = (await _get(client, bob, url, period="day")).json()["collection"]
    assert sum(x["frequency"] for x in mine) == 2
    bad = await _get(client, alice, url, period="month")
    assert bad.status_code == 400 and "period" in bad.json()["errors"]["message"]


async def test_admin_connection_frequency_as_the_dashboard_asks(
    client: AsyncTestClient, world: World, admin: NewAccount, alice: NewAccount, bob: NewAccount
) -> None:
    await _enter(client, bob, world.project)
    await _enter(client, alice, world.project)
    since = _ms(datetime.now(UTC) - timedelta(days=1))
    r = await _get(client, admin, "/api/connectionFrequency.json", afterThan=since, period="hour")
    assert r.status_code == 200, r.text
    assert sum(x["frequency"] for x in r.json()["collection"]) == 2
    r = await _get(client, alice, "/api/connectionFrequency.json", afterThan=since, period="hour")
    assert_status(r, 403)
    r = await _get(client, admin, "/api/connectionFrequency.json")
    assert r.status_code == 400 and "period" in r.json()["errors"]["message"]


async def test_average_connections_are_shares(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    admin: NewAccount,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    for _ in range(3):
        await _enter(client, bob, world.project)
    old = (await _enter(client, alice, world.project)).json()["id"]
    await _backdate(db, "project_connection", old, datetime.now(UTC) - timedelta(hours=5))
    r = await _get(client, admin, "/api/averageConnections.json", period="hour")
    assert r.status_code == 200, r.text
    shares = sorted(x["frequency"] for x in r.json()["collection"])
    assert shares == [0.25, 0.75]
    r = await _get(
        client, alice, "/api/averageConnections.json", period="day", project=world.project
    )
    assert [x["frequency"] for x in r.json()["collection"]] in ([1.0], [0.25, 0.75])
    assert (
        await _get(client, bob, "/api/averageConnections.json", period="hour")
    ).status_code == 403
    assert (await _get(client, admin, "/api/averageConnections.json")).status_code == 400


async def test_connection_history_as_csv(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _enter(client, bob, world.project)
    await _enter(client, bob, world.project)
    url = f"/api/project/{world.project}/connectionHistory/{bob.id}.json"
    r = await _get(client, alice, url, export="csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().split("\n")
    assert len(lines) == 3
    assert lines[2].split(";")[1:] == ["0", "0", "0", "Linux", "chrome", "120.0.0"]
    assert (await _get(client, alice, url, export="pdf")).status_code == 400


async def test_connection_details_permissions(
    client: AsyncTestClient,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
) -> None:
    mine = (await _enter(client, alice, world.project)).json()["id"]
    assert (await _get(client, bob, f"/api/projectConnection/{mine}.json")).status_code == 403
    assert (await _get(client, guest, f"/api/projectConnection/{mine}.json")).status_code == 403
    assert (await _get(client, alice, f"/api/projectConnection/{mine}.json")).status_code == 200
    assert (await _get(client, alice, "/api/projectConnection/0.json")).status_code == 404


async def test_total_connections_per_project_for_admins(
    client: AsyncTestClient, world: World, admin: NewAccount, alice: NewAccount, bob: NewAccount
) -> None:
    await _enter(client, bob, world.project)
    await _enter(client, alice, world.project)
    r = await _get(client, admin, "/api/total/project/connections.json")
    assert r.status_code == 200, r.text
    assert r.json()["collection"] == [{"project": world.project, "total": 2}]
    assert (await _get(client, alice, "/api/total/project/connections.json")).status_code == 403


async def test_member_activity_reports_connections_images_and_presence(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    for _ in range(2):
        await _enter(client, bob, world.project)
    url = f"/api/imageinstance/{world.image}/consultation.json"
    await client.post(url, json={"mode": "view"}, auth=auth(bob))
    view = {"topLeftX": 0, "topLeftY": 10, "topRightX": 10, "topRightY": 10, "zoom": 1}
    url = f"/api/imageinstance/{world.image}/position.json"
    assert (await client.post(url, json=view, auth=auth(bob))).status_code == 200
    base = f"/api/project/{world.project}"
    rows = (await _get(client, alice, f"{base}/usersActivity.json")).json()["collection"]
    mine = {x["id"]: x for x in rows}
    assert (mine[bob.id]["frequency"], mine[bob.id]["lastImageId"]) == (2, world.image)
    assert mine[bob.id]["lastConnection"].isdigit()
    assert (mine[alice.id]["frequency"], mine[alice.id]["lastConnection"]) == (0, None)
    online = (await _get(client, alice, f"{base}/online/user.json")).json()["collection"]
    assert [x["id"] for x in online] == [bob.id]
    assert [(p["image"], p["slice"]) for p in online[0]["position"]] == [(world.image, world.slice)]
    members = (await _get(client, alice, f"{base}/user.json", online="true")).json()
    assert [x["id"] for x in members["collection"]] == [bob.id]
    resume = (await _get(client, alice, f"{base}/resumeActivity/{bob.id}.json")).json()
    assert resume["totalConnections"] == 2 and resume["totalConsultations"] == 1
    assert resume["firstConnection"] <= resume["lastConnection"]
    assert (resume["totalAnnotations"], resume["totalAnnotationSelections"]) == (0, 0)
