"""Image properties: vendor metadata stored at ingest, raw metadata lists, clear/populate/..."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth, make_project
from tiling import synthetic

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ABSTRACT = "be.cytomine.domain.image.AbstractImage"


class Uploaded(msgspec.Struct, kw_only=True):
    """An SVS slide uploaded by Alice into her storage and project."""

    image: int
    instance: int


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    root = tmp_path / "files"
    return Settings(database_url=database_url, auth_cache_seconds=0.0, storage_dir=str(root))


@pytest.fixture(scope="module")
def svs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("slides") / "slide.svs"
    synthetic.write(path, 600, 400, "svs", seed=3)
    return path


@pytest.fixture
async def uploaded(client: AsyncTestClient, alice: NewAccount, svs: Path) -> Uploaded:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, svs, storage, project["id"])
    assert r.status_code == 200, r.text
    [made] = r.json()[0]["images"]
    return Uploaded(image=made["image"]["id"], instance=made["imageInstances"][0]["id"])


async def _properties(client: AsyncTestClient, who: NewAccount, image: int) -> dict[str, Any]:
    r = await client.get(f"/api/domain/{ABSTRACT}/{image}/property.json", auth=auth(who))
    assert r.status_code == 200, r.text
    return {p["key"]: p["value"] for p in r.json()["collection"]}


async def _post(client: AsyncTestClient, who: NewAccount, image: int, action: str) -> Any:
    return await client.post(f"/api/abstractimage/{image}/properties/{action}.json", auth=auth(who))


async def test_ingest_stores_vendor_metadata_under_vendor_names(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    found = await _properties(client, alice, uploaded.image)
    assert found["openslide.mpp-x"] == "0.25"
    assert found["aperio.AppMag"] == "40"
    assert not [key for key in found if key.startswith("openslide.openslide.")]


async def test_pairs_given_at_upload_become_properties_and_win_over_the_file(
    client: AsyncTestClient, alice: NewAccount, svs: Path
) -> None:
    storage = await make_storage(client, alice)
    params = {
        "idStorage": storage,
        "keys": "stain,aperio.AppMag",
        "values": "HE,20",
        "sync": "true",
    }
    with svs.open("rb") as handle:
        r = await client.post(
            "/upload",
            params=params,
            files={"files[]": (svs.name, handle, "image/tiff")},
            auth=auth(alice),
        )
    assert r.status_code == 200, r.text
    image = r.json()[0]["images"][0]["image"]["id"]
    found = await _properties(client, alice, image)
    assert (found["stain"], found["aperio.AppMag"], found["openslide.mpp-x"]) == (
        "HE",
        "20",
        "0.25",
    )


@pytest.mark.parametrize("resource", ["abstractimage", "imageinstance"])
async def test_metadata_lists_raw_items_with_type_and_namespace(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, resource: str
) -> None:
    ident = uploaded.image if resource == "abstractimage" else uploaded.instance
    r = await client.get(f"/api/{resource}/{ident}/metadata.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    items = r.json()["collection"]
    assert {"key": "mpp-x", "value": "0.25", "type": "DECIMAL", "namespace": "OPENSLIDE"} in items
    assert r.json()["size"] == len(items)


async def test_clear_deletes_the_image_properties(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await _post(client, alice, uploaded.image, "clear")
    assert (r.status_code, r.json()) == (200, {})
    assert await _properties(client, alice, uploaded.image) == {}


async def test_populate_adds_missing_keys_and_keeps_set_values(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, uploaded: Uploaded
) -> None:
    await db.execute("DELETE FROM property WHERE key = 'aperio.AppMag'")
    await db.execute("UPDATE property SET value = 'mine' WHERE key = 'openslide.mpp-x'")
    assert (await _post(client, alice, uploaded.image, "populate")).status_code == 200
    found = await _properties(client, alice, uploaded.image)
    assert (found["aperio.AppMag"], found["openslide.mpp-x"]) == ("40", "mine")


async def test_regenerate_puts_the_file_values_back(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, uploaded: Uploaded
) -> None:
    await db.execute("UPDATE property SET value = 'mine' WHERE key = 'openslide.mpp-x'")
    assert (await _post(client, alice, uploaded.image, "regenerate")).status_code == 200
    assert (await _properties(client, alice, uploaded.image))["openslide.mpp-x"] == "0.25"


async def test_extract_refreshes_the_optics_from_the_file(
    client: AsyncTestClient, alice: NewAccount, db: asyncpg.Connection, uploaded: Uploaded
) -> None:
    await db.execute(
        "UPDATE abstract_image SET physical_size_x = NULL, magnification = NULL WHERE id = $1",
        uploaded.image,
    )
    assert (await _post(client, alice, uploaded.image, "extract")).status_code == 200
    got = (await client.get(f"/api/abstractimage/{uploaded.image}.json", auth=auth(alice))).json()
    assert (got["physicalSizeX"], got["magnification"]) == (0.25, 40)


@pytest.mark.parametrize("action", ["clear", "populate", "extract", "regenerate"])
async def test_outsiders_cannot_change_image_properties(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded, action: str
) -> None:
    assert (await _post(client, bob, uploaded.image, action)).status_code == 403


async def test_outsiders_cannot_read_the_metadata(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/abstractimage/{uploaded.image}/metadata.json"
    assert (await client.get(url, auth=auth(bob))).status_code == 403


async def test_a_missing_image_is_not_found(client: AsyncTestClient, alice: NewAccount) -> None:
    assert (await _post(client, alice, 999999, "populate")).status_code == 404
