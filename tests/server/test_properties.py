"""Properties: key/value pairs on any object, by class name or resource, with permissions."""

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

PROJECT = "be.cytomine.domain.project.Project"
IMAGE = "be.cytomine.domain.image.ImageInstance"
ANNOTATION = "be.cytomine.domain.ontology.UserAnnotation"


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project, image, and one annotation of Bob's."""

    world: World
    annotation: int


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    world = await make_world(client, db, alice, bob)
    annotation = await create(client, bob, world.image, square(10, 10))
    return Scene(world=world, annotation=annotation["id"])


def _ident(scene: Scene, cls: str) -> int:
    return {PROJECT: scene.world.project, IMAGE: scene.world.image}.get(cls, scene.annotation)


async def _add(
    client: AsyncTestClient, who: NewAccount, cls: str, ident: int, key: str = "k", value: str = "v"
) -> Any:
    body = {"domainClassName": cls, "domainIdent": ident, "key": key, "value": value}
    return await client.post(f"/api/domain/{cls}/{ident}/property.json", json=body, auth=auth(who))


async def test_added_property_answers_the_envelope_in_cytomine_shape(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    r = await _add(client, bob, ANNOTATION, scene.annotation, "colour", "red")
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["property"], c.Property)
    assert (obj.class_, obj.key, obj.value) == ("be.cytomine.domain.meta.Property", "colour", "red")
    assert (obj.domain_class_name, obj.domain_ident) == (ANNOTATION, scene.annotation)
    assert r.json()["callback"]["method"] == "be.cytomine.AddPropertyCommand"


