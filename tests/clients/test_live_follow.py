"""The Follow panel socket over a real uvicorn server, as the browser reaches it."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import make_image
from tests.server.test_user_positions import VIEW as HEARTBEAT
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

VIEW = {**HEARTBEAT, "broadcast": True}


def _keys(who: NewAccount) -> CytomineAuth:
    return CytomineAuth(who.public_key, who.private_key)


async def _setting(
    http: httpx.AsyncClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> tuple[int, int]:
    """Alice's project with Bob as member and one image; returns (image, slice)."""
    r = await http.post("/api/project.json", json={"name": "Live"}, auth=_keys(alice))
    project = r.json()["project"]["id"]
    r = await http.post(f"/api/project/{project}/user/{bob.id}.json", auth=_keys(alice))
    assert r.status_code == 200, r.text
    return await make_image(db, project, alice.id)


async def _token(http: httpx.AsyncClient, who: NewAccount) -> str:
    body = {"username": who.username, "password": f"{who.username}-password"}
    return str((await http.post("/api/authenticate", json=body)).json()["shortTermToken"])


async def _next(ws: Any) -> Any:
    return msgspec.json.decode(await asyncio.wait_for(ws.recv(), 10))


async def test_a_browser_follower_gets_the_broadcasters_positions(
    live_server: str, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> None:
    async with httpx.AsyncClient(base_url=live_server) as http:
        image, slice_ = await _setting(http, db, alice, bob)
        post = f"/api/sliceinstance/{slice_}/position.json"
        await http.post(post, json={**VIEW, "zoom": 2}, auth=_keys(bob))
        token = await _token(http, alice)
        url = live_server.replace("http", "ws") + f"/ws/user-position/{alice.id}/{image}/false"
        async with connect(f"{url}?authorization=Bearer%20{token}") as ws:
            await ws.send(str(bob.id))
            assert (await _next(ws))["zoom"] == 2
            r = await http.post(post, json={**VIEW, "zoom": 4}, auth=_keys(bob))
            assert r.status_code == 200, r.text
            assert (await _next(ws))["zoom"] == 4


async def test_a_bad_token_closes_the_socket_with_a_policy_code(
    live_server: str, alice: NewAccount
) -> None:
    url = live_server.replace("http", "ws") + f"/ws/user-position/{alice.id}/1/false"
    async with connect(f"{url}?authorization=Bearer%20nope") as ws:
        with pytest.raises(ConnectionClosed) as caught:
            await asyncio.wait_for(ws.recv(), 10)
    assert caught.value.rcvd is not None
    assert caught.value.rcvd.code == 1008
    assert caught.value.rcvd.reason.startswith("401:")
