"""The worker's runtime: one typed object built by the app's one lifespan."""

from __future__ import annotations

import pytest
from litestar.datastructures import State
from litestar.testing import AsyncTestClient

from server.runtime import RUNTIME_KEY, Runtime, runtime_of
from server.settings import Settings


def test_an_app_that_has_not_started_has_no_runtime() -> None:
    with pytest.raises(RuntimeError, match="has not started"):
        runtime_of(State({"settings": Settings(database_url="postgresql://unused@/unused")}))


async def test_the_state_holds_the_settings_and_the_runtime_built_from_them(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    state = client.app.state
    assert set(state.dict()) == {"settings", RUNTIME_KEY}
    runtime = runtime_of(state)
    assert isinstance(runtime, Runtime)
    assert runtime.settings is settings
    # The health route reaches the database through the runtime's pool.
    ping = await client.get("/server/ping.json")
    assert ping.status_code == 200, ping.text
    assert ping.json()["alive"] is True
    assert ping.json()["serverID"] == runtime.server_id


async def test_the_runtime_cannot_be_replaced_piecemeal(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    runtime = runtime_of(client.app.state)
    with pytest.raises(AttributeError):
        runtime.pool = None  # type: ignore[misc]
