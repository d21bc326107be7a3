"""Creating an annotation straight into tracks and an annotation group (the viewer's draw)."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_image, make_world, square
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _track(client: AsyncTestClient, who: NewAccount, image: int, name: str = "cell") -> int:
    body = {"name": name, "image": image, "color": "#00FF00"}
    r = await client.post("/api/track.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["track"]["id"])


async def _draw(
    client: AsyncTestClient, who: NewAccount, world: World, x: float = 10, **fields: Any
) -> Any:
    """The viewer's draw request: image, slice, user, location, term and track lists."""
    body = {
        "image": world.image,
        "slice": world.slice,
        "user": who.id,
        "location": square(x, 10),
        "term": [],
        "track": [],
        **fields,
    }
    return await client.post("/api/annotation.json", json=body, auth=auth(who))


class Theirs(msgspec.Struct, kw_only=True):
    """Bob's own project (Alice is no member) with an image, a track and an annotation group."""

    project: int
    track: int
    group: int


@pytest.fixture
async def theirs(client: AsyncTestClient, bob: NewAccount, db: asyncpg.Connection) -> Theirs:
    project = int((await make_project(client, bob, name="Bob's"))["id"])
    image, _ = await make_image(db, project, bob.id)
    track = await _track(client, bob, image)
    return Theirs(project=project, track=track, group=await _annotation_group(client, bob, project))


async def _count(db: asyncpg.Connection, table: str) -> int:
    sql = {
        "annotation": "SELECT count(*) FROM annotation",
        "annotation_track": "SELECT count(*) FROM annotation_track",
        "annotation_link": "SELECT count(*) FROM annotation_link",
    }[table]
    return int(await db.fetchval(sql))


