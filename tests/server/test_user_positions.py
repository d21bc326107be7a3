"""Viewer positions: heartbeats, history and summary, last position, online users, followers."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

VIEW = {
    "topLeftX": 0,
    "topLeftY": 100,
    "topRightX": 200,
    "topRightY": 100,
    "bottomRightX": 200,
    "bottomRightY": 0,
    "bottomLeftX": 0,
    "bottomLeftY": 0,
    "zoom": 3,
    "rotation": 0.5,
}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _post(client: AsyncTestClient, who: NewAccount, image: int, **more: Any) -> Any:
    body = {**VIEW, **more}
    return await client.post(f"/api/imageinstance/{image}/position.json", json=body, auth=auth(who))


async def test_a_heartbeat_answers_the_recorded_position(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    r = await _post(client, bob, world.image)
    assert r.status_code == 200, r.text
    got = msgspec.convert(r.json(), c.PersistentUserPosition)
    assert (got.user, got.image, got.slice, got.project) == (
        bob.id,
        world.image,
        world.slice,
        world.project,
    )
    assert (got.zoom, got.rotation, got.broadcast) == (3, 0.5, False)
    assert (got.x, got.y) == (100.0, 50.0)
    assert got.location.startswith("POLYGON")


async def test_a_heartbeat_on_a_slice_is_recorded_on_that_slice(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    url = f"/api/sliceinstance/{world.slice}/position.json"
    r = await client.post(url, json=VIEW, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert r.json()["slice"] == world.slice


async def test_heartbeats_keep_one_last_position_and_the_whole_history(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, bob: NewAccount
) -> None:
    for zoom in (1, 2, 3):
        assert (await _post(client, bob, world.image, zoom=zoom)).status_code == 200
    assert await db.fetchval("SELECT count(*) FROM user_position") == 3
    assert await db.fetchval("SELECT zoom FROM last_user_position") == 3


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/imageinstance/0/position.json", 404), ("/api/sliceinstance/0/position.json", 404)],
)
async def test_a_heartbeat_on_a_missing_image_or_slice_is_not_found(
    client: AsyncTestClient, alice: NewAccount, url: str, status: int
) -> None:
    assert (await client.post(url, json=VIEW, auth=auth(alice))).status_code == status


async def test_a_heartbeat_outside_ones_projects_is_forbidden_and_not_recorded(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    guest: NewAccount,
) -> None:
    assert (await _post(client, guest, world.image)).status_code == 403
    assert await db.fetchval("SELECT count(*) FROM user_position") == 0


async def test_a_fractional_zoom_is_rounded(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    r = await _post(client, bob, world.image, zoom=4.6)
    assert (r.status_code, r.json()["zoom"]) == (200, 5)


async def test_a_heartbeat_with_a_bad_zoom_is_refused(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    assert (await _post(client, bob, world.image, zoom="near")).status_code == 400


async def test_the_last_position_of_a_user_is_their_latest_heartbeat(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, bob, world.image, zoom=1)
    await _post(client, bob, world.image, zoom=5, broadcast=True)
    url = f"/api/imageinstance/{world.image}/position/{bob.id}.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = msgspec.convert(r.json(), c.LastUserPosition)
    assert (got.zoom, got.broadcast) == (5, True)


async def test_the_last_position_of_a_user_who_never_looked_is_empty(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/position/{bob.id}.json"
    r = await client.get(url, params={"broadcast": "true"}, auth=auth(alice))
    assert (r.status_code, r.json()) == (200, {})


async def test_the_last_position_of_an_unknown_user_is_not_found(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/position/0.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_online_users_are_those_with_a_recent_heartbeat(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, bob, world.image)
    await _post(client, alice, world.image, broadcast=True)
    url = f"/api/imageinstance/{world.image}/online.json"
    everyone = (await client.get(url, auth=auth(alice))).json()
    broadcasting = (await client.get(url, params={"broadcast": "true"}, auth=auth(bob))).json()
    assert everyone == {"users": sorted([alice.id, bob.id])}
    assert broadcasting == {"users": [alice.id]}


async def test_online_users_of_an_image_outside_ones_projects_are_forbidden(
    client: AsyncTestClient, world: World, guest: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/online.json"
    assert (await client.get(url, auth=auth(guest))).status_code == 403


async def test_the_detailed_history_lists_every_heartbeat_newest_first(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    for zoom in (1, 2):
        await _post(client, bob, world.image, zoom=zoom)
    await _post(client, alice, world.image, zoom=7)
    url = f"/api/imageinstance/{world.image}/positions.json"
    params = {"showDetails": "true", "user": bob.id}
    r = await client.get(url, params=params, auth=auth(alice))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["size"] == 2
    assert [p["zoom"] for p in body["collection"]] == [2, 1]


async def test_the_history_summary_counts_each_viewport(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    for zoom in (1, 1, 2):
        await _post(client, bob, world.image, zoom=zoom)
    url = f"/api/imageinstance/{world.image}/position.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = [(p["zoom"], p["frequency"], p["image"]) for p in r.json()["collection"]]
    assert got == [(1, 2, world.image), (2, 1, world.image)]
    assert r.json()["collection"][0]["location"] == [[0, 100], [200, 100], [200, 0], [0, 0]]


async def test_the_history_filters_by_time(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, bob, world.image)
    url = f"/api/imageinstance/{world.image}/positions.json"
    params = {"showDetails": "true", "afterThan": "32503680000000"}
    r = await client.get(url, params=params, auth=auth(alice))
    assert (r.status_code, r.json()["size"]) == (200, 0)


async def test_the_history_refuses_a_bad_time_bound(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/positions.json"
    r = await client.get(url, params={"afterThan": "yesterday"}, auth=auth(alice))
    assert_status(r, 400)


async def test_followers_are_the_users_polling_a_broadcaster(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, alice, world.image, broadcast=True)
    await client.get(f"/api/imageinstance/{world.image}/position/{alice.id}.json", auth=auth(bob))
    url = f"/api/imageinstance/{world.image}/followers/{alice.id}.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["collection"] == [str(bob.id)]


async def test_followers_of_someone_else_are_forbidden(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/followers/{alice.id}.json"
    assert (await client.get(url, auth=auth(bob))).status_code == 403
