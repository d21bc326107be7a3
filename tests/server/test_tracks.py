"""Tracks on image instances and the annotations placed in them."""

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


async def _track(
    client: AsyncTestClient, who: NewAccount, image: int, name: str = "cell 1", **more: Any
) -> Any:
    body = {"name": name, "image": image, "color": "#00FF00", **more}
    return await client.post("/api/track.json", json=body, auth=auth(who))


async def _annotated_track(
    client: AsyncTestClient, who: NewAccount, world: World
) -> tuple[dict[str, Any], dict[str, Any]]:
    track = (await _track(client, who, world.image)).json()["track"]
    annotation = await create(client, who, world.image, square(10, 10))
    return track, annotation


async def test_a_created_track_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await _track(client, alice, world.image)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["track"], c.Track)
    assert (obj.class_, obj.name, obj.color, obj.image, obj.project) == (
        "be.cytomine.domain.ontology.Track",
        "cell 1",
        "#00FF00",
        world.image,
        world.project,
    )


@pytest.mark.parametrize("resource", ["imageinstance", "project"])
async def test_tracks_are_listed_per_image_and_per_project(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World, resource: str
) -> None:
    created = (await _track(client, alice, world.image)).json()["track"]
    ident = world.image if resource == "imageinstance" else world.project
    r = await client.get(f"/api/{resource}/{ident}/track.json", auth=auth(bob))
    assert [t["id"] for t in r.json()["collection"]] == [created["id"]]


async def test_a_track_name_is_unique_in_its_image(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    await _track(client, alice, world.image)
    assert (await _track(client, alice, world.image)).status_code == 409


@pytest.mark.parametrize("body", [{"image": None}, {"name": ""}])
async def test_a_track_needs_a_name_and_an_image(
    client: AsyncTestClient, alice: NewAccount, world: World, body: dict[str, Any]
) -> None:
    full = {"name": "t", "image": world.image, **body}
    r = await client.post("/api/track.json", json=full, auth=auth(alice))
    assert_status(r, 400)


async def test_a_track_on_a_missing_image_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    assert (await _track(client, alice, 999999)).status_code == 404


async def test_a_non_member_can_neither_read_nor_create_tracks(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    created = (await _track(client, alice, world.image)).json()["track"]
    r = await client.get(f"/api/track/{created['id']}.json", auth=auth(guest))
    assert_status(r, 403)
    assert (await _track(client, guest, world.image, "other")).status_code == 403


async def test_update_renames_and_recolours_a_track(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    created = (await _track(client, alice, world.image)).json()["track"]
    body = {**created, "name": "cell 2", "color": "#0000FF"}
    r = await client.put(f"/api/track/{created['id']}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (r.json()["track"]["name"], r.json()["track"]["color"]) == ("cell 2", "#0000FF")


async def test_a_track_cannot_move_to_another_image(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, world: World
) -> None:
    created = (await _track(client, alice, world.image)).json()["track"]
    other, _ = await make_image(db, world.project, alice.id)
    body = {**created, "image": other}
    r = await client.put(f"/api/track/{created['id']}.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_deleting_a_track_removes_its_annotation_links(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    await client.post(
        f"/api/annotationtrack/{annotation['id']}/{track['id']}.json", auth=auth(alice)
    )
    r = await client.delete(f"/api/track/{track['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["track"]["id"] == track["id"]
    links = await client.get(
        f"/api/annotation/{annotation['id']}/annotationtrack.json", auth=auth(alice)
    )
    assert links.json()["size"] == 0


async def test_an_annotation_put_in_a_track_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    body = {"annotationIdent": annotation["id"], "track": track["id"]}
    r = await client.post("/api/annotationtrack.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["annotationtrack"], c.AnnotationTrack)
    assert (obj.annotation_ident, obj.track, obj.slice) == (
        annotation["id"],
        track["id"],
        world.slice,
    )
    assert obj.annotation_class_name == "be.cytomine.domain.ontology.UserAnnotation"


async def test_links_are_listed_per_annotation_and_per_track_and_read_by_pair(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    pair = f"/api/annotationtrack/{annotation['id']}/{track['id']}.json"
    created = (await client.post(pair, auth=auth(alice))).json()["annotationtrack"]
    for url in (
        f"/api/annotation/{annotation['id']}/annotationtrack.json",
        f"/api/track/{track['id']}/annotationtrack.json",
    ):
        r = await client.get(url, auth=auth(bob))
        assert [x["id"] for x in r.json()["collection"]] == [created["id"]]
    assert (await client.get(pair, auth=auth(bob))).json()["id"] == created["id"]


async def test_an_annotation_link_copies_the_image_for_per_image_filters(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    await client.post(
        f"/api/annotationtrack/{annotation['id']}/{track['id']}.json", auth=auth(alice)
    )
    image = await db.fetchval(
        "SELECT image_id FROM annotation_track WHERE annotation_id = $1", annotation["id"]
    )
    assert image == world.image


async def test_a_track_holds_one_annotation_per_slice(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    track, first = await _annotated_track(client, alice, world)
    second = await create(client, alice, world.image, square(50, 50))
    await client.post(f"/api/annotationtrack/{first['id']}/{track['id']}.json", auth=auth(alice))
    r = await client.post(
        f"/api/annotationtrack/{second['id']}/{track['id']}.json", auth=auth(alice)
    )
    assert_status(r, 409)


async def test_a_track_of_another_image_is_refused(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, world: World
) -> None:
    other, _ = await make_image(db, world.project, alice.id)
    track = (await _track(client, alice, other)).json()["track"]
    annotation = await create(client, alice, world.image, square(10, 10))
    r = await client.post(
        f"/api/annotationtrack/{annotation['id']}/{track['id']}.json", auth=auth(alice)
    )
    assert_status(r, 400)


@pytest.mark.parametrize(("annotation", "track"), [(999999, None), (None, 999999)])
async def test_missing_annotation_or_track_is_not_found(
    client: AsyncTestClient,
    alice: NewAccount,
    world: World,
    annotation: int | None,
    track: int | None,
) -> None:
    real_track, real_annotation = await _annotated_track(client, alice, world)
    pair = (annotation or real_annotation["id"], track or real_track["id"])
    url = f"/api/annotationtrack/{pair[0]}/{pair[1]}.json"
    assert (await client.post(url, auth=auth(alice))).status_code == 404


async def test_the_body_create_needs_annotation_and_track(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.post("/api/annotationtrack.json", json={"track": 1}, auth=auth(alice))
    assert_status(r, 400)


async def test_in_a_restricted_project_a_contributor_cannot_link_anothers_annotation(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    body = {"name": "P1", "isRestricted": True}
    await client.put(f"/api/project/{world.project}.json", json=body, auth=auth(alice))
    r = await client.post(
        f"/api/annotationtrack/{annotation['id']}/{track['id']}.json", auth=auth(bob)
    )
    assert_status(r, 403)


async def test_unlinking_answers_the_link_and_removes_it(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    track, annotation = await _annotated_track(client, alice, world)
    pair = f"/api/annotationtrack/{annotation['id']}/{track['id']}.json"
    created = (await client.post(pair, auth=auth(alice))).json()["annotationtrack"]
    r = await client.delete(pair, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["annotationtrack"]["id"] == created["id"]
    assert (await client.get(pair, auth=auth(alice))).status_code == 404