@pytest.mark.parametrize(
    ("resource", "cls"),
    [("project", PROJECT), ("imageinstance", IMAGE), ("annotation", ANNOTATION)],
)
async def test_resource_urls_add_list_and_read_properties(
    client: AsyncTestClient, alice: NewAccount, scene: Scene, resource: str, cls: str
) -> None:
    ident = _ident(scene, cls)
    base = f"/api/{resource}/{ident}"
    r = await client.post(
        f"{base}/property.json", json={"key": "a", "value": "1"}, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    created = r.json()["property"]
    assert created["domainClassName"] == cls
    listed = (await client.get(f"{base}/property.json", auth=auth(alice))).json()
    assert [p["id"] for p in listed["collection"]] == [created["id"]]
    one = await client.get(f"{base}/property/{created['id']}.json", auth=auth(alice))
    assert one.json()["value"] == "1"
    by_key = await client.get(f"{base}/key/a/property.json", auth=auth(alice))
    assert by_key.json()["id"] == created["id"]


@pytest.mark.parametrize(
    "spelling",
    ["be.cytomine.project.Project", "project", "be_cytomine_domain_project_Project", "Project"],
)
async def test_legacy_and_short_class_names_address_the_same_object(
    client: AsyncTestClient, alice: NewAccount, scene: Scene, spelling: str
) -> None:
    r = await _add(client, alice, spelling, scene.world.project)
    assert r.status_code == 200, r.text
    assert r.json()["property"]["domainClassName"] == PROJECT


async def test_an_unknown_class_name_is_refused(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    r = await _add(client, alice, "be.cytomine.domain.Nope", scene.world.project)
    assert_status(r, 400)


async def test_a_missing_object_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get(f"/api/domain/{PROJECT}/999999/property.json", auth=auth(alice))
    assert_status(r, 404)
    assert "Project not found" in r.text


async def test_a_non_member_cannot_read_properties(
    client: AsyncTestClient, guest: NewAccount, scene: Scene
) -> None:
    r = await client.get(f"/api/annotation/{scene.annotation}/property.json", auth=auth(guest))
    assert_status(r, 403)


async def test_a_contributor_cannot_put_properties_on_the_project(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    r = await _add(client, bob, PROJECT, scene.world.project)
    assert_status(r, 403)


async def test_in_a_restricted_project_a_contributor_cannot_tag_the_managers_image(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, scene: Scene
) -> None:
    body = {"name": "P1", "isRestricted": True}
    r = await client.put(f"/api/project/{scene.world.project}.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await _add(client, bob, IMAGE, scene.world.image)
    assert_status(r, 403)


async def test_a_duplicate_key_conflicts_and_keeps_the_first_value(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    await _add(client, bob, ANNOTATION, scene.annotation, "k", "first")
    r = await _add(client, bob, ANNOTATION, scene.annotation, "k", "second")
    assert_status(r, 409)
    got = await client.get(
        f"/api/domain/{ANNOTATION}/{scene.annotation}/key/k/property.json", auth=auth(bob)
    )
    assert got.json()["value"] == "first"


@pytest.mark.parametrize("body", [{"value": "v"}, {"key": "  ", "value": "v"}, {"key": "k"}])
async def test_a_property_without_key_or_value_is_refused(
    client: AsyncTestClient, bob: NewAccount, scene: Scene, body: dict[str, str]
) -> None:
    url = f"/api/annotation/{scene.annotation}/property.json"
    r = await client.post(url, json=body, auth=auth(bob))
    assert_status(r, 400)
    assert (await client.get(url, auth=auth(bob))).json()["size"] == 0


async def test_update_changes_the_value_and_keeps_the_key(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    created = (await _add(client, bob, ANNOTATION, scene.annotation)).json()["property"]
    url = f"/api/domain/{ANNOTATION}/{scene.annotation}/property/{created['id']}.json"
    r = await client.put(url, json={**created, "value": "new"}, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert (r.json()["property"]["key"], r.json()["property"]["value"]) == ("k", "new")
    assert r.json()["property"]["updated"] is not None


async def test_delete_answers_the_property_and_removes_it(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    created = (await _add(client, bob, ANNOTATION, scene.annotation)).json()["property"]
    url = f"/api/annotation/{scene.annotation}/property/{created['id']}.json"
    r = await client.delete(url, auth=auth(bob))
    assert_status(r, 200)
    assert r.json()["property"]["id"] == created["id"]
    assert (await client.get(url, auth=auth(bob))).status_code == 404


async def test_a_property_is_not_found_through_another_object(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    created = (await _add(client, alice, ANNOTATION, scene.annotation)).json()["property"]
    url = f"/api/project/{scene.world.project}/property/{created['id']}.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_a_missing_key_is_not_found(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    url = f"/api/project/{scene.world.project}/key/absent/property.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_the_generic_create_takes_the_object_from_the_body(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    body = {"domainClassName": IMAGE, "domainIdent": scene.world.image, "key": "k", "value": "v"}
    r = await client.post("/api/property.json", json=body, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert r.json()["property"]["domainIdent"] == scene.world.image


async def test_the_generic_create_needs_the_object(
    client: AsyncTestClient, bob: NewAccount
) -> None:
    r = await client.post("/api/property.json", json={"key": "k", "value": "v"}, auth=auth(bob))
    assert_status(r, 400)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", [{"key": "k"}]), ("&user=true", [{"key": "k", "user": "BOB"}])],
)
async def test_annotation_keys_of_a_project_are_listed(
    client: AsyncTestClient, bob: NewAccount, scene: Scene, query: str, expected: list[Any]
) -> None:
    await _add(client, bob, ANNOTATION, scene.annotation)
    url = f"/api/annotation/property/key.json?idProject={scene.world.project}{query}"
    r = await client.get(url, auth=auth(bob))
    assert r.status_code == 200, r.text
    want = [{k: bob.id if v == "BOB" else v for k, v in row.items()} for row in expected]
    assert r.json()["collection"] == want


async def test_annotation_keys_need_a_project_or_an_image(
    client: AsyncTestClient, bob: NewAccount
) -> None:
    r = await client.get("/api/annotation/property/key.json", auth=auth(bob))
    assert_status(r, 400)


async def test_image_keys_of_a_project_are_listed_as_strings(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    await _add(client, alice, IMAGE, scene.world.image, "stain")
    url = f"/api/imageinstance/property/key.json?idProject={scene.world.project}"
    r = await client.get(url, auth=auth(alice))
    assert r.json()["collection"] == ["stain"]


@pytest.mark.parametrize(
    ("bbox", "count"), [("", 1), ("&bbox=0,0,100,100", 1), ("&bbox=500,500,600,600", 0)]
)
async def test_annotation_positions_give_centre_and_value(
    client: AsyncTestClient, bob: NewAccount, scene: Scene, bbox: str, count: int
) -> None:
    await _add(client, bob, ANNOTATION, scene.annotation, "score", "0.9")
    url = (
        f"/api/user/{bob.id}/imageinstance/{scene.world.image}/annotationposition.json"
        f"?key=score{bbox}"
    )
    r = await client.get(url, auth=auth(bob))
    assert r.status_code == 200, r.text
    expected = [{"idAnnotation": scene.annotation, "x": 15.0, "y": 15.0, "value": "0.9"}]
    assert r.json()["collection"] == expected[:count]


@pytest.mark.parametrize("query", ["", "?key=score&bbox=nonsense"])
async def test_annotation_positions_refuse_bad_input(
    client: AsyncTestClient, bob: NewAccount, scene: Scene, query: str
) -> None:
    url = f"/api/user/{bob.id}/imageinstance/{scene.world.image}/annotationposition.json{query}"
    assert (await client.get(url, auth=auth(bob))).status_code == 400


async def test_deleting_an_object_deletes_its_properties(
    client: AsyncTestClient, bob: NewAccount, db: asyncpg.Connection, scene: Scene
) -> None:
    await _add(client, bob, ANNOTATION, scene.annotation)
    r = await client.delete(f"/api/annotation/{scene.annotation}.json", auth=auth(bob))
    assert r.status_code == 200, r.text
    left = await db.fetchval(
        "SELECT count(*) FROM property WHERE domain_ident = $1", scene.annotation
    )
    assert left == 0
