"""Tags and their associations with projects, images and annotations."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

PROJECT = "be.cytomine.domain.project.Project"
IMAGE = "be.cytomine.domain.image.ImageInstance"


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _tag(client: AsyncTestClient, who: NewAccount, name: str = "urgent") -> Any:
    return await client.post("/api/tag.json", json={"name": name}, auth=auth(who))


async def _link(client: AsyncTestClient, who: NewAccount, tag: int, cls: str, ident: int) -> Any:
    url = f"/api/domain/{cls}/{ident}/tag_domain_association.json"
    body = {"tag": tag, "domainClassName": cls, "domainIdent": ident}
    return await client.post(url, json=body, auth=auth(who))


async def test_a_created_tag_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await _tag(client, alice)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["tag"], c.Tag)
    assert (obj.class_, obj.name, obj.user, obj.creator_name) == (
        "be.cytomine.domain.meta.Tag",
        "urgent",
        alice.id,
        "alice",
    )


async def test_every_user_lists_and_reads_tags(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount
) -> None:
    created = (await _tag(client, alice)).json()["tag"]
    listed = (await client.get("/api/tag.json", auth=auth(guest))).json()
    assert [t["id"] for t in listed["collection"]] == [created["id"]]
    one = await client.get(f"/api/tag/{created['id']}.json", auth=auth(guest))
    assert one.json()["name"] == "urgent"


@pytest.mark.parametrize("name", ["urgent", "URGENT"])
async def test_a_tag_name_is_unique_ignoring_case(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, name: str
) -> None:
    await _tag(client, alice)
    assert (await _tag(client, bob, name)).status_code == 409


@pytest.mark.parametrize("body", [{}, {"name": " "}])
async def test_a_tag_needs_a_name(
    client: AsyncTestClient, alice: NewAccount, body: dict[str, str]
) -> None:
    assert (await client.post("/api/tag.json", json=body, auth=auth(alice))).status_code == 400


async def test_a_guest_cannot_create_a_tag(client: AsyncTestClient, guest: NewAccount) -> None:
    assert (await _tag(client, guest)).status_code == 403


async def test_the_creator_renames_a_tag(client: AsyncTestClient, alice: NewAccount) -> None:
    created = (await _tag(client, alice)).json()["tag"]
    r = await client.put(
        f"/api/tag/{created['id']}.json", json={**created, "name": "later"}, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    assert r.json()["tag"]["name"] == "later"


async def test_another_user_cannot_rename_or_delete_a_tag(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    created = (await _tag(client, alice)).json()["tag"]
    url = f"/api/tag/{created['id']}.json"
    assert (await client.put(url, json={"name": "x"}, auth=auth(bob))).status_code == 403
    assert (await client.delete(url, auth=auth(bob))).status_code == 403


async def test_a_tag_in_use_is_renamed_only_by_an_admin(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    await _link(client, alice, tag["id"], PROJECT, world.project)
    r = await client.put(f"/api/tag/{tag['id']}.json", json={"name": "x"}, auth=auth(alice))
    assert_status(r, 403)


async def test_deleting_a_tag_removes_its_associations(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    link = (await _link(client, alice, tag["id"], PROJECT, world.project)).json()
    r = await client.delete(f"/api/tag/{tag['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["tag"]["id"] == tag["id"]
    url = f"/api/tag_domain_association/{link['tagdomainassociation']['id']}.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_a_missing_tag_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    assert (await client.get("/api/tag/999999.json", auth=auth(alice))).status_code == 404


async def test_an_association_answers_in_cytomine_shape(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    r = await _link(client, alice, tag["id"], IMAGE, world.image)
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["tagdomainassociation"], c.TagDomainAssociation)
    assert (obj.tag, obj.tag_name, obj.domain_class_name, obj.domain_ident) == (
        tag["id"],
        "urgent",
        IMAGE,
        world.image,
    )


async def test_associations_are_listed_per_object_and_filtered_globally(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    on_image = (await _link(client, alice, tag["id"], IMAGE, world.image)).json()
    await _link(client, alice, tag["id"], PROJECT, world.project)
    per_object = await client.get(
        f"/api/domain/{IMAGE}/{world.image}/tag_domain_association.json", auth=auth(bob)
    )
    assert [a["id"] for a in per_object.json()["collection"]] == [
        on_image["tagdomainassociation"]["id"]
    ]
    everywhere = await client.get(
        f"/api/tag_domain_association.json?domainIdent[in]={world.image}", auth=auth(bob)
    )
    assert everywhere.json()["size"] == 1


async def test_the_global_list_hides_objects_the_caller_cannot_read(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    await _link(client, alice, tag["id"], PROJECT, world.project)
    r = await client.get("/api/tag_domain_association.json", auth=auth(guest))
    assert r.json()["size"] == 0


async def test_the_generic_create_takes_the_object_from_the_body(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    body = {"tag": tag["id"], "domainClassName": "project", "domainIdent": world.project}
    r = await client.post("/api/tag_domain_association.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["tagdomainassociation"]["domainClassName"] == PROJECT


@pytest.mark.parametrize("missing", ["object", "tag", "unknown tag"])
async def test_bad_association_bodies_are_refused(
    client: AsyncTestClient, alice: NewAccount, world: World, missing: str
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    body: dict[str, Any] = {"domainClassName": PROJECT, "domainIdent": world.project}
    body["tag"] = {"object": tag["id"], "tag": None, "unknown tag": 999999}[missing]
    if missing == "object":
        del body["domainIdent"]
    r = await client.post("/api/tag_domain_association.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_a_second_association_of_the_same_tag_conflicts(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    await _link(client, alice, tag["id"], PROJECT, world.project)
    assert (await _link(client, alice, tag["id"], PROJECT, world.project)).status_code == 409


async def test_a_contributor_cannot_tag_the_project(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    assert (await _link(client, bob, tag["id"], PROJECT, world.project)).status_code == 403


async def test_a_non_member_cannot_read_an_association(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    link = (await _link(client, alice, tag["id"], PROJECT, world.project)).json()
    url = f"/api/tag_domain_association/{link['tagdomainassociation']['id']}.json"
    assert (await client.get(url, auth=auth(guest))).status_code == 403


async def test_deleting_an_association_answers_it_and_keeps_the_tag(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    link = (await _link(client, alice, tag["id"], IMAGE, world.image)).json()
    url = f"/api/tag_domain_association/{link['tagdomainassociation']['id']}.json"
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["tagdomainassociation"]["tag"] == tag["id"]
    assert (await client.get(url, auth=auth(alice))).status_code == 404
    assert (await client.get(f"/api/tag/{tag['id']}.json", auth=auth(alice))).status_code == 200


@pytest.mark.parametrize("cls", [IMAGE, "imageinstance"])
async def test_an_association_is_read_and_deleted_under_its_object_url(
    client: AsyncTestClient, alice: NewAccount, world: World, cls: str
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    link = (await _link(client, alice, tag["id"], IMAGE, world.image)).json()
    url = f"/api/domain/{cls}/{world.image}/tag_domain_association/"
    url += f"{link['tagdomainassociation']['id']}.json"
    assert (await client.get(url, auth=auth(alice))).json()["tag"] == tag["id"]
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["tagdomainassociation"]["tag"] == tag["id"]
    assert (await client.get(url, auth=auth(alice))).status_code == 404


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_an_association_under_another_objects_url_is_not_found(
    client: AsyncTestClient, alice: NewAccount, world: World, method: str
) -> None:
    tag = (await _tag(client, alice)).json()["tag"]
    link = (await _link(client, alice, tag["id"], IMAGE, world.image)).json()
    link_id = link["tagdomainassociation"]["id"]
    url = f"/api/domain/{PROJECT}/{world.project}/tag_domain_association/{link_id}.json"
    r = await client.request(method, url, auth=auth(alice))
    assert_status(r, 404)
    kept = await client.get(f"/api/tag_domain_association/{link_id}.json", auth=auth(alice))
    assert_status(kept, 200)
