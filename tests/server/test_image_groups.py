"""Image groups: images of one project gathered, listed and browsed in name order."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_image, make_world
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _group(client: AsyncTestClient, who: NewAccount, project: int, name: str = "G1") -> Any:
    body = {"name": name, "project": project}
    return await client.post("/api/imagegroup.json", json=body, auth=auth(who))


async def _made(client: AsyncTestClient, who: NewAccount, project: int) -> dict[str, Any]:
    r = await _group(client, who, project)
    assert r.status_code == 200, r.text
    return r.json()["imagegroup"]  # type: ignore[no-any-return]


async def _add(client: AsyncTestClient, who: NewAccount, group: int, image: int) -> Any:
    return await client.post(f"/api/imagegroup/{group}/imageinstance/{image}.json", auth=auth(who))


@pytest.fixture
async def grouped(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> tuple[int, list[int]]:
    """An image group of Alice with three images named c, a, b (in that insertion order)."""
    images = [world.image]
    for _ in range(2):
        images.append((await make_image(db, world.project, alice.id))[0])
    for image, name in zip(images, ["c.tif", "a.tif", "b.tif"], strict=True):
        await db.execute(
            "UPDATE image_instance SET instance_filename = $2 WHERE id = $1", image, name
        )
    group = await _made(client, alice, world.project)
    for image in images:
        assert (await _add(client, alice, group["id"], image)).status_code == 200
    return group["id"], images


async def test_a_created_image_group_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await _group(client, alice, world.project)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["imagegroup"], c.ImageGroup)
    assert (obj.class_, obj.name, obj.project, obj.image_instances, obj.number_of_images) == (
        "be.cytomine.domain.image.group.ImageGroup",
        "G1",
        world.project,
        [],
        0,
    )


async def test_an_array_body_creates_several_image_groups(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = [{"name": n, "project": world.project} for n in ("G1", "G2")]
    r = await client.post("/api/imagegroup.json", json=body, auth=auth(alice))
    assert r.json()["status"] == 200
    listed = await client.get(f"/api/project/{world.project}/imagegroup.json", auth=auth(alice))
    assert sorted(g["name"] for g in listed.json()["collection"]) == ["G1", "G2"]


@pytest.mark.parametrize("body", [{"name": ""}, {"name": None}, {"project": None}])
async def test_an_image_group_needs_a_name_and_a_project(
    client: AsyncTestClient, alice: NewAccount, world: World, body: dict[str, Any]
) -> None:
    full = {"name": "G", "project": world.project, **body}
    r = await client.post("/api/imagegroup.json", json=full, auth=auth(alice))
    assert_status(r, 400)


async def test_a_non_member_can_neither_create_nor_read_image_groups(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    assert (await _group(client, guest, world.project)).status_code == 403
    r = await client.get(f"/api/imagegroup/{group['id']}.json", auth=auth(guest))
    assert_status(r, 403)


async def test_in_a_read_only_project_a_contributor_cannot_create_an_image_group(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    body = {"name": "P1", "isReadOnly": True}
    await client.put(f"/api/project/{world.project}.json", json=body, auth=auth(alice))
    assert (await _group(client, bob, world.project)).status_code == 403


async def test_in_a_restricted_project_a_contributor_cannot_rename_anothers_group(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    body = {"name": "P1", "isRestricted": True}
    await client.put(f"/api/project/{world.project}.json", json=body, auth=auth(alice))
    r = await client.put(f"/api/imagegroup/{group['id']}.json", json={"name": "X"}, auth=auth(bob))
    assert_status(r, 403)


async def test_a_group_shows_its_images_with_thumbs(
    client: AsyncTestClient, alice: NewAccount, grouped: tuple[int, list[int]]
) -> None:
    group, images = grouped
    obj = (await client.get(f"/api/imagegroup/{group}.json", auth=auth(alice))).json()
    assert obj["numberOfImages"] == 3
    assert [i["id"] for i in obj["imageInstances"]] == images
    assert obj["imageInstances"][0]["thumb"].endswith(
        f"/api/imageinstance/{images[0]}/thumb.png?maxSize=512"
    )


async def test_an_update_renames_the_group(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    body = {**group, "name": "renamed"}
    r = await client.put(f"/api/imagegroup/{group['id']}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (r.json()["imagegroup"]["name"], r.json()["imagegroup"]["updated"] is not None) == (
        "renamed",
        True,
    )


async def test_an_image_group_cannot_move_to_another_project(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    other = await make_project(client, alice, "P2")
    body = {"name": "G1", "project": other["id"]}
    r = await client.put(f"/api/imagegroup/{group['id']}.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_a_deleted_group_answers_as_it_was_and_is_gone(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    r = await client.delete(f"/api/imagegroup/{group['id']}.json", auth=auth(alice))
    assert r.json()["imagegroup"]["id"] == group["id"]
    r = await client.get(f"/api/imagegroup/{group['id']}.json", auth=auth(alice))
    assert_status(r, 404)


async def test_an_image_of_another_project_cannot_join_a_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    other = await make_project(client, alice, "P2")
    image, _ = await make_image(db, other["id"], alice.id)
    assert (await _add(client, alice, group["id"], image)).status_code == 400


async def test_an_image_joins_a_group_once(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    r = await _add(client, alice, group["id"], world.image)
    obj = msgspec.convert(r.json()["imagegroupimageinstance"], c.ImageGroupImageInstance)
    assert (obj.group, obj.image, obj.group_name) == (group["id"], world.image, "G1")
    assert (await _add(client, alice, group["id"], world.image)).status_code == 409


async def test_a_removed_image_leaves_the_group(
    client: AsyncTestClient, alice: NewAccount, grouped: tuple[int, list[int]]
) -> None:
    group, images = grouped
    pair = f"/api/imagegroup/{group}/imageinstance/{images[0]}.json"
    assert (await client.delete(pair, auth=auth(alice))).status_code == 200
    assert (await client.delete(pair, auth=auth(alice))).status_code == 404


async def test_the_images_of_a_group_are_listed_as_image_instances(
    client: AsyncTestClient, alice: NewAccount, grouped: tuple[int, list[int]]
) -> None:
    group, images = grouped
    r = await client.get(f"/api/imagegroup/{group}/imageinstance.json", auth=auth(alice))
    items = msgspec.convert(r.json()["collection"], list[c.ImageInstance])
    assert sorted(i.id for i in items) == sorted(images)


async def test_the_groups_of_an_image_are_listed(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: tuple[int, list[int]]
) -> None:
    group, _ = grouped
    url = f"/api/imageinstance/{world.image}/imagegroupimageinstance.json"
    r = await client.get(url, auth=auth(alice))
    assert [(m["group"], m["groupName"]) for m in r.json()["collection"]] == [(group, "G1")]


@pytest.mark.parametrize(
    ("start", "way", "query", "expected"),
    [
        (1, "next", "", 2),  # a -> b
        (0, "next", "", 1),  # c wraps to a
        (1, "previous", "", 0),  # a wraps to c
        (0, "next", "?circular=false", None),
        (2, "previous", "?circular=false", 1),  # b -> a
    ],
)
async def test_next_and_previous_follow_the_names_in_the_group(
    client: AsyncTestClient,
    alice: NewAccount,
    grouped: tuple[int, list[int]],
    start: int,
    way: str,
    query: str,
    expected: int | None,
) -> None:
    group, images = grouped
    url = f"/api/imagegroup/{group}/imageinstance/{images[start]}/{way}.json{query}"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json() == [] if expected is None else r.json()["id"] == images[expected]


async def test_next_of_an_image_outside_the_group_is_not_found(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    group = await _made(client, alice, world.project)
    url = f"/api/imagegroup/{group['id']}/imageinstance/{world.image}/next.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_deleting_an_image_removes_it_from_its_groups(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    grouped: tuple[int, list[int]],
) -> None:
    group, images = grouped
    await db.execute("DELETE FROM image_instance WHERE id = $1", images[0])
    obj = (await client.get(f"/api/imagegroup/{group}.json", auth=auth(alice))).json()
    assert obj["numberOfImages"] == 2


async def test_deleting_the_project_removes_its_image_groups(
    client: AsyncTestClient, db: asyncpg.Connection, grouped: tuple[int, list[int]], world: World
) -> None:
    await db.execute("DELETE FROM project WHERE id = $1", world.project)
    assert await db.fetchval("SELECT count(*) FROM image_group") == 0
