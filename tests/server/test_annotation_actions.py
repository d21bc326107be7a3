"""Annotation actions: recorded by the viewer, listed per image or slice, counted per project."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def annotation(client: AsyncTestClient, world: World, alice: NewAccount) -> int:
    return int((await create(client, alice, world.image, square(10, 10)))["id"])


async def _act(client: AsyncTestClient, who: NewAccount, body: dict[str, Any]) -> Any:
    return await client.post("/api/annotation_action.json", json=body, auth=auth(who))


async def test_an_action_answers_the_record_with_the_annotations_context(
    client: AsyncTestClient, world: World, annotation: int, alice: NewAccount, bob: NewAccount
) -> None:
    r = await _act(client, bob, {"annotationIdent": annotation, "action": "select"})
    assert r.status_code == 200, r.text
    got = msgspec.convert(r.json(), c.AnnotationAction)
    assert (got.user, got.image, got.slice, got.project, got.action) == (
        bob.id,
        world.image,
        world.slice,
        world.project,
        "select",
    )
    assert got.annotation_creator == alice.id
    assert got.annotation_class_name == "be.cytomine.domain.ontology.UserAnnotation"


@pytest.mark.parametrize(
    "body", [{"action": "select"}, {"annotationIdent": 1}, {"annotationIdent": 1, "action": ""}]
)
async def test_an_action_without_annotation_or_action_is_refused(
    client: AsyncTestClient, alice: NewAccount, body: dict[str, Any]
) -> None:
    assert (await _act(client, alice, body)).status_code == 400


async def test_an_action_on_a_missing_annotation_is_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await _act(client, alice, {"annotationIdent": 0, "action": "select"})
    assert_status(r, 404)


async def test_an_action_outside_ones_projects_is_forbidden_and_not_recorded(
    client: AsyncTestClient, db: asyncpg.Connection, annotation: int, guest: NewAccount
) -> None:
    r = await _act(client, guest, {"annotationIdent": annotation, "action": "select"})
    assert_status(r, 403)
    assert await db.fetchval("SELECT count(*) FROM annotation_action") == 0


@pytest.mark.parametrize("container", ["imageinstance", "sliceinstance"])
async def test_actions_are_listed_per_image_and_slice_newest_first(
    client: AsyncTestClient,
    world: World,
    annotation: int,
    alice: NewAccount,
    bob: NewAccount,
    container: str,
) -> None:
    for action in ("select", "edit"):
        await _act(client, bob, {"annotationIdent": annotation, "action": action})
    await _act(client, alice, {"annotationIdent": annotation, "action": "delete"})
    ident = world.image if container == "imageinstance" else world.slice
    url = f"/api/{container}/{ident}/annotation_action.json"
    r = await client.get(url, params={"user": bob.id}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert [x["action"] for x in r.json()["collection"]] == ["edit", "select"]


async def test_actions_before_a_past_instant_are_none(
    client: AsyncTestClient, world: World, annotation: int, alice: NewAccount
) -> None:
    await _act(client, alice, {"annotationIdent": annotation, "action": "select"})
    url = f"/api/imageinstance/{world.image}/annotation_action.json"
    r = await client.get(url, params={"beforeThan": 1000}, auth=auth(alice))
    assert (r.status_code, r.json()["size"]) == (200, 0)


async def test_actions_of_an_image_outside_ones_projects_are_forbidden(
    client: AsyncTestClient, world: World, guest: NewAccount
) -> None:
    url = f"/api/imageinstance/{world.image}/annotation_action.json"
    assert (await client.get(url, auth=auth(guest))).status_code == 403


async def test_actions_of_a_missing_slice_are_not_found(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get("/api/sliceinstance/0/annotation_action.json", auth=auth(alice))
    assert_status(r, 404)


async def test_the_count_of_a_project_honours_the_type(
    client: AsyncTestClient, world: World, annotation: int, alice: NewAccount
) -> None:
    for action in ("select", "select", "edit"):
        await _act(client, alice, {"annotationIdent": annotation, "action": action})
    url = f"/api/project/{world.project}/annotation_action/count.json"
    everything = (await client.get(url, auth=auth(alice))).json()
    selected = (await client.get(url, params={"type": "select"}, auth=auth(alice))).json()
    assert (everything, selected) == ({"total": 3}, {"total": 2})


async def test_the_count_refuses_a_bad_date(
    client: AsyncTestClient, world: World, alice: NewAccount
) -> None:
    url = f"/api/project/{world.project}/annotation_action/count.json"
    r = await client.get(url, params={"startDate": "soon"}, auth=auth(alice))
    assert_status(r, 400)
