"""Annotation groups of an image group, and the annotations linked into them."""

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
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Grouped(msgspec.Struct, kw_only=True):
    """An image group of two images with one annotation group and an annotation on each image."""

    image_group: int
    group: int
    images: list[int]
    annotations: list[int]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _image_group(client: AsyncTestClient, who: NewAccount, project: int) -> int:
    body = {"name": "IG", "project": project}
    r = await client.post("/api/imagegroup.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["imagegroup"]["id"])


async def _group(client: AsyncTestClient, who: NewAccount, project: int, image_group: int) -> Any:
    body = {"project": project, "imageGroup": image_group, "type": "SAME_OBJECT"}
    return await client.post("/api/annotationgroup.json", json=body, auth=auth(who))


async def _made(client: AsyncTestClient, who: NewAccount, project: int, image_group: int) -> int:
    r = await _group(client, who, project, image_group)
    assert r.status_code == 200, r.text
    return int(r.json()["annotationgroup"]["id"])


async def _link(client: AsyncTestClient, who: NewAccount, annotation: int, group: int) -> Any:
    body = {"annotationIdent": annotation, "group": group}
    return await client.post("/api/annotationlink.json", json=body, auth=auth(who))


@pytest.fixture
async def grouped(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> Grouped:
    images = [world.image, (await make_image(db, world.project, alice.id))[0]]
    image_group = await _image_group(client, alice, world.project)
    for image in images:
        url = f"/api/imagegroup/{image_group}/imageinstance/{image}.json"
        assert (await client.post(url, auth=auth(alice))).status_code == 200
    group = await _made(client, alice, world.project, image_group)
    annotations = [(await create(client, alice, i, square(10, 10)))["id"] for i in images]
    return Grouped(image_group=image_group, group=group, images=images, annotations=annotations)


async def test_a_created_annotation_group_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    image_group = await _image_group(client, alice, world.project)
    r = await _group(client, alice, world.project, image_group)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["annotationgroup"], c.AnnotationGroup)
    assert (obj.class_, obj.project, obj.image_group, obj.type) == (
        "be.cytomine.domain.ontology.AnnotationGroup",
        world.project,
        image_group,
        "SAME_OBJECT",
    )


async def test_the_type_defaults_to_same_object(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    image_group = await _image_group(client, alice, world.project)
    body = {"project": world.project, "imageGroup": image_group}
    r = await client.post("/api/annotationgroup.json", json=body, auth=auth(alice))
    assert r.json()["annotationgroup"]["type"] == "SAME_OBJECT"


@pytest.mark.parametrize("missing", ["project", "imageGroup"])
async def test_an_annotation_group_needs_a_project_and_an_image_group(
    client: AsyncTestClient, alice: NewAccount, world: World, missing: str
) -> None:
    body = {
        "project": world.project,
        "imageGroup": await _image_group(client, alice, world.project),
    }
    body[missing] = None  # type: ignore[assignment]
    r = await client.post("/api/annotationgroup.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_the_image_group_must_be_of_the_same_project(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    other = await make_project(client, alice, "P2")
    image_group = await _image_group(client, alice, other["id"])
    assert (await _group(client, alice, world.project, image_group)).status_code == 400


async def test_in_a_read_only_project_a_contributor_cannot_create_an_annotation_group(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    image_group = await _image_group(client, alice, world.project)
    body = {"name": "P1", "isReadOnly": True}
    await client.put(f"/api/project/{world.project}.json", json=body, auth=auth(alice))
    assert (await _group(client, bob, world.project, image_group)).status_code == 403


async def test_a_non_member_cannot_read_an_annotation_group(
    client: AsyncTestClient, guest: NewAccount, grouped: Grouped
) -> None:
    r = await client.get(f"/api/annotationgroup/{grouped.group}.json", auth=auth(guest))
    assert_status(r, 403)


@pytest.mark.parametrize("resource", ["imagegroup", "project"])
async def test_annotation_groups_are_listed_per_image_group_and_per_project(
    client: AsyncTestClient, bob: NewAccount, world: World, grouped: Grouped, resource: str
) -> None:
    ident = grouped.image_group if resource == "imagegroup" else world.project
    r = await client.get(f"/api/{resource}/{ident}/annotationgroup.json", auth=auth(bob))
    assert [g["id"] for g in r.json()["collection"]] == [grouped.group]


async def test_an_update_changes_the_type(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    url = f"/api/annotationgroup/{grouped.group}.json"
    r = await client.put(url, json={"type": "OTHER"}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (await client.get(url, auth=auth(alice))).json()["type"] == "OTHER"


async def test_a_created_link_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    r = await _link(client, alice, grouped.annotations[1], grouped.group)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["annotationlink"], c.AnnotationLink)
    assert (obj.class_, obj.annotation_class_name, obj.annotation_ident, obj.group, obj.image) == (
        "be.cytomine.domain.ontology.AnnotationLink",
        "be.cytomine.domain.ontology.UserAnnotation",
        grouped.annotations[1],
        grouped.group,
        grouped.images[1],
    )


async def test_an_annotation_is_in_one_group_at_most(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: Grouped
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    second = await _made(client, alice, world.project, grouped.image_group)
    assert (await _link(client, alice, grouped.annotations[0], second)).status_code == 409


async def test_an_annotation_cannot_join_a_group_of_another_project(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    other = await make_project(client, alice, "P2")
    group = await _made(client, alice, other["id"], await _image_group(client, alice, other["id"]))
    assert (await _link(client, alice, grouped.annotations[0], group)).status_code == 400


async def test_a_link_needs_an_annotation_and_a_group(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    body = {"group": grouped.group}
    r = await client.post("/api/annotationlink.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_in_a_restricted_project_a_contributor_cannot_link_anothers_annotation(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World, grouped: Grouped
) -> None:
    body = {"name": "P1", "isRestricted": True}
    await client.put(f"/api/project/{world.project}.json", json=body, auth=auth(alice))
    assert (await _link(client, bob, grouped.annotations[0], grouped.group)).status_code == 403


async def test_the_links_of_an_annotation_are_the_links_of_its_group(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    for annotation in grouped.annotations:
        await _link(client, alice, annotation, grouped.group)
    url = f"/api/annotation/{grouped.annotations[0]}/annotationlink.json"
    r = await client.get(url, auth=auth(alice))
    assert sorted(link["annotationIdent"] for link in r.json()["collection"]) == sorted(
        grouped.annotations
    )


async def test_an_annotation_in_no_group_has_no_links(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    url = f"/api/annotation/{grouped.annotations[0]}/annotationlink.json"
    r = await client.get(url, auth=auth(alice))
    assert (r.status_code, r.json()["collection"]) == (200, [])


async def test_the_links_of_a_group_are_listed(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    created = (await _link(client, alice, grouped.annotations[0], grouped.group)).json()
    url = f"/api/annotationgroup/{grouped.group}/annotationlink.json"
    r = await client.get(url, auth=auth(alice))
    assert [link["id"] for link in r.json()["collection"]] == [created["annotationlink"]["id"]]


async def test_unlinking_answers_the_link_and_removes_it(
    client: AsyncTestClient, alice: NewAccount, grouped: Grouped
) -> None:
    created = (await _link(client, alice, grouped.annotations[0], grouped.group)).json()
    url = f"/api/annotationgroup/{grouped.group}/annotation/{grouped.annotations[0]}.json"
    r = await client.delete(url, auth=auth(alice))
    assert r.json()["annotationlink"]["id"] == created["annotationlink"]["id"]
    assert (await client.delete(url, auth=auth(alice))).status_code == 404


async def test_unlinking_from_another_group_is_not_found(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: Grouped
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    second = await _made(client, alice, world.project, grouped.image_group)
    url = f"/api/annotationgroup/{second}/annotation/{grouped.annotations[0]}.json"
    assert (await client.delete(url, auth=auth(alice))).status_code == 404


async def test_merging_moves_the_links_and_deletes_the_merged_group(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: Grouped
) -> None:
    second = await _made(client, alice, world.project, grouped.image_group)
    await _link(client, alice, grouped.annotations[0], grouped.group)
    await _link(client, alice, grouped.annotations[1], second)
    url = f"/api/annotationgroup/{grouped.group}/annotationgroup/{second}/merge.json"
    assert (await client.post(url, auth=auth(alice))).status_code == 200
    links = await client.get(
        f"/api/annotationgroup/{grouped.group}/annotationlink.json", auth=auth(alice)
    )
    assert len(links.json()["collection"]) == 2
    gone = await client.get(f"/api/annotationgroup/{second}.json", auth=auth(alice))
    assert_status(gone, 404)


async def test_groups_of_different_types_cannot_merge(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: Grouped
) -> None:
    body = {"project": world.project, "imageGroup": grouped.image_group, "type": "OTHER"}
    r = await client.post("/api/annotationgroup.json", json=body, auth=auth(alice))
    second = r.json()["annotationgroup"]["id"]
    url = f"/api/annotationgroup/{grouped.group}/annotationgroup/{second}/merge.json"
    assert (await client.post(url, auth=auth(alice))).status_code == 400


async def test_deleting_a_group_removes_its_links(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grouped: Grouped
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    r = await client.delete(f"/api/annotationgroup/{grouped.group}.json", auth=auth(alice))
    assert r.json()["annotationgroup"]["id"] == grouped.group
    assert await db.fetchval("SELECT count(*) FROM annotation_link") == 0


async def test_deleting_an_image_group_removes_its_annotation_groups(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grouped: Grouped
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    await client.delete(f"/api/imagegroup/{grouped.image_group}.json", auth=auth(alice))
    counts = await db.fetchrow(
        "SELECT (SELECT count(*) FROM annotation_group) AS g,"
        " (SELECT count(*) FROM annotation_link) AS l"
    )
    assert (counts["g"], counts["l"]) == (0, 0)


async def test_deleting_an_annotation_removes_its_link(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grouped: Grouped
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    r = await client.delete(f"/api/annotation/{grouped.annotations[0]}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert await db.fetchval("SELECT count(*) FROM annotation_link") == 0


async def test_deleting_an_image_removes_the_links_on_it(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, grouped: Grouped
) -> None:
    for annotation in grouped.annotations:
        await _link(client, alice, annotation, grouped.group)
    await db.execute("DELETE FROM image_instance WHERE id = $1", grouped.images[1])
    found = await db.fetch("SELECT annotation_id FROM annotation_link")
    assert [r["annotation_id"] for r in found] == [grouped.annotations[0]]


async def test_deleting_the_project_removes_its_annotation_groups(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    grouped: Grouped,
    world: World,
) -> None:
    await _link(client, alice, grouped.annotations[0], grouped.group)
    await db.execute("DELETE FROM project WHERE id = $1", world.project)
    assert await db.fetchval("SELECT count(*) FROM annotation_group") == 0


async def test_the_listing_shows_an_annotations_image_group_and_links_when_asked(
    client: AsyncTestClient, alice: NewAccount, world: World, grouped: Grouped
) -> None:
    for annotation in grouped.annotations:
        assert (await _link(client, alice, annotation, grouped.group)).status_code == 200
    params = {"image": world.image, "showLink": "true", "showImageGroup": "true"}
    r = await client.get("/api/annotation.json", params=params, auth=auth(alice))
    [item] = r.json()["collection"]
    assert (item["imageGroup"], item["group"]) == (grouped.image_group, grouped.group)
    assert sorted(link["annotation"] for link in item["annotationLink"]) == grouped.annotations
    assert {link["image"] for link in item["annotationLink"]} == set(grouped.images)
