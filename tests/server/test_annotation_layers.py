"""Task-run annotation layers of an image, as the Web UI's layers panel reads them."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def test_an_image_without_task_runs_has_a_bare_empty_array_of_layers(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> None:
    world = await make_world(client, db, alice, bob)
    url = f"/api/image-instances/{world.image}/annotation-layers"
    r = await client.get(url, auth=auth(bob))
    assert_status(r, 200)
    assert r.json() == []


async def test_layers_of_an_image_outside_the_callers_projects_are_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
) -> None:
    world = await make_world(client, db, alice, bob)
    url = f"/api/image-instances/{world.image}/annotation-layers"
    assert (await client.get(url, auth=auth(guest))).status_code == 403
    missing = await client.get("/api/image-instances/999999/annotation-layers", auth=auth(bob))
    assert_status(missing, 404)
