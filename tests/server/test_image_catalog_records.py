"""Uploaded files, abstract images and abstract slices created and changed through the API."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.catalog_helpers import make_catalog, post_ok
from tests.server.image_helpers import make_storage
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

STORAGE = object()


@pytest.fixture
async def made(client: AsyncTestClient, alice: NewAccount) -> dict[str, Any]:
    return await make_catalog(client, alice)


async def test_uploaded_file_is_created_with_the_caller_as_owner(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    upload = made["upload"]
    msgspec.convert(upload, c.UploadedFile, strict=False)
    assert (upload["user"], upload["storage"], upload["status"], upload["path"]) == (
        alice.id,
        made["storage"],
        0,
        None,
    )
    assert (upload["filename"], upload["contentType"]) == ("stack.tif", "image/tiff")


async def test_uploaded_file_child_lists_under_its_parent(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    parent = made["upload"]["id"]
    body = {"storage": made["storage"], "originalFilename": "inner.tif", "parent": parent}
    child = await post_ok(client, "/api/uploadedfile.json", body, alice)
    r = await client.get(f"/api/uploadedfile.json?parent={parent}", auth=auth(alice))
    assert [f["id"] for f in r.json()["collection"]] == [child["id"]]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"originalFilename": "a.tif"}, "storage"),
        ({"storage": STORAGE}, "originalFilename"),
        ({"storage": STORAGE, "originalFilename": "a.tif", "status": 7}, "status"),
        ({"storage": STORAGE, "originalFilename": "a.tif", "size": -1}, "size"),
        ({"storage": STORAGE, "originalFilename": "a.tif", "parent": 987654}, "UploadedFile"),
    ],
)
async def test_bad_uploaded_file_body_is_refused_and_nothing_is_made(
    client: AsyncTestClient,
    alice: NewAccount,
    made: dict[str, Any],
    db: Any,
    body: dict[str, Any],
    needle: str,
) -> None:
    before = await db.fetchval("SELECT count(*) FROM uploaded_file")
    sent = {k: made["storage"] if v is STORAGE else v for k, v in body.items()}
    r = await client.post("/api/uploadedfile.json", json=sent, auth=auth(alice))
    assert r.status_code in (400, 404), r.text
    assert needle in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM uploaded_file") == before


async def test_uploaded_file_in_someone_elses_storage_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any]
) -> None:
    body = {"storage": made["storage"], "originalFilename": "x.tif"}
    r = await client.post("/api/uploadedfile.json", json=body, auth=auth(bob))
    assert_status(r, 403)


async def test_uploaded_file_status_and_size_are_updated(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    url = f"/api/uploadedfile/{made['upload']['id']}.json"
    r = await client.put(url, json={**made["upload"], "status": 100, "size": 42}, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()["uploadedfile"]
    assert (got["status"], got["statusText"], got["size"]) == (100, "DEPLOYED", 42)


async def test_uploaded_file_cannot_become_its_own_descendant(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    root = made["upload"]["id"]
    body = {"storage": made["storage"], "originalFilename": "inner.tif", "parent": root}
    child = await post_ok(client, "/api/uploadedfile.json", body, alice)
    r = await client.put(
        f"/api/uploadedfile/{root}.json", json={"parent": child["id"]}, auth=auth(alice)
    )
    assert_status(r, 400)
    assert "parent" in r.json()["errors"]["message"]


async def test_uploaded_file_update_by_a_stranger_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any]
) -> None:
    url = f"/api/uploadedfile/{made['upload']['id']}.json"
    r = await client.put(url, json={"status": 100}, auth=auth(bob))
    assert_status(r, 403)


async def test_uploaded_file_without_stored_bytes_has_no_download(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(f"/api/uploadedfile/{made['upload']['id']}/download", auth=auth(alice))
    assert_status(r, 404)


async def test_abstract_image_is_registered_for_an_uploaded_file(
    made: dict[str, Any],
) -> None:
    image = made["image"]
    msgspec.convert(image, c.AbstractImage, strict=False)
    assert (image["width"], image["height"], image["depth"], image["duration"]) == (
        1000,
        800,
        2,
        1,
    )
    assert image["originalFilename"] == "stack.tif"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"width": 10}, 400), ({"width": 0, "height": 5}, 400), ({"width": 10, "height": 5}, 409)],
)
async def test_bad_abstract_image_body_is_refused(
    client: AsyncTestClient,
    alice: NewAccount,
    made: dict[str, Any],
    body: dict[str, Any],
    status: int,
) -> None:
    sent = {"uploadedFile": made["upload"]["id"], **body}
    r = await client.post("/api/abstractimage.json", json=sent, auth=auth(alice))
    assert r.status_code == status, r.text


async def test_abstract_image_for_a_strangers_file_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount
) -> None:
    storage = await make_storage(client, alice)
    body = {"storage": storage, "originalFilename": "b.tif"}
    upload = await post_ok(client, "/api/uploadedfile.json", body, alice)
    sent = {"uploadedFile": upload["id"], "width": 5, "height": 5}
    r = await client.post("/api/abstractimage.json", json=sent, auth=auth(bob))
    assert_status(r, 403)


async def test_project_image_list_holds_its_abstract_images(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(f"/api/project/{made['project']}/image.json", auth=auth(alice))
    assert [i["id"] for i in r.json()["collection"]] == [made["image"]["id"]]
    r = await client.get(f"/api/project/{made['project']}/image.json", auth=auth(bob))
    assert_status(r, 403)


async def test_abstract_image_names_its_image_servers(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/abstractimage/{made['image']['id']}/imageservers.json", auth=auth(alice)
    )
    assert_status(r, 200)
    assert len(r.json()["imageServersURLs"]) == 1


async def test_image_servers_list_and_show(client: AsyncTestClient, bob: NewAccount) -> None:
    listed = (await client.get("/api/imageserver.json", auth=auth(bob))).json()["collection"]
    assert len(listed) == 1
    r = await client.get(f"/api/imageserver/{listed[0]['id']}.json", auth=auth(bob))
    assert r.json()["class"] == "be.cytomine.middleware.ImageServer"
    assert (await client.get("/api/imageserver/1.json", auth=auth(bob))).status_code == 404


async def test_image_servers_of_an_unreadable_image_are_forbidden(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any]
) -> None:
    url = f"/api/abstractimage/{made['image']['id']}/imageservers.json"
    assert (await client.get(url, auth=auth(bob))).status_code == 403
