"""Reviewing: image review mode, validating and rejecting annotations, the reviewed layer."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount, create_account
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


async def start_review(client: AsyncTestClient, who: NewAccount, image: int) -> dict[str, Any]:
    """Start review mode on an image (asserts 200); the answer."""
    r = await client.post(f"/api/imageinstance/{image}/review.json", auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def review(
    client: AsyncTestClient, who: NewAccount, annotation: int, **body: Any
) -> dict[str, Any]:
    """Validate an annotation (asserts 200); the reviewed annotation."""
    r = await client.post(f"/api/annotation/{annotation}/review.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()["reviewedannotation"]  # type: ignore[no-any-return]


async def test_starting_review_puts_the_image_in_review_by_the_caller(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    got = await start_review(client, alice, world.image)
    image = got["imageinstance"]
    assert (image["reviewUser"], image["inReview"], image["reviewed"]) == (alice.id, True, False)
    assert got["message"].startswith("alice start reviewing")


async def test_review_copies_geometry_and_terms(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1), term=world.terms)
    await start_review(client, alice, world.image)
    got = await review(client, alice, made["id"])
    obj = msgspec.convert(got, c.ReviewedAnnotation)
    assert obj.class_ == "be.cytomine.domain.ontology.ReviewedAnnotation"
    assert (obj.parent_ident, obj.user, obj.review_user, obj.status) == (
        made["id"],
        bob.id,
        alice.id,
        1,
    )
    assert obj.parent_class_name == "be.cytomine.domain.ontology.UserAnnotation"
    assert obj.location == made["location"]
    assert obj.term == obj.terms == sorted(world.terms)


async def test_terms_given_to_a_review_replace_the_annotations_terms(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1), term=[world.terms[0]])
    await start_review(client, alice, world.image)
    got = await review(client, alice, made["id"], terms=[world.terms[1]])
    assert got["terms"] == [world.terms[1]]


async def test_reviewed_parent_says_so(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    await review(client, alice, made["id"])
    r = await client.get(f"/api/userannotation/{made['id']}.json", auth=auth(alice))
    assert r.json()["reviewed"] is True


async def test_review_accepts_a_form_encoded_body_as_the_python_client_sends(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    r = await client.post(
        f"/api/annotation/{made['id']}/review.json",
        content=f"id={made['id']}&terms={world.terms[1]}",
        headers={"Content-Type": "application/json"},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert r.json()["reviewedannotation"]["terms"] == [world.terms[1]]


async def test_review_needs_the_image_in_review_mode(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    r = await client.post(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    assert_status(r, 400)
    assert "review mode" in r.json()["errors"]["message"]


async def test_only_the_image_reviewer_validates(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    r = await client.post(f"/api/annotation/{made['id']}/review.json", auth=auth(bob))
    assert_status(r, 400)
    assert "image reviewer" in r.json()["errors"]["message"]


async def test_an_annotation_is_validated_once(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    await review(client, alice, made["id"])
    r = await client.put(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    assert_status(r, 409)


@pytest.mark.parametrize(("terms", "status"), [([999999], 400), ("x,y", 400)])
async def test_bad_review_terms_are_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
    terms: Any,
    status: int,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    url = f"/api/annotation/{made['id']}/review.json"
    r = await client.post(url, json={"terms": terms}, auth=auth(alice))
    assert r.status_code == status
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE kind = 'reviewed'") == 0


async def test_unreview_deletes_the_copy_and_answers_it(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    copy = await review(client, alice, made["id"])
    r = await client.delete(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["reviewedannotation"]["id"] == copy["id"]
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE kind = 'reviewed'") == 0
    again = await client.delete(f"/api/annotation/{made['id']}/review.json", auth=auth(alice))
    assert_status(again, 400)


async def test_reviewed_counters_follow_review_and_unreview(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    one = await create(client, alice, world.image, sq(1, 1))
    two = await create(client, alice, world.image, sq(20, 20))
    await start_review(client, alice, world.image)
    await review(client, alice, one["id"])
    await review(client, alice, two["id"])
    await client.delete(f"/api/annotation/{two['id']}/review.json", auth=auth(alice))
    counts = await db.fetchrow(
        "SELECT p.count_annotations AS pu, p.count_reviewed_annotations AS pr,"
        " i.count_reviewed_annotations AS ir"
        " FROM project p JOIN image_instance i ON i.project_id = p.id WHERE i.id = $1",
        world.image,
    )
    assert dict(counts) == {"pu": 2, "pr": 1, "ir": 1}


async def test_reviewed_annotation_is_read_listed_counted_and_on_the_generic_route(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    copy = await review(client, alice, made["id"])
    for url in (f"/api/reviewedannotation/{copy['id']}.json", f"/api/annotation/{copy['id']}.json"):
        assert (await client.get(url, auth=auth(alice))).json()["parentIdent"] == made["id"]
    listed = (await client.get("/api/reviewedannotation.json", auth=auth(alice))).json()
    assert [a["id"] for a in listed["collection"]] == [copy["id"]]
    url = f"/api/project/{world.project}/reviewedannotation/count.json"
    assert (await client.get(url, auth=auth(alice))).json() == {"total": 1}
    url = f"/api/user/{alice.id}/reviewedannotation/count.json"
    assert (await client.get(url, auth=auth(alice))).json() == {"total": 1}
    r = await client.get(f"/api/userannotation/{copy['id']}.json", auth=auth(alice))
    assert_status(r, 404)


async def test_reviewer_updates_and_deletes_the_copy_but_others_cannot(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    copy = await review(client, alice, made["id"])
    url = f"/api/reviewedannotation/{copy['id']}.json"
    assert (await client.put(url, json={"location": sq(2, 2)}, auth=auth(bob))).status_code == 403
    r = await client.put(url, json={"term": [world.terms[0]]}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["reviewedannotation"]["terms"] == [world.terms[0]]
    assert (await client.delete(url, auth=auth(bob))).status_code == 403
    assert (await client.delete(url, auth=auth(alice))).status_code == 200


async def test_direct_create_needs_a_parent_and_refuses_a_second_copy(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    body = {"location": sq(1, 1), "image": world.image, "terms": [world.terms[0]]}
    r = await client.post("/api/reviewedannotation.json", json=body, auth=auth(alice))
    assert_status(r, 400)
    body["parentIdent"] = made["id"]
    r = await client.post("/api/reviewedannotation.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()["reviewedannotation"]
    assert (got["reviewUser"], got["user"], got["terms"]) == (alice.id, alice.id, [world.terms[0]])
    legacy = f"/api/user/{alice.id}/reviewedannotation.json"
    r = await client.post(legacy, json=body, auth=auth(alice))
    assert_status(r, 409)


async def test_layer_review_validates_every_annotation_of_the_users_once(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    for x in (1, 30):
        await create(client, bob, world.image, sq(x, x), term=[world.terms[0]])
    mine = await create(client, alice, world.image, sq(60, 60))
    await start_review(client, alice, world.image)
    url = f"/api/imageinstance/{world.image}/annotation/review.json"
    r = await client.post(url, params={"users": str(bob.id)}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["size"] == 2
    r = await client.put(url, json={"users": [bob.id, alice.id]}, auth=auth(alice))
    assert r.json()["size"] == 1
    r = await client.delete(url, params={"users": str(bob.id)}, auth=auth(alice))
    assert r.json()["size"] == 2
    got = await client.get(f"/api/annotation/{mine['id']}.json", auth=auth(alice))
    assert got.json()["reviewed"] is True


@pytest.mark.parametrize(("users", "status"), [("", 400), ("999999", 404), ("a", 400)])
async def test_layer_review_refuses_bad_layers(
    client: AsyncTestClient, alice: NewAccount, world: World, users: str, status: int
) -> None:
    await start_review(client, alice, world.image)
    url = f"/api/imageinstance/{world.image}/annotation/review.json"
    r = await client.post(url, params={"users": users}, auth=auth(alice))
    assert r.status_code == status


async def test_stats_count_annotations_and_reviewed_ones_per_user(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, sq(1, 1))
    await create(client, bob, world.image, sq(30, 30))
    await start_review(client, alice, world.image)
    await review(client, alice, made["id"])
    r = await client.get(
        f"/api/imageinstance/{world.image}/reviewedannotation/stats.json", auth=auth(alice)
    )
    assert r.json()["collection"] == [{"user": bob.id, "all": 2, "reviewed": 1}]


async def test_stopping_validates_and_cancelling_unvalidates(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    await start_review(client, alice, world.image)
    url = f"/api/imageinstance/{world.image}/review.json"
    assert (await client.delete(url, auth=auth(bob))).status_code == 400
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert (r.json()["imageinstance"]["reviewed"], r.json()["imageinstance"]["inReview"]) == (
        True,
        False,
    )
    r = await client.delete(url, params={"cancel": "true"}, auth=auth(alice))
    assert r.json()["imageinstance"]["reviewed"] is False
    r = await client.delete(url, params={"cancel": "true"}, auth=auth(alice))
    assert r.json()["imageinstance"]["reviewUser"] is None
    assert (await client.delete(url, auth=auth(alice))).status_code == 400


async def test_guests_and_outsiders_cannot_start_review(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    guest: NewAccount,
    world: World,
) -> None:
    await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    url = f"/api/imageinstance/{world.image}/review.json"
    assert (await client.post(url, auth=auth(guest))).status_code == 403
    assert (await client.put(url, auth=auth(carol))).status_code == 403
    assert (
        await client.post("/api/imageinstance/999999/review.json", auth=auth(alice))
    ).status_code == 404


async def test_outsider_cannot_read_reviewed_annotations_or_stats(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    await start_review(client, alice, world.image)
    copy = await review(client, alice, made["id"])
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.get(f"/api/reviewedannotation/{copy['id']}.json", auth=auth(carol))
    assert_status(r, 403)
    r = await client.get(
        f"/api/imageinstance/{world.image}/reviewedannotation/stats.json", auth=auth(carol)
    )
    assert_status(r, 403)
    listed = await client.get("/api/reviewedannotation.json", auth=auth(carol))
    assert listed.json()["size"] == 0