async def test_a_draw_with_a_track_links_it_and_answers_the_links(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    track = await _track(client, alice, world.image)
    r = await _draw(client, alice, world, track=[track])
    assert r.status_code == 200, r.text
    body = r.json()
    made = body["annotation"]
    assert made["track"] == [track]
    links = [msgspec.convert(x, c.AnnotationTrack) for x in made["annotationTrack"]]
    assert [(x.track, x.slice, x.annotation_ident) for x in links] == [
        (track, world.slice, made["id"])
    ]
    assert isinstance(body["command"], int)
    r = await client.get(f"/api/annotation/{made['id']}/annotationtrack.json", auth=auth(alice))
    assert [x["track"] for x in r.json()["collection"]] == [track]
    listed = await client.get(
        f"/api/annotation.json?image={world.image}&showTrack=true", auth=auth(alice)
    )
    (row,) = listed.json()["collection"]
    assert (row["track"], [x["id"] for x in row["annotationTrack"]]) == (
        made["track"],
        [x["id"] for x in made["annotationTrack"]],
    )


async def test_tracks_given_as_tracks_are_linked_too(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    first = await _track(client, alice, world.image, "a")
    second = await _track(client, alice, world.image, "b")
    r = await _draw(client, alice, world, track=[first], tracks=[second, first])
    assert r.status_code == 200, r.text
    assert r.json()["annotation"]["track"] == [first, second]


async def test_a_draw_without_track_answers_no_links(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    r = await _draw(client, alice, world)
    assert r.status_code == 200, r.text
    assert "annotationTrack" not in r.json()["annotation"]
    assert await _count(db, "annotation_track") == 0


async def test_a_track_keeps_one_annotation_per_slice(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    track = await _track(client, alice, world.image)
    assert (await _draw(client, alice, world, track=[track])).status_code == 200
    r = await _draw(client, alice, world, x=200, track=[track])
    assert_status(r, 409)
    assert r.json()["errors"]["message"] == (
        f"AnnotationTrack already exists for slice {world.slice} and track cell"
    )
    # Nothing of the refused draw is left.
    assert (await _count(db, "annotation"), await _count(db, "annotation_track")) == (1, 1)


async def test_a_track_of_another_image_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    other_image, _ = await make_image(db, world.project, alice.id)
    track = await _track(client, alice, other_image)
    r = await _draw(client, alice, world, track=[track])
    assert_status(r, 400)
    assert f"Track {track} is not a track of image {world.image}" in r.json()["errors"]["message"]
    assert await _count(db, "annotation") == 0


async def test_a_track_of_another_project_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, theirs: Theirs, db: asyncpg.Connection
) -> None:
    r = await _draw(client, alice, world, track=[theirs.track])
    assert_status(r, 400)
    assert await _count(db, "annotation") == 0


async def test_an_unknown_track_is_not_found_and_nothing_is_written(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    r = await _draw(client, alice, world, track=[987654321])
    assert_status(r, 404)
    assert await _count(db, "annotation") == 0


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("bob", 200), ("admin", 200), ("guest", 403)]
)
async def test_who_may_draw_into_a_track(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    guest: NewAccount,
    world: World,
    db: asyncpg.Connection,
    who: str,
    status: int,
) -> None:
    """Manager, contributor and admin draw into the manager's track; an outsider may not."""
    track = await _track(client, alice, world.image)
    account = {"alice": alice, "bob": bob, "admin": admin, "guest": guest}[who]
    r = await _draw(client, account, world, track=[track])
    assert r.status_code == status, r.text
    assert await _count(db, "annotation_track") == (1 if status == 200 else 0)


async def _annotation_group(client: AsyncTestClient, who: NewAccount, project: int) -> int:
    r = await client.post(
        "/api/imagegroup.json", json={"name": "IG", "project": project}, auth=auth(who)
    )
    assert r.status_code == 200, r.text
    body = {"project": project, "imageGroup": r.json()["imagegroup"]["id"], "type": "SAME_OBJECT"}
    r = await client.post("/api/annotationgroup.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["annotationgroup"]["id"])


async def test_a_draw_with_a_group_links_it(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    group = await _annotation_group(client, alice, world.project)
    r = await _draw(client, alice, world, group=group)
    assert r.status_code == 200, r.text
    made = r.json()["annotation"]
    link = msgspec.convert(made["annotationLinks"], c.AnnotationLink)
    assert (made["group"], link.group, link.annotation_ident, link.image) == (
        group,
        group,
        made["id"],
        world.image,
    )
    r = await client.get(f"/api/annotation/{made['id']}/annotationlink.json", auth=auth(alice))
    assert [x["annotationIdent"] for x in r.json()["collection"]] == [made["id"]]


async def test_a_group_of_another_project_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    other = await make_project(client, alice, name="Other")
    group = await _annotation_group(client, alice, other["id"])
    r = await _draw(client, alice, world, group=group)
    assert_status(r, 400)
    assert (await _count(db, "annotation"), await _count(db, "annotation_link")) == (0, 0)


async def test_a_group_the_caller_cannot_read_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, theirs: Theirs, db: asyncpg.Connection
) -> None:
    r = await _draw(client, alice, world, group=theirs.group)
    assert_status(r, 403)
    assert await _count(db, "annotation") == 0


async def _array(client: AsyncTestClient, who: NewAccount, items: list[dict[str, Any]]) -> Any:
    r = await client.post("/api/annotation.json", json=items, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()


async def test_an_array_links_each_item_to_its_tracks_and_group(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    first = await _track(client, alice, world.image, "a")
    second = await _track(client, alice, world.image, "b")
    group = await _annotation_group(client, alice, world.project)
    items = [
        {"image": world.image, "location": square(10, 10), "track": [first], "group": group},
        {"image": world.image, "location": square(50, 10), "tracks": [second]},
    ]
    body = await _array(client, alice, items)
    assert body["status"] == 200, body
    ids = body["data"]["ids"]
    links = await db.fetch("SELECT annotation_id, track_id FROM annotation_track ORDER BY track_id")
    assert [(r["annotation_id"], r["track_id"]) for r in links] == [
        (ids[0], first),
        (ids[1], second),
    ]
    grouped = await db.fetch("SELECT annotation_id, group_id FROM annotation_link")
    assert [(r["annotation_id"], r["group_id"]) for r in grouped] == [(ids[0], group)]


async def test_an_array_is_refused_whole_for_a_link_that_cannot_be_made(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection, theirs: Theirs
) -> None:
    track = await _track(client, alice, world.image)
    items = [
        {"image": world.image, "location": square(10, 10), "track": [track]},
        {"image": world.image, "location": square(50, 10), "track": [track]},
        {"image": world.image, "location": square(90, 10), "track": [theirs.track]},
        {"image": world.image, "location": square(130, 10), "group": theirs.group},
    ]
    body = await _array(client, alice, items)
    assert body["status"] == 400
    errors = {e["index"]: e["message"] for e in body["data"]["errors"]}
    assert errors == {
        1: f"AnnotationTrack already exists for slice {world.slice} and track cell",
        2: f"Track {theirs.track} is not a track of image {world.image}",
        3: "Group and annotation are not in the same project!",
    }
    assert (await _count(db, "annotation"), await _count(db, "annotation_track")) == (0, 0)


async def test_an_array_item_on_a_slice_its_track_already_holds_is_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    track = await _track(client, alice, world.image)
    assert (await _draw(client, alice, world, track=[track])).status_code == 200
    items = [{"image": world.image, "location": square(300, 10), "track": [track]}]
    body = await _array(client, alice, items)
    assert body["status"] == 400
    assert await _count(db, "annotation") == 1


async def test_a_large_array_copied_in_batches_is_linked_too(
    client: AsyncTestClient, alice: NewAccount, world: World, db: asyncpg.Connection
) -> None:
    """Past the short-array path, rows are loaded by COPY: the links follow them."""
    track = await _track(client, alice, world.image)
    group = await _annotation_group(client, alice, world.project)
    items = [
        {"image": world.image, "location": square(10 * (i % 50), 10 * (i // 50)), "group": group}
        for i in range(80)
    ]
    items[0]["track"] = [track]
    body = await _array(client, alice, items)
    assert body["status"] == 200, body
    assert (await _count(db, "annotation_link"), await _count(db, "annotation_track")) == (80, 1)
    first = await db.fetchval("SELECT annotation_id FROM annotation_track")
    assert first == body["data"]["ids"][0]
