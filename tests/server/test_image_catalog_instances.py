"""Slice instance writes and image instance browsing (next/previous, bounds, light lists)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.catalog_helpers import add_member, make_catalog, post_ok
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def made(client: AsyncTestClient, alice: NewAccount) -> dict[str, Any]:
    return await make_catalog(client, alice)


async def slices_of(client: AsyncTestClient, who: NewAccount, instance: int) -> list[Any]:
    r = await client.get(f"/api/imageinstance/{instance}/sliceinstance.json", auth=auth(who))
    return list(r.json()["collection"])


async def test_slice_instance_is_deleted_and_recreated(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    instance = made["instance"]["id"]
    first = (await slices_of(client, alice, instance))[0]
    r = await client.delete(f"/api/sliceinstance/{first['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["sliceinstance"]["id"] == first["id"]
    body = {"project": made["project"], "image": instance, "baseSlice": first["baseSlice"]}
    again = await post_ok(client, "/api/sliceinstance.json", body, alice)
    msgspec.convert(again, c.SliceInstance, strict=False)
    assert (again["baseSlice"], again["image"]) == (first["baseSlice"], instance)


async def test_duplicate_slice_instance_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    first = (await slices_of(client, alice, made["instance"]["id"]))[0]
    body = {"project": made["project"], "image": first["image"], "baseSlice": first["baseSlice"]}
    r = await client.post("/api/sliceinstance.json", json=body, auth=auth(alice))
    assert_status(r, 409)


async def test_slice_instance_of_another_images_plane_is_refused(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any], db: Any
) -> None:
    other = await make_catalog(client, alice, depth=1, name="P2")
    before = await db.fetchval("SELECT count(*) FROM slice_instance")
    body = {
        "project": made["project"],
        "image": made["instance"]["id"],
        "baseSlice": other["slices"][0]["id"],
    }
    r = await client.post("/api/sliceinstance.json", json=body, auth=auth(alice))
    assert_status(r, 400)
    assert "does not belong" in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM slice_instance") == before


async def test_slice_instance_moves_to_another_plane_of_its_image(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    first, second = await slices_of(client, alice, made["instance"]["id"])
    await client.delete(f"/api/sliceinstance/{second['id']}.json", auth=auth(alice))
    r = await client.put(
        f"/api/sliceinstance/{first['id']}.json",
        json={**first, "baseSlice": second["baseSlice"]},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert r.json()["sliceinstance"]["zStack"] == 1


@pytest.mark.parametrize("method", ["post", "delete"])
async def test_slice_instance_writes_need_project_write_access(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any], method: str
) -> None:
    slice_id = made["instance"]["id"]
    if method == "post":
        body = {"project": made["project"], "image": slice_id, "baseSlice": made["slices"][0]["id"]}
        r = await client.post("/api/sliceinstance.json", json=body, auth=auth(bob))
    else:
        r = await client.delete(f"/api/sliceinstance/{slice_id}.json", auth=auth(bob))
    assert r.status_code in (403, 404)


async def test_next_and_previous_follow_creation_order(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    other = await make_catalog(client, alice, depth=1, name="P2")
    body = {"baseImage": other["image"]["id"], "project": made["project"]}
    newer = await post_ok(client, "/api/imageinstance.json", body, alice)
    older = made["instance"]["id"]
    nxt = await client.get(f"/api/imageinstance/{newer['id']}/next.json", auth=auth(alice))
    prev = await client.get(f"/api/imageinstance/{older}/previous.json", auth=auth(alice))
    none = await client.get(f"/api/imageinstance/{older}/next.json", auth=auth(alice))
    assert (nxt.json()["id"], prev.json()["id"], none.json()) == (older, newer["id"], {})


async def test_next_of_an_unreadable_image_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(f"/api/imageinstance/{made['instance']['id']}/next.json", auth=auth(bob))
    assert_status(r, 403)


async def test_project_bounds_give_min_max_and_choices(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/project/{made['project']}/bounds/imageinstance.json", auth=auth(alice)
    )
    got = r.json()
    assert got["width"] == {"min": 1000, "max": 1000, "list": []}
    assert got["countImageAnnotations"]["max"] == 0
    assert got["format"]["list"] == got["mimeType"]["list"] == ["image/tiff"]
    assert {"format", "mimeType", "magnification", "instanceFilename"} <= got.keys()


async def test_project_bounds_need_read_access(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/project/{made['project']}/bounds/imageinstance.json", auth=auth(bob)
    )
    assert_status(r, 403)


async def test_light_list_of_a_user_names_images_and_projects(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(f"/api/user/{alice.id}/imageinstance/light.json", auth=auth(alice))
    assert r.json()["collection"] == [
        {
            "id": made["instance"]["id"],
            "projectName": "P1",
            "project": made["project"],
            "instanceFilename": "stack.tif",
        }
    ]


async def test_light_list_of_blinded_project_hides_names_from_contributors(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, made: dict[str, Any]
) -> None:
    project = made["project"]
    await client.put(f"/api/project/{project}.json", json={"blindMode": True}, auth=auth(alice))
    await add_member(client, alice, project, bob)
    r = await client.get(f"/api/user/{bob.id}/imageinstance/light.json", auth=auth(bob))
    (row,) = r.json()["collection"]
    assert "instanceFilename" not in row
    assert row["blindedName"] == made["image"]["id"]


async def test_light_list_of_another_user_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    r = await client.get(f"/api/user/{alice.id}/imageinstance/light.json", auth=auth(bob))
    assert_status(r, 403)


async def test_last_opened_lists_the_images_the_caller_opened(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, made: dict[str, Any]
) -> None:
    opened = await client.post(
        f"/api/imageinstance/{made['instance']['id']}/consultation.json",
        json={"mode": "view"},
        auth=auth(alice),
    )
    assert_status(opened, 200)
    mine = await client.get("/api/imageinstance/method/lastopened.json?max=1", auth=auth(alice))
    theirs = await client.get("/api/imageinstance/method/lastopened.json", auth=auth(bob))
    (row,) = mine.json()["collection"]
    assert (row["id"], row["project"], row["instanceFilename"]) == (
        made["instance"]["id"],
        made["project"],
        "stack.tif",
    )
    assert theirs.json()["collection"] == []


async def test_slice_instance_cannot_move_to_another_images_plane(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    other = await make_catalog(client, alice, depth=1, name="P2")
    first = (await slices_of(client, alice, made["instance"]["id"]))[0]
    r = await client.put(
        f"/api/sliceinstance/{first['id']}.json",
        json={**first, "baseSlice": other["slices"][0]["id"]},
        auth=auth(alice),
    )
    assert_status(r, 400)
    again = await client.get(f"/api/sliceinstance/{first['id']}.json", auth=auth(alice))
    assert again.json()["baseSlice"] == first["baseSlice"]
