"""Ids given to the annotation listing are checked like reading the objects they name.

``bboxAnnotation`` and ``baseAnnotation`` use another annotation's geometry: without the check
a stranger could measure any annotation by bisection and tell existing ids from missing ones.
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

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

MISSING = 987654321


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def carol(db: asyncpg.Connection) -> NewAccount:
    """A user who belongs to no project."""
    return await create_account(db, username="carol", password="carol-password", rank=2)


async def status(client: AsyncTestClient, who: NewAccount, **params: Any) -> int:
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    if r.status_code >= 400:
        assert "message" in r.json() or "errors" in r.json(), r.text
    return r.status_code


async def test_outsider_cannot_use_an_annotation_geometry(
    client: AsyncTestClient, alice: NewAccount, carol: NewAccount, world: World
) -> None:
    target = await create(client, alice, world.image, sq(10, 10))
    assert await status(client, carol, bboxAnnotation=target["id"]) == 403
    near = {"baseAnnotation": target["id"], "maxDistanceBaseAnnotation": 5}
    assert await status(client, carol, **near) == 403
    # The search body goes through the same check.
    r = await client.post(
        "/api/annotation/search.json", json={"bboxAnnotation": target["id"]}, auth=auth(carol)
    )
    assert_status(r, 403)


async def test_missing_reference_is_404_for_everyone(
    client: AsyncTestClient, admin: NewAccount, carol: NewAccount, bob: NewAccount, world: World
) -> None:
    for who in (carol, bob, admin):
        assert await status(client, who, bboxAnnotation=MISSING) == 404
        assert await status(client, who, baseAnnotation=MISSING, maxDistanceBaseAnnotation=1) == 404


async def test_member_and_admin_may_use_the_geometry(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, admin: NewAccount, world: World
) -> None:
    target = await create(client, alice, world.image, sq(10, 10))
    await create(client, bob, world.image, sq(15, 15))
    for who in (alice, bob, admin):
        r = await client.get(
            "/api/annotation.json",
            params={"bboxAnnotation": target["id"], "image": world.image},
            auth=auth(who),
        )
        assert r.status_code == 200, r.text
        assert r.json()["size"] == 2


async def test_hidden_layer_geometry_is_refused_to_a_contributor(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    hidden = await create(client, alice, world.image, sq(10, 10))
    await db.execute("UPDATE project SET hide_admins_layers = true WHERE id = $1", world.project)
    assert await status(client, bob, bboxAnnotation=hidden["id"]) == 403
    assert await status(client, alice, bboxAnnotation=hidden["id"]) == 200


@pytest.mark.parametrize("name", ["image", "images", "slice", "term", "track", "project"])
async def test_outsider_cannot_filter_on_objects_of_a_foreign_project(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    carol: NewAccount,
    world: World,
    name: str,
) -> None:
    track = await db.fetchval(
        "INSERT INTO track (name, color, image_id, project_id) VALUES ('t', '#000', $1, $2)"
        " RETURNING id",
        world.image,
        world.project,
    )
    ids = {
        "image": world.image,
        "images": world.image,
        "slice": world.slice,
        "term": world.terms[0],
        "track": track,
        "project": world.project,
    }
    assert await status(client, carol, **{name: ids[name]}) == 403
    assert await status(client, alice, **{name: ids[name]}) == 200
    assert await status(client, carol, **{name: MISSING}) == 404


@pytest.mark.parametrize("name", ["user", "users", "reviewUsers", "usersForTerm", "tag"])
async def test_missing_users_and_tags_are_404(
    client: AsyncTestClient, bob: NewAccount, alice: NewAccount, world: World, name: str
) -> None:
    assert await status(client, bob, project=world.project, **{name: MISSING}) == 404
    if name != "tag":
        assert await status(client, bob, project=world.project, **{name: alice.id}) == 200
