"""Rich-text descriptions of any object, with the rights of the object they describe."""

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
ANNOTATION = "be.cytomine.domain.ontology.UserAnnotation"


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project (Bob contributes) and one annotation of Bob's."""

    world: World
    annotation: int


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    world = await make_world(client, db, alice, bob)
    made = await create(client, bob, world.image, square(10, 10))
    return Scene(world=world, annotation=made["id"])


def _url(cls: str, ident: int) -> str:
    return f"/api/domain/{cls}/{ident}/description.json"


async def _add(
    client: AsyncTestClient, who: NewAccount, cls: str, ident: int, data: Any = "<p>Hi</p>"
) -> Any:
    body = {"domainClassName": cls, "domainIdent": ident, "data": data}
    return await client.post(_url(cls, ident), json=body, auth=auth(who))


async def test_a_missing_description_is_a_404_the_ui_shows_as_none(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    r = await client.get(_url(ANNOTATION, scene.annotation), auth=auth(bob))
    assert_status(r, 404)
    assert "Description not found" in r.json()["errors"]["message"]


async def test_a_description_is_added_read_changed_and_deleted(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    r = await _add(client, bob, ANNOTATION, scene.annotation)
    assert r.status_code == 200, r.text
    made = msgspec.convert(r.json()["description"], c.Description)
    assert (made.domain_class_name, made.domain_ident, made.data) == (
        ANNOTATION,
        scene.annotation,
        "<p>Hi</p>",
    )
    assert r.json()["callback"]["method"] == "be.cytomine.AddDescriptionCommand"
    assert isinstance(r.json()["command"], int)
    url = _url(ANNOTATION, scene.annotation)
    assert (await client.get(url, auth=auth(bob))).json()["id"] == made.id

    r = await client.put(url, json={"data": "<p>Changed</p>"}, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert (r.json()["description"]["id"], r.json()["description"]["data"]) == (
        made.id,
        "<p>Changed</p>",
    )
    assert r.json()["description"]["updated"] is not None

    r = await client.delete(url, auth=auth(bob))
    assert r.status_code == 200, r.text
    assert r.json()["description"]["data"] == "<p>Changed</p>"
    assert (await client.get(url, auth=auth(bob))).status_code == 404


async def test_the_body_route_and_other_spellings_of_the_class_name_work(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    body = {"domainClassName": PROJECT, "domainIdent": scene.world.project, "data": "text"}
    r = await client.post("/api/description.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    underscored = PROJECT.replace(".", "_")
    got = await client.get(_url(underscored, scene.world.project), auth=auth(alice))
    assert got.json()["data"] == "text"
    domain = "be.cytomine.domain.ontology.AnnotationDomain"
    r = await _add(client, alice, domain, scene.annotation)
    assert r.json()["description"]["domainClassName"] == ANNOTATION


async def test_a_second_description_of_the_same_object_is_a_conflict(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    assert (await _add(client, bob, ANNOTATION, scene.annotation)).status_code == 200
    r = await _add(client, bob, ANNOTATION, scene.annotation, "again")
    assert_status(r, 409)
    assert "already exists" in r.json()["errors"]["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"domainClassName": ANNOTATION}, "data"),
        ({"data": 5}, "Expected `str"),
        ({"domainIdent": 1, "data": "x"}, "domainClassName"),
    ],
)
async def test_bad_bodies_are_refused_with_a_message(
    client: AsyncTestClient, bob: NewAccount, scene: Scene, body: dict[str, Any], fragment: str
) -> None:
    url = "/api/description.json" if "domainIdent" in body else _url(ANNOTATION, scene.annotation)
    r = await client.post(url, json=body, auth=auth(bob))
    assert_status(r, 400)
    assert fragment in r.json()["errors"]["message"]


async def test_unknown_classes_and_objects_are_refused(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    r = await client.get(_url("be.cytomine.domain.Nothing", 1), auth=auth(bob))
    assert_status(r, 400)
    r = await client.get(_url(ANNOTATION, 999999999), auth=auth(bob))
    assert_status(r, 404)
    r = await client.put(_url(ANNOTATION, scene.annotation), json={"data": "x"}, auth=auth(bob))
    assert_status(r, 404)
    r = await client.delete(_url(ANNOTATION, scene.annotation), auth=auth(bob))
    assert_status(r, 404)


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("guest", 403, 403),  # outsider
        ("bob", 200, 403),  # member, the project's description is the manager's to change
        ("alice", 200, 200),  # manager
        ("admin", 200, 200),
    ],
)
async def test_project_descriptions_follow_project_rights(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
    admin: NewAccount,
    scene: Scene,
    who: str,
    read: int,
    write: int,
) -> None:
    caller = {"guest": guest, "bob": bob, "alice": alice, "admin": admin}[who]
    assert (await _add(client, alice, PROJECT, scene.world.project)).status_code == 200
    url = _url(PROJECT, scene.world.project)
    assert (await client.get(url, auth=auth(caller))).status_code == read
    r = await client.put(url, json={"data": "new"}, auth=auth(caller))
    assert r.status_code == write, r.text
    assert (await client.delete(url, auth=auth(caller))).status_code == write


async def test_in_a_restricted_project_members_describe_only_their_own_annotations(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> None:
    world = await make_world(client, db, alice, bob, isRestricted=True)
    bobs = await create(client, bob, world.image, square(10, 10))
    alices = await create(client, alice, world.image, square(100, 100))
    assert (await _add(client, bob, ANNOTATION, alices["id"])).status_code == 403
    assert (await _add(client, bob, ANNOTATION, bobs["id"])).status_code == 200
    r = await client.put(_url(ANNOTATION, bobs["id"]), json={"data": "x"}, auth=auth(alice))
    assert r.status_code == 200, r.text  # the manager may change anybody's


async def test_listing_every_description_is_for_administrators(
    client: AsyncTestClient, alice: NewAccount, admin: NewAccount, scene: Scene
) -> None:
    await _add(client, alice, PROJECT, scene.world.project)
    assert (await client.get("/api/description.json", auth=auth(alice))).status_code == 403
    r = await client.get("/api/description.json", auth=auth(admin))
    assert r.status_code == 200, r.text
    assert [d["domainIdent"] for d in r.json()["collection"]] == [scene.world.project]


async def test_a_description_goes_with_its_object(
    client: AsyncTestClient, db: asyncpg.Connection, bob: NewAccount, scene: Scene
) -> None:
    await _add(client, bob, ANNOTATION, scene.annotation)
    r = await client.delete(f"/api/annotation/{scene.annotation}.json", auth=auth(bob))
    assert r.status_code == 200, r.text
    assert await db.fetchval("SELECT count(*) FROM description") == 0


async def _reverse(client: AsyncTestClient, who: NewAccount, command: int, action: str) -> Any:
    r = await client.get(f"/api/command/{command}/{action}.json", auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()["collection"][0]


async def test_description_changes_are_undone_and_redone(
    client: AsyncTestClient, bob: NewAccount, scene: Scene
) -> None:
    url = _url(ANNOTATION, scene.annotation)
    added = (await _add(client, bob, ANNOTATION, scene.annotation, "first")).json()
    edited = (await client.put(url, json={"data": "second"}, auth=auth(bob))).json()
    assert (await _reverse(client, bob, edited["command"], "undo"))["description"][
        "data"
    ] == "first"
    assert (await client.get(url, auth=auth(bob))).json()["data"] == "first"
    await _reverse(client, bob, edited["command"], "redo")
    assert (await client.get(url, auth=auth(bob))).json()["data"] == "second"

    deleted = (await client.delete(url, auth=auth(bob))).json()
    back = (await _reverse(client, bob, deleted["command"], "undo"))["description"]
    assert (back["id"], back["data"]) == (added["description"]["id"], "second")
    await _reverse(client, bob, deleted["command"], "redo")
    assert (await client.get(url, auth=auth(bob))).status_code == 404


async def test_undoing_a_description_needs_the_right_to_change_it_still(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, scene: Scene
) -> None:
    added = (await _add(client, bob, ANNOTATION, scene.annotation)).json()
    r = await client.delete(
        f"/api/project/{scene.world.project}/user/{bob.id}.json", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/command/{added['command']}/undo.json", auth=auth(bob))
    assert_status(r, 403)
    assert (
        await client.get(_url(ANNOTATION, scene.annotation), auth=auth(alice))
    ).status_code == 200
