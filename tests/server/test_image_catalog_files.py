"""Abstract slice writes, companion files, profile requests and stored-file downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.catalog_helpers import make_catalog, post_ok
from tests.server.image_helpers import make_storage, upload, write_pyramid
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, storage_dir=str(tmp_path / "files")
    )


@pytest.fixture(scope="module")
def slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pyramid(tmp_path_factory.mktemp("slides") / "slide.tif", 512, 384)


@pytest.fixture
async def made(client: AsyncTestClient, alice: NewAccount) -> dict[str, Any]:
    return await make_catalog(client, alice)


async def companion(client: AsyncTestClient, who: NewAccount, image: int, **extra: Any) -> Any:
    body = {"image": image, "originalFilename": "p.h5", "filename": "p.h5", "type": "HDF5"}
    return await post_ok(client, "/api/companionfile.json", {**body, **extra}, who)


async def test_abstract_slice_at_channel_z_time(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    url = f"/api/abstractimage/{made['image']['id']}/0/1/0/abstractslice.json"
    got = (await client.get(url, auth=auth(alice))).json()
    msgspec.convert(got, c.AbstractSlice, strict=False)
    assert got["id"] == made["slices"][1]["id"]
    missing = url.replace("/0/1/0/", "/0/9/0/")
    assert (await client.get(missing, auth=auth(alice))).status_code == 404


async def test_duplicate_abstract_slice_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    body = {"image": made["image"]["id"], "zStack": 1}
    r = await client.post("/api/abstractslice.json", json=body, auth=auth(alice))
    assert_status(r, 409)


@pytest.mark.parametrize("body", [{}, {"channel": -1}])
async def test_bad_abstract_slice_body_is_refused(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any], body: dict[str, Any]
) -> None:
    sent = {**body, "image": made["image"]["id"]} if body else body
    r = await client.post("/api/abstractslice.json", json=sent, auth=auth(alice))
    assert_status(r, 400)


async def test_abstract_slice_is_renamed(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    first = made["slices"][0]
    r = await client.put(
        f"/api/abstractslice/{first['id']}.json",
        json={**first, "channelName": "DAPI", "channelColor": "#0000ff"},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    got = r.json()["abstractslice"]
    assert (got["channelName"], got["channelColor"], got["zStack"]) == ("DAPI", "#0000ff", 0)


async def test_abstract_slice_used_in_a_project_cannot_be_deleted(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.delete(f"/api/abstractslice/{made['slices'][0]['id']}.json", auth=auth(alice))
    assert_status(r, 403)
    assert r.json()["errorValues"]["projectNames"] == ["P1"]


async def test_unused_abstract_slice_is_deleted(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    spare = await post_ok(
        client, "/api/abstractslice.json", {"image": made["image"]["id"], "channel": 1}, alice
    )
    r = await client.delete(f"/api/abstractslice/{spare['id']}.json", auth=auth(alice))
    assert_status(r, 200)
    assert (
        await client.get(f"/api/abstractslice/{spare['id']}.json", auth=auth(alice))
    ).status_code == 404


@pytest.mark.parametrize("method", ["post", "put"])
async def test_abstract_slice_writes_need_the_storage(
    client: AsyncTestClient, bob: NewAccount, made: dict[str, Any], method: str
) -> None:
    first = made["slices"][0]
    if method == "post":
        body = {"image": made["image"]["id"], "channel": 3}
        r = await client.post("/api/abstractslice.json", json=body, auth=auth(bob))
    else:
        r = await client.put(f"/api/abstractslice/{first['id']}.json", json={}, auth=auth(bob))
    assert r.status_code in (403, 404)


async def test_abstract_slice_names_its_uploader(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/abstractslice/{made['slices'][0]['id']}/user.json", auth=auth(alice)
    )
    assert r.json()["id"] == alice.id


async def test_companion_file_is_created_listed_and_shown(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, made: dict[str, Any]
) -> None:
    made_file = await companion(client, alice, made["image"]["id"])
    msgspec.convert(made_file, c.CompanionFile, strict=False)
    listed = (await client.get("/api/companionfile.json", auth=auth(alice))).json()
    shown = await client.get(f"/api/companionfile/{made_file['id']}.json", auth=auth(alice))
    hidden = (await client.get("/api/companionfile.json", auth=auth(bob))).json()
    assert [f["id"] for f in listed["collection"]] == [made_file["id"]]
    assert shown.json()["type"] == "HDF5"
    assert hidden["collection"] == []


async def test_companion_file_of_a_strangers_image_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, made: dict[str, Any]
) -> None:
    made_file = await companion(client, alice, made["image"]["id"])
    r = await client.get(f"/api/companionfile/{made_file['id']}.json", auth=auth(bob))
    assert_status(r, 403)
    body = {"image": made["image"]["id"], "originalFilename": "x", "filename": "x", "type": "X"}
    r = await client.post("/api/companionfile.json", json=body, auth=auth(bob))
    assert_status(r, 403)


@pytest.mark.parametrize("drop", ["image", "originalFilename", "type"])
async def test_companion_file_without_a_required_field_is_refused(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any], drop: str, db: Any
) -> None:
    body = {"image": made["image"]["id"], "originalFilename": "a", "filename": "a", "type": "T"}
    del body[drop]
    r = await client.post("/api/companionfile.json", json=body, auth=auth(alice))
    assert_status(r, 400)
    assert drop in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM companion_file") == 0


async def test_companion_file_progress_is_updated_then_deleted(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    made_file = await companion(client, alice, made["image"]["id"])
    url = f"/api/companionfile/{made_file['id']}.json"
    r = await client.put(url, json={**made_file, "progress": 50}, auth=auth(alice))
    assert r.json()["companionfile"]["progress"] == 50
    bad = await client.put(url, json={"progress": 101}, auth=auth(alice))
    assert_status(bad, 400)
    assert (await client.delete(url, auth=auth(alice))).status_code == 200
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_companion_file_names_the_uploader_of_its_file(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    linked = await companion(client, alice, made["image"]["id"], uploadedFile=made["upload"]["id"])
    bare = await companion(client, alice, made["image"]["id"])
    r = await client.get(f"/api/companionfile/{linked['id']}/user.json", auth=auth(alice))
    assert r.json()["id"] == alice.id
    r = await client.get(f"/api/companionfile/{bare['id']}/user.json", auth=auth(alice))
    assert_status(r, 404)


@pytest.mark.parametrize(
    ("query", "body", "needle"),
    [
        ("", {}, "image"),
        ("?image=IMAGE", None, "cannot compute"),
        ("", {"image": "IMAGE"}, "cannot compute"),
    ],
)
async def test_profile_request_is_checked_then_refused(
    client: AsyncTestClient,
    alice: NewAccount,
    made: dict[str, Any],
    query: str,
    body: dict[str, Any] | None,
    needle: str,
) -> None:
    image = made["image"]["id"]
    sent = {k: image if v == "IMAGE" else v for k, v in (body or {}).items()}
    url = "/api/profile.json" + query.replace("IMAGE", str(image))
    r = await client.post(url, json=sent if body is not None else None, auth=auth(alice))
    assert_status(r, 400)
    assert needle in r.json()["errors"]["message"]


async def test_stored_files_download_for_readers_only(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, alice)
    answer = (await upload(client, alice, slide, storage)).json()[0]
    file_id, image_id = answer["uploadedFile"]["id"], answer["images"][0]["image"]["id"]
    linked = await companion(client, alice, image_id, uploadedFile=file_id)
    got = await client.get(f"/api/uploadedfile/{file_id}/download", auth=auth(alice))
    assert (got.status_code, got.content) == (200, slide.read_bytes())
    got = await client.get(f"/api/companionfile/{linked['id']}/download", auth=auth(alice))
    assert got.content == slide.read_bytes()
    refused = await client.get(f"/api/uploadedfile/{file_id}/download", auth=auth(bob))
    assert_status(refused, 403)


async def test_abstract_slice_array_adds_every_plane(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    image = made["image"]["id"]
    body = [{"image": image, "channel": 1}, {"image": image, "channel": 2}]
    r = await client.post("/api/abstractslice.json", json=body, auth=auth(alice))
    assert (r.status_code, r.json()["status"]) == (200, 200)
    listed = await client.get(f"/api/abstractimage/{image}/abstractslice.json", auth=auth(alice))
    assert len(listed.json()["collection"]) == 4


async def test_abstract_slice_array_with_a_duplicate_adds_nothing(
    client: AsyncTestClient, alice: NewAccount, made: dict[str, Any]
) -> None:
    image = made["image"]["id"]
    body = [{"image": image, "channel": 1}, {"image": image, "zStack": 0}]
    r = await client.post("/api/abstractslice.json", json=body, auth=auth(alice))
    assert (r.status_code, r.json()["status"]) == (200, 409)
    listed = await client.get(f"/api/abstractimage/{image}/abstractslice.json", auth=auth(alice))
    assert len(listed.json()["collection"]) == 2
