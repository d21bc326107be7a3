"""POST /upload: files stream to the storage root, large-image reads them, rows follow."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

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
def corrupt(tmp_path: Path, slide: Path) -> Path:
    damaged = tmp_path / "damaged.tif"
    damaged.write_bytes(slide.read_bytes()[:5000])
    return damaged


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


async def test_sync_upload_answers_the_uploaded_file_image_and_instance(
    client: AsyncTestClient, alice: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, slide, storage, project["id"])
    assert r.status_code == 200, r.text
    [answer] = r.json()
    assert answer["uploadedFile"]["statusText"] == "DEPLOYED"
    [made] = answer["images"]
    assert made["image"]["width"] == WIDTH and made["image"]["height"] == HEIGHT
    assert [i["project"] for i in made["imageInstances"]] == [project["id"]]


async def test_upload_reads_the_image_metadata(
    client: AsyncTestClient, alice: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, alice)
    r = await upload(client, alice, slide, storage)
    image = r.json()[0]["images"][0]["image"]
    assert {
        k: image[k]
        for k in ("zoom", "tileSize", "magnification", "physicalSizeX", "channels", "depth")
    } == {
        "zoom": 3,
        "tileSize": 256,
        "magnification": None,
        "physicalSizeX": 0.25,
        "channels": 1,
        "depth": 1,
    }


async def test_upload_stores_the_file_under_the_storage_root(
    client: AsyncTestClient, alice: NewAccount, slide: Path, storage_root: Path
) -> None:
    storage = await make_storage(client, alice)
    r = await upload(client, alice, slide, storage)
    uploaded = r.json()[0]["uploadedFile"]
    assert stored_files(storage_root) == [storage_root / uploaded["path"]]
    assert (storage_root / uploaded["path"]).read_bytes() == slide.read_bytes()


async def test_upload_keeps_the_project_image_counter(
    client: AsyncTestClient, alice: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    await upload(client, alice, slide, storage, project["id"])
    r = await client.get(f"/api/project/{project['id']}.json", auth=auth(alice))
    assert r.json()["numberOfImages"] == 1


async def test_corrupt_upload_ends_in_an_error_status_with_a_message(
    client: AsyncTestClient, alice: NewAccount, corrupt: Path
) -> None:
    storage = await make_storage(client, alice)
    r = await upload(client, alice, corrupt, storage)
    assert r.status_code == 200, r.text
    [answer] = r.json()
    assert answer["uploadedFile"]["statusText"].startswith("ERROR_")
    assert answer["images"] == [] and "corrupt" in answer["error"]


async def test_corrupt_upload_leaves_no_image_rows_or_files(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    corrupt: Path,
    storage_root: Path,
) -> None:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    await upload(client, alice, corrupt, storage, project["id"])
    counts = await db.fetchrow(
        "SELECT (SELECT count(*) FROM abstract_image) AS images,"
        " (SELECT count(*) FROM image_instance) AS instances,"
        " (SELECT count(*) FROM uploaded_file) AS uploads"
    )
    assert dict(counts) == {"images": 0, "instances": 0, "uploads": 1}
    assert stored_files(storage_root) == []


async def test_async_upload_deploys_after_answering(
    client: AsyncTestClient, alice: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, slide, storage, project["id"], sync=False)
    uploaded = r.json()[0]["uploadedFile"]
    listed = await client.get(f"/api/project/{project['id']}/imageinstance.json", auth=auth(alice))
    assert uploaded["statusText"] == "DETECTING_FORMAT"
    assert listed.json()["size"] == 1


@pytest.mark.parametrize("who", ["bob", "guest"])
async def test_upload_into_a_storage_the_caller_cannot_use_is_forbidden(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
    slide: Path,
    storage_root: Path,
    who: str,
) -> None:
    storage = await make_storage(client, alice)
    r = await upload(client, {"bob": bob, "guest": guest}[who], slide, storage)
    assert r.status_code == 403, r.text
    assert stored_files(storage_root) == []


async def test_upload_into_a_project_the_caller_cannot_write_is_forbidden(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, slide: Path
) -> None:
    storage = await make_storage(client, bob)
    project = await make_project(client, alice)
    r = await upload(client, bob, slide, storage, project["id"])
    assert r.status_code == 403, r.text


async def test_upload_without_a_storage_is_refused(
    client: AsyncTestClient, alice: NewAccount, slide: Path
) -> None:
    with slide.open("rb") as handle:
        r = await client.post("/upload", files={"files[]": ("s.tif", handle)}, auth=auth(alice))
    assert r.status_code == 400, r.text


async def test_truncated_multipart_body_is_refused_and_leaves_no_file(
    client: AsyncTestClient, alice: NewAccount, storage_root: Path
) -> None:
    storage = await make_storage(client, alice)
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="files[]"; filename="s.tif"\r\n'
        b"Content-Type: image/tiff\r\n\r\n" + b"\0" * 100_000
    )
    r = await client.post(
        f"/upload?storage={storage}",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=xyz"},
        auth=auth(alice),
    )
    assert r.status_code == 400, r.text
    assert stored_files(storage_root) == []
