"""Annotation listing: the reviewed and algo listings, track ordering and slice filters."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def listing(client: AsyncTestClient, who: NewAccount, **params: Any) -> dict[str, Any]:
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def reviewed_copy(
    client: AsyncTestClient, reviewer: NewAccount, world: World, annotation: int, **body: Any
) -> int:
    """Validate ``annotation`` through the review routes; the reviewed copy's id."""
    r = await client.post(f"/api/imageinstance/{world.image}/review.json", auth=auth(reviewer))
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/api/annotation/{annotation}/review.json", json=body, auth=auth(reviewer)
    )
    assert r.status_code == 200, r.text
    return int(r.json()["reviewedannotation"]["id"])


async def test_reviewed_rows_name_the_reviewer_and_the_reviewed_annotation(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1))
    copy = await reviewed_copy(client, alice, world, made["id"])
    [item] = (await listing(client, alice, image=world.image, reviewed=True))["collection"]
    assert (item["id"], item["user"], item["reviewUser"], item["parentIdent"]) == (
        copy,
        bob.id,
        alice.id,
        made["id"],
    )
    assert item["reviewed"] is True and "countReviewedAnnotations" not in item
    assert item["cropURL"].endswith(f"/api/reviewedannotation/{copy}/crop.png")


async def test_reviewed_rows_decode_as_the_catalog_listing_item(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    await reviewed_copy(client, alice, world, made["id"])
    found = await listing(
        client, alice, image=world.image, reviewed=True, showDefault=True, showWKT=True
    )
    item = msgspec.convert(found["collection"][0], c.AnnotationListItem, strict=False)
    assert item.class_ == "be.cytomine.domain.ontology.ReviewedAnnotation"
    assert (item.parent_ident, item.review_user) == (made["id"], alice.id)


async def test_reviewed_terms_are_the_copys_own_with_link_id_zero_and_its_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1), term=[world.terms[0]])
    await reviewed_copy(client, alice, world, made["id"], terms=[world.terms[1]])
    [item] = (await listing(client, alice, image=world.image, reviewed=True))["collection"]
    assert world.terms[1] in item["term"]
    assert item["userByTerm"] == [
        {"id": 0, "term": term, "user": [bob.id]} for term in item["term"]
    ]


async def test_reviewed_listing_has_no_track_group(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await reviewed_copy(client, alice, world, made["id"])
    found = await listing(client, alice, image=world.image, reviewed=True, showTrack=True)
    assert "track" not in found["collection"][0]


async def test_include_algo_lists_the_algo_annotations_in_their_own_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": sq(1, 1), "image": world.image, "term": [world.terms[0]]}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    algo = r.json()["algoannotation"]["id"]
    user = (await create(client, alice, world.image, sq(5, 5)))["id"]
    [item] = (await listing(client, alice, image=world.image, includeAlgo=True))["collection"]
    default = await listing(client, alice, image=world.image)
    assert (item["id"], [i["id"] for i in default["collection"]]) == (algo, [user])
    assert item["class"] == "be.cytomine.domain.ontology.AlgoAnnotation"
    assert item["cropURL"].endswith(f"/api/algoannotation/{algo}/crop.png")
    assert (item["term"], item["rate"]) == ([world.terms[0]], None)


class Planes(msgspec.Struct, kw_only=True):
    """One annotation per z plane of a 3-plane image, all in one track."""

    slices: list[int]
    annotations: list[int]
    track: int


@pytest.fixture
async def planes(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> Planes:
    abstract = await db.fetchval(
        "UPDATE abstract_image SET depth = 3 WHERE id ="
        " (SELECT base_image_id FROM image_instance WHERE id = $1) RETURNING id",
        world.image,
    )
    slices = [world.slice]
    for z in (1, 2):
        base = await db.fetchval(
            "INSERT INTO abstract_slice (image_id, z_stack) VALUES ($1, $2) RETURNING id",
            abstract,
            z,
        )
        slices.append(
            await db.fetchval(
                "INSERT INTO slice_instance (project_id, base_slice_id, image_id)"
                " VALUES ($1, $2, $3) RETURNING id",
                world.project,
                base,
                world.image,
            )
        )
    track = await db.fetchval(
        "INSERT INTO track (name, image_id, project_id) VALUES ('t', $1, $2) RETURNING id",
        world.image,
        world.project,
    )
    annotations = []
    for slice_ in slices:
        made = await create(client, alice, world.image, sq(1, 1), slice=slice_)
        annotations.append(made["id"])
        await db.execute(
            "INSERT INTO annotation_track (annotation_id, track_id, slice_id, image_id)"
            " VALUES ($1, $2, $3, $4)",
            made["id"],
            track,
            slice_,
            world.image,
        )
    return Planes(slices=slices, annotations=annotations, track=track)


@pytest.mark.parametrize(
    ("order", "kept"),
    [
        ({"beforeSlice": 1}, [0]),
        ({"afterSlice": 1}, [2]),
        ({"afterSlice": 0}, [1, 2]),
        ({"beforeSlice": 2, "afterSlice": 0}, [0, 1]),  # beforeSlice wins, as in Cytomine
    ],
)
async def test_slice_order_keeps_the_track_annotations_before_or_after_a_plane(
    client: AsyncTestClient,
    alice: NewAccount,
    world: World,
    planes: Planes,
    order: dict[str, int],
    kept: list[int],
) -> None:
    params = {key: planes.slices[index] for key, index in order.items()}
    found = await listing(client, alice, project=world.project, track=planes.track, **params)
    assert {item["id"] for item in found["collection"]} == {planes.annotations[i] for i in kept}


async def test_track_listing_is_ordered_by_plane_then_newest_first(
    client: AsyncTestClient, alice: NewAccount, world: World, planes: Planes
) -> None:
    found = await listing(client, alice, project=world.project, tracks=str(planes.track))
    plain = await listing(client, alice, project=world.project)
    assert [item["id"] for item in found["collection"]] == planes.annotations
    assert [item["id"] for item in plain["collection"]] == planes.annotations[::-1]


async def test_slice_order_is_ignored_without_a_track_filter(
    client: AsyncTestClient, alice: NewAccount, world: World, planes: Planes
) -> None:
    found = await listing(client, alice, project=world.project, beforeSlice=planes.slices[1])
    assert found["size"] == 3


async def test_search_body_takes_the_slice_order_as_an_id_or_a_slice_object(
    client: AsyncTestClient, alice: NewAccount, world: World, planes: Planes
) -> None:
    body = {"project": world.project, "tracks": [planes.track], "afterSlice": planes.slices[1]}
    objects = {**body, "afterSlice": {"id": planes.slices[1], "zStack": 1}}
    for sent in (body, objects):
        r = await client.post("/api/annotation/search.json", json=sent, auth=auth(alice))
        assert r.status_code == 200, r.text
        assert [item["id"] for item in r.json()["collection"]] == [planes.annotations[2]]


async def test_slice_order_on_an_unknown_slice_is_not_found(
    client: AsyncTestClient, alice: NewAccount, world: World, planes: Planes
) -> None:
    params = {"project": world.project, "track": planes.track, "beforeSlice": 999999}
    r = await client.get("/api/annotation.json", params=params, auth=auth(alice))
    assert_status(r, 404)
