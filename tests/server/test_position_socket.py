"""The Follow panel's socket: followers get a broadcaster's positions, across app instances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient
from litestar.testing.websocket_test_session import WebSocketTestSession

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth
from tests.server.test_user_positions import VIEW as HEARTBEAT

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

WAIT = 10.0
VIEW = {**HEARTBEAT, "broadcast": True}


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def other(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """A second app instance (another worker) on the same database."""
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def _token(client: AsyncTestClient, who: NewAccount) -> str:
    body = {"username": who.username, "password": f"{who.username}-password"}
    r = await client.post("/api/authenticate", json=body)
    assert r.status_code == 200, r.text
    return str(r.json()["shortTermToken"])


async def _socket(
    client: AsyncTestClient,
    who: NewAccount,
    image: int,
    broadcast: bool,
    *,
    param: str = "authorization",
    user: int | None = None,
) -> WebSocketTestSession:
    token = await _token(client, who)
    path = f"/ws/user-position/{who.id if user is None else user}/{image}/{str(broadcast).lower()}"
    return await client.websocket_connect(path, params={param: f"Bearer {token}"})


async def _post(client: AsyncTestClient, who: NewAccount, world: World, zoom: int) -> None:
    url = f"/api/sliceinstance/{world.slice}/position.json"
    r = await client.post(url, json={**VIEW, "zoom": zoom}, auth=auth(who))
    assert r.status_code == 200, r.text


def _next(ws: WebSocketTestSession) -> Any:
    return msgspec.json.decode(ws.receive_text(timeout=WAIT))


@asynccontextmanager
async def _following(
    client: AsyncTestClient, world: World, follower: NewAccount, broadcaster: NewAccount
) -> AsyncIterator[WebSocketTestSession]:
    """A follower's socket once it got the broadcaster's last position (following began)."""
    await _post(client, broadcaster, world, zoom=1)
    with await _socket(client, follower, world.image, False) as ws:
        ws.send_text(str(broadcaster.id))
        assert _next(ws)["zoom"] == 1
        yield ws


async def test_a_follower_gets_the_last_position_then_each_posted_one(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, bob, world, zoom=2)
    with await _socket(client, alice, world.image, False) as ws:
        ws.send_text(str(bob.id))
        first = _next(ws)
        assert (first["user"], first["image"], first["zoom"]) == (bob.id, world.image, 2)
        await _post(client, bob, world, zoom=5)
        moved = _next(ws)
        assert (moved["user"], moved["zoom"], moved["x"], moved["y"]) == (bob.id, 5, 100.0, 50.0)
        assert moved["broadcast"] is True


async def test_a_broadcasters_socket_views_reach_followers_and_its_end_stops_them(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    with await _socket(client, alice, world.image, False) as follower:
        with await _socket(client, bob, world.image, True) as broadcaster:
            follower.send_text(str(bob.id))
            # No position yet: followers are registered once the followers list shows it.
            r = await client.get(
                f"/api/imageinstance/{world.image}/followers/{bob.id}.json", auth=auth(bob)
            )
            assert r.json()["collection"] == [str(alice.id)]
            broadcaster.send_text('{"x": 12.5, "y": 40, "zoom": 3, "rotation": 0.25}')
            got = _next(follower)
            assert (got["x"], got["y"], got["zoom"], got["rotation"]) == (12.5, 40, 3, 0.25)
            assert (got["user"], got["image"]) == (bob.id, world.image)
        assert follower.receive_text(timeout=WAIT) == "stop-track"
        with pytest.raises(WebSocketDisconnect):
            follower.receive_text(timeout=WAIT)


async def test_followers_and_online_users_follow_the_sockets(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _post(client, bob, world, zoom=1)
    r = await client.get(
        f"/api/imageinstance/{world.image}/online.json?broadcast=true", auth=auth(alice)
    )
    assert r.json() == {"users": [bob.id]}
    followers = f"/api/imageinstance/{world.image}/followers/{bob.id}.json"
    with await _socket(client, alice, world.image, False) as ws:
        ws.send_text(str(bob.id))
        _next(ws)
        assert (await client.get(followers, auth=auth(bob))).json()["collection"] == [str(alice.id)]
    assert (await client.get(followers, auth=auth(bob))).json()["collection"] == []


async def test_positions_reach_followers_connected_to_another_instance(
    client: AsyncTestClient,
    other: AsyncTestClient,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    await _post(client, bob, world, zoom=1)
    with await _socket(other, alice, world.image, False) as ws:
        ws.send_text(str(bob.id))
        assert _next(ws)["zoom"] == 1
        await _post(client, bob, world, zoom=7)
        assert _next(ws)["zoom"] == 7
        with await _socket(client, bob, world.image, True) as broadcaster:
            broadcaster.send_text('{"x": 1, "y": 2, "zoom": 4, "rotation": 0}')
            assert _next(ws)["zoom"] == 4


@pytest.mark.parametrize("param", ["authorization", "Authorization", "auth"])
async def test_each_token_parameter_name_is_accepted(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount, param: str
) -> None:
    await _post(client, bob, world, zoom=6)
    with await _socket(client, alice, world.image, False, param=param) as ws:
        ws.send_text(str(bob.id))
        assert _next(ws)["zoom"] == 6


def _refusal(ws: WebSocketTestSession) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as caught:
        ws.receive_text(timeout=WAIT)
    return caught.value.code, str(caught.value.detail)


async def test_an_outsider_cannot_connect(
    client: AsyncTestClient, world: World, guest: NewAccount
) -> None:
    with await _socket(client, guest, world.image, False) as ws:
        code, reason = _refusal(ws)
    assert code == 1008 and reason.startswith("403:")


async def test_a_socket_must_be_the_callers_own(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    with await _socket(client, bob, world.image, False, user=alice.id) as ws:
        code, reason = _refusal(ws)
    assert code == 1008 and reason.startswith("403:")


@pytest.mark.parametrize("query", ["", "?authorization=Bearer%20not-a-token"])
async def test_a_missing_or_bad_token_is_refused(
    client: AsyncTestClient, world: World, alice: NewAccount, query: str
) -> None:
    path = f"/ws/user-position/{alice.id}/{world.image}/false{query}"
    with await client.websocket_connect(path) as ws:
        code, reason = _refusal(ws)
    assert code == 1008 and reason.startswith("401:")


async def test_an_unknown_image_is_refused(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    with await _socket(client, alice, 987654321, False) as ws:
        code, reason = _refusal(ws)
    assert code == 1008 and reason.startswith("404:")


async def test_followers_get_the_exact_zoom_the_record_rounds(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    async with _following(client, world, alice, bob) as ws:
        url = f"/api/sliceinstance/{world.slice}/position.json"
        r = await client.post(url, json={**VIEW, "zoom": 2.75}, auth=auth(bob))
        assert r.json()["zoom"] == 3
        assert _next(ws)["zoom"] == 2.75


async def test_a_heartbeat_without_broadcast_reaches_no_follower(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    url = f"/api/sliceinstance/{world.slice}/position.json"
    await client.post(url, json={**VIEW, "zoom": 1, "broadcast": False}, auth=auth(bob))
    with await _socket(client, alice, world.image, False) as ws:
        ws.send_text(str(bob.id))
        assert _next(ws)["zoom"] == 1  # the last position, sent once on following
        await client.post(url, json={**VIEW, "zoom": 2, "broadcast": False}, auth=auth(bob))
        await _post(client, bob, world, zoom=8)
        assert _next(ws)["zoom"] == 8
