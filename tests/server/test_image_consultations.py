"""Image consultations: openings recorded by the viewer, summaries, counts and last opened."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_image, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _open(client: AsyncTestClient, who: NewAccount, image: int, mode: str = "view") -> Any:
    url = f"/api/imageinstance/{image}/consultation.json"
    return await client.post(url, json={"mode": mode}, auth=auth(who))


async def test_opening_an_image_answers_the_consultation(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    r = await _open(client, bob, world.image, "review")
    assert r.status_code == 200, r.text
    got = msgspec.convert(r.json(), c.PersistentImageConsultation)
    assert (got.user, got.image, got.project, got.mode) == (
        bob.id,
        world.image,
        world.project,
        "review",
    )
    assert got.image_thumb is not None and got.image_thumb.endswith("/thumb.png?maxSize=512")
    assert got.time is None


async def test_opening_an_image_again_closes_the_previous_consultation(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, bob: NewAccount
) -> None:
    await _open(client, bob, world.image)
    await _open(client, bob, world.image)
    closed = await db.fetch(
        "SELECT time, count_created_annotations FROM image_consultation ORDER BY id"
    )
    assert [(r["time"], r["count_created_annotations"]) for r in closed] == [(0, 0), (None, None)]


async def test_reopening_counts_the_viewing_time_and_annotations_of_the_last_opening(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, bob: NewAccount
) -> None:
    await _open(client, bob, world.image)
    view = {"topLeftX": 0, "topLeftY": 10, "topRightX": 10, "topRightY": 10, "zoom": 1}
    for _ in range(2):
        url = f"/api/imageinstance/{world.image}/position.json"
        assert (await client.post(url, json=view, auth=auth(bob))).status_code == 200
    await create(client, bob, world.image, square(5, 5))
    await _open(client, bob, world.image)
    first = await db.fetchrow(
        "SELECT time, count_created_annotations FROM image_consultation ORDER BY id LIMIT 1"
    )
    assert first["time"] > 0
    assert first["count_created_annotations"] == 1


async def test_opening_an_image_outside_ones_projects_is_forbidden_and_not_recorded(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, guest: NewAccount
) -> None:
    assert (await _open(client, guest, world.image)).status_code == 403
    assert await db.fetchval("SELECT count(*) FROM image_consultation") == 0


async def test_opening_a_missing_image_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    assert (await _open(client, alice, 0)).status_code == 404


async def test_a_users_consultations_are_listed_newest_first(
    client: AsyncTestClient, world: World, bob: NewAccount
) -> None:
    for mode in ("view", "review"):
        await _open(client, bob, world.image, mode)
    url = f"/api/project/{world.project}/user/{bob.id}/imageconsultation.json"
    r = await client.get(url, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert [x["mode"] for x in r.json()["collection"]] == ["review", "view"]


async def test_distinct_images_lists_each_image_once(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    other, _ = await make_image(db, world.project, alice.id)
    for image in (world.image, other, world.image):
        await _open(client, alice, image)
    url = f"/api/project/{world.project}/user/{alice.id}/imageconsultation.json"
    r = await client.get(url, params={"distinctImages": "true"}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert [x["image"] for x in r.json()["collection"]] == [world.image, other]


async def test_a_contributor_cannot_list_someone_elses_consultations(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    url = f"/api/project/{world.project}/user/{alice.id}/imageconsultation.json"
    assert (await client.get(url, auth=auth(bob))).status_code == 403


async def test_a_manager_lists_a_members_consultations(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _open(client, bob, world.image)
    url = f"/api/project/{world.project}/user/{bob.id}/imageconsultation.json"
    r = await client.get(url, auth=auth(alice))
    assert (r.status_code, r.json()["size"]) == (200, 1)


async def test_the_resume_sums_consultations_per_image(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    for _ in range(3):
        await _open(client, bob, world.image)
    params = {"user": bob.id, "project": world.project}
    r = await client.get("/api/imageconsultation/resume.json", params=params, auth=auth(alice))
    assert r.status_code == 200, r.text
    [row] = r.json()["collection"]
    assert (row["image"], row["frequency"], row["user"], row["time"]) == (
        world.image,
        3,
        bob.id,
        0,
    )
    assert int(row["first"]) <= int(row["last"])


async def test_the_resume_needs_a_user_and_a_project(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    r = await client.get(
        "/api/imageconsultation/resume.json", params={"user": alice.id}, auth=auth(alice)
    )
    assert_status(r, 400)
    assert "project" in r.json()["errors"]["message"]


async def test_last_images_gives_each_members_latest_opening(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    world: World,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    other, _ = await make_image(db, world.project, alice.id)
    await _open(client, alice, world.image)
    await _open(client, bob, world.image)
    await _open(client, alice, other)
    r = await client.get(f"/api/project/{world.project}/lastImages.json", auth=auth(bob))
    assert r.status_code == 200, r.text
    got = {x["user"]: x["image"] for x in r.json()["collection"]}
    assert got == {alice.id: other, bob.id: world.image}


async def test_the_count_of_a_project_honours_the_dates(
    client: AsyncTestClient, world: World, alice: NewAccount, bob: NewAccount
) -> None:
    await _open(client, bob, world.image)
    url = f"/api/project/{world.project}/imageconsultation/count.json"
    everything = (await client.get(url, auth=auth(alice))).json()
    future = (await client.get(url, params={"startDate": 32503680000000}, auth=auth(alice))).json()
    assert (everything, future) == ({"total": 1}, {"total": 0})


async def test_the_count_of_a_project_one_cannot_read_is_forbidden(
    client: AsyncTestClient, world: World, guest: NewAccount
) -> None:
    url = f"/api/project/{world.project}/imageconsultation/count.json"
    assert (await client.get(url, auth=auth(guest))).status_code == 403


async def test_last_opened_lists_the_callers_openings_newest_first(
    client: AsyncTestClient, db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    other, _ = await make_image(db, world.project, alice.id)
    for image in (other, world.image):
        await _open(client, alice, image)
    r = await client.get("/api/imageinstance/method/lastopened.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["collection"]] == [world.image, other]


async def test_last_opened_is_empty_before_any_opening(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    r = await client.get("/api/imageinstance/method/lastopened.json", auth=auth(alice))
    assert (r.status_code, r.json()["collection"]) == (200, [])
