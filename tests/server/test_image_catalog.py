"""Image instances, slices, abstract images and uploaded files: CRUD, lists, permissions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.image_helpers import HEIGHT, WIDTH, make_storage, upload, write_pyramid
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, storage_dir=str(storage_root)
    )


@pytest.fixture(scope="module")
def slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pyramid(tmp_path_factory.mktemp("slides") / "slide.tif")


@pytest.fixture
async def seeded(client: AsyncTestClient, alice: NewAccount, slide: Path) -> dict[str, Any]:
    """Alice's storage and project, with the slide uploaded into both."""
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, slide, storage, project["id"])
    answer = r.json()[0]
    made = answer["images"][0]
    return {
        "storage": storage,
        "project": project["id"],
        "upload": answer["uploadedFile"],
        "image": made["image"],
        "instance": made["imageInstances"][0],
    }


async def get_json(client: AsyncTestClient, url: str, who: NewAccount) -> Any:
    r = await client.get(url, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()


async def test_image_instance_carries_what_the_viewer_needs(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    got = await get_json(client, f"/api/imageinstance/{seeded['instance']['id']}.json", alice)
    msgspec.convert(got, c.ImageInstance, strict=False)
    assert {k: got[k] for k in ("width", "height", "zoom", "tileSize", "baseImage", "project")} == {
        "width": WIDTH,
        "height": HEIGHT,
        "zoom": 3,
        "tileSize": 256,
        "baseImage": seeded["image"]["id"],
        "project": seeded["project"],
    }
    assert got["class"] == "be.cytomine.domain.image.ImageInstance"
    assert got["instanceFilename"] == "slide.tif"


async def test_project_image_list_filters_by_name(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    base = f"/api/project/{seeded['project']}/imageinstance.json"
    hit = await get_json(client, f"{base}?instanceFilename[ilike]=slide", alice)
    miss = await get_json(client, f"{base}?instanceFilename[ilike]=nothing", alice)
    assert [i["id"] for i in hit["collection"]] == [seeded["instance"]["id"]]
    assert miss["size"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/imageinstance/{instance}.json",
        "/api/project/{project}/imageinstance.json",
        "/api/abstractimage/{image}.json",
        "/api/uploadedfile/{upload}.json",
    ],
)
async def test_outsiders_cannot_read_images(
    client: AsyncTestClient, bob: NewAccount, seeded: dict[str, Any], url: str
) -> None:
    ids = {k: seeded[k]["id"] if isinstance(seeded[k], dict) else seeded[k] for k in seeded}
    r = await client.get(url.format(**ids), auth=auth(bob))
    assert r.status_code == 403, r.text


async def test_project_members_read_the_instance_and_its_abstract_image(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, seeded: dict[str, Any]
) -> None:
    r = await client.post(f"/api/project/{seeded['project']}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    await get_json(client, f"/api/imageinstance/{seeded['instance']['id']}.json", bob)
    await get_json(client, f"/api/abstractimage/{seeded['image']['id']}.json", bob)


async def test_adding_an_image_to_another_project_counts_it(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    other = await make_project(client, alice, name="P2")
    body = {"baseImage": seeded["image"]["id"], "project": other["id"]}
    r = await client.post("/api/imageinstance.json", json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["imageinstance"]["project"] == other["id"]
    counted = await get_json(client, f"/api/project/{other['id']}.json", alice)
    assert counted["numberOfImages"] == 1


async def test_adding_an_image_twice_to_a_project_is_a_conflict(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    body = {"baseImage": seeded["image"]["id"], "project": seeded["project"]}
    r = await client.post("/api/imageinstance.json", json=body, auth=auth(alice))
    assert r.status_code == 409, r.text


async def test_renaming_an_image_instance(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    url = f"/api/imageinstance/{seeded['instance']['id']}.json"
    body = {**seeded["instance"], "instanceFilename": "renamed.tif"}
    r = await client.put(url, json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (await get_json(client, url, alice))["instanceFilename"] == "renamed.tif"


async def test_deleting_an_image_instance_uncounts_it(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    r = await client.delete(f"/api/imageinstance/{seeded['instance']['id']}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["imageinstance"]["id"] == seeded["instance"]["id"]
    counted = await get_json(client, f"/api/project/{seeded['project']}.json", alice)
    assert counted["numberOfImages"] == 0


async def test_deleting_a_project_deletes_its_image_instances(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    r = await client.delete(f"/api/project/{seeded['project']}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    left = await db.fetchval("SELECT count(*) FROM image_instance")
    assert left == 0


async def test_reference_slice_is_the_first_plane(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    instance = seeded["instance"]["id"]
    ref = await get_json(
        client, f"/api/imageinstance/{instance}/sliceinstance/reference.json", alice
    )
    listed = await get_json(client, f"/api/imageinstance/{instance}/sliceinstance.json", alice)
    assert (ref["image"], ref["channel"], ref["zStack"], ref["time"]) == (instance, 0, 0, 0)
    assert [s["id"] for s in listed["collection"]] == [ref["id"]]


async def test_abstract_slices_are_listed_by_image_and_by_upload(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    by_image = await get_json(
        client, f"/api/abstractimage/{seeded['image']['id']}/abstractslice.json", alice
    )
    by_upload = await get_json(
        client, f"/api/uploadedfile/{seeded['upload']['id']}/abstractslice.json", alice
    )
    assert by_image["collection"] == by_upload["collection"] and by_image["size"] == 1


async def test_abstract_image_list_tells_whether_an_image_is_in_a_project(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    other = await make_project(client, alice, name="P2")
    here = await get_json(client, f"/api/abstractimage.json?project={seeded['project']}", alice)
    there = await get_json(client, f"/api/abstractimage.json?project={other['id']}", alice)
    assert [i["inProject"] for i in here["collection"]] == [True]
    assert [i["inProject"] for i in there["collection"]] == [False]


@pytest.mark.parametrize(("who", "expected"), [("alice", 1), ("bob", 0)])
async def test_uploaded_files_are_listed_for_storage_users_only(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    seeded: dict[str, Any],
    who: str,
    expected: int,
) -> None:
    listed = await get_json(client, "/api/uploadedfile.json", {"alice": alice, "bob": bob}[who])
    assert listed["size"] == expected


async def test_uploaded_file_with_images_in_projects_cannot_be_deleted(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    r = await client.delete(f"/api/uploadedfile/{seeded['upload']['id']}.json", auth=auth(alice))
    assert r.status_code == 403, r.text


async def test_deleting_an_unused_uploaded_file_removes_its_bytes(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any], storage_root: Path
) -> None:
    await client.delete(f"/api/imageinstance/{seeded['instance']['id']}.json", auth=auth(alice))
    r = await client.delete(f"/api/uploadedfile/{seeded['upload']['id']}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert not (storage_root / seeded["upload"]["path"]).exists()


async def test_companion_files_of_an_image_are_an_empty_collection(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    url = f"/api/abstractimage/{seeded['image']['id']}/companionfile.json?max=0&offset=0"
    listed = await get_json(client, url, alice)
    assert (listed["collection"], listed["size"]) == ([], 0)


async def test_abstract_image_used_in_a_project_cannot_be_deleted(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    r = await client.delete(f"/api/abstractimage/{seeded['image']['id']}.json", auth=auth(alice))
    assert r.status_code == 403, r.text


async def test_unused_abstract_image_can_be_deleted(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    await client.delete(f"/api/imageinstance/{seeded['instance']['id']}.json", auth=auth(alice))
    unused = await get_json(client, "/api/abstractimage/unused.json", alice)
    r = await client.delete(f"/api/abstractimage/{seeded['image']['id']}.json", auth=auth(alice))
    assert [i["id"] for i in unused["collection"]] == [seeded["image"]["id"]]
    assert r.status_code == 200, r.text


async def test_abstract_image_user_is_the_uploader(
    client: AsyncTestClient, alice: NewAccount, seeded: dict[str, Any]
) -> None:
    got = await get_json(client, f"/api/abstractimage/{seeded['image']['id']}/user.json", alice)
    assert got["id"] == alice.id


async def test_image_server_lists_the_formats_it_reads(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    listed = await get_json(client, "/api/imageserver/format.json", alice)
    assert {"TIFF", "SVS"} <= {f["id"] for f in listed["collection"]}


@pytest.mark.parametrize(
    ("width", "height", "zoom"),
    [(100, 80, 0), (256, 256, 0), (257, 10, 1), (2048, 1536, 3), (60000, 40000, 8)],
)
async def test_zoom_counts_the_halvings_down_to_one_tile(
    db: asyncpg.Connection, width: int, height: int, zoom: int
) -> None:
    assert await db.fetchval("SELECT normalized_zoom($1, $2)", width, height) == zoom
