"""``areImagesDownloadable``: only managers and admins download originals when it is false
(the original from an image instance, a slice or an abstract image, and a companion file,
which holds the image's data too).

The storage that holds the file (its owner and members) may always download it; a signed
picture URL never downloads an original (it is meant for tiles and is public for days).
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)
KINDS = ["imageinstance", "sliceinstance", "abstractimage"]


def _url(uploaded: Uploaded, kind: str) -> str:
    ident = {"imageinstance": uploaded.instance, "abstractimage": uploaded.abstract}.get(
        kind, uploaded.slice
    )
    return f"/api/{kind}/{ident}/download"


async def _download_url(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    owner: NewAccount,
    uploaded: Uploaded,
    kind: str,
) -> str:
    """The download URL of ``kind``; a companion file is made of the slide's uploaded file."""
    if kind != "companionfile":
        return _url(uploaded, kind)
    upload = await db.fetchval(
        "SELECT uploaded_file_id FROM abstract_image WHERE id = $1", uploaded.abstract
    )
    body = {
        "image": uploaded.abstract,
        "uploadedFile": upload,
        "originalFilename": "slide.tif",
        "filename": "slide.tif",
        "type": "HDF5",
    }
    r = await client.post("/api/companionfile.json", json=body, auth=auth(owner))
    assert r.status_code == 200, r.text
    return f"/api/companionfile/{r.json()['companionfile']['id']}/download"


async def _project(db: asyncpg.Connection, uploaded: Uploaded) -> int:
    return int(
        await db.fetchval("SELECT project_id FROM image_instance WHERE id = $1", uploaded.instance)
    )


@pytest.mark.parametrize("kind", [*KINDS, "companionfile"])
async def test_contributor_cannot_download_when_the_project_forbids_it(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    uploaded: Uploaded,
    slide: Path,
    kind: str,
) -> None:
    project = await _project(db, uploaded)
    url = await _download_url(client, db, alice, uploaded, kind)
    r = await client.post(f"/api/project/{project}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    await db.execute("UPDATE project SET are_images_downloadable = false WHERE id = $1", project)
    refused = await client.get(url, auth=auth(bob))
    assert refused.status_code == 403, refused.text
    opened = await client.get("/session/admin/open.json", auth=auth(admin))
    assert opened.status_code == 200, opened.text
    for who in (alice, admin):  # the manager (and storage owner), an admin
        r = await client.get(url, auth=auth(who))
        assert r.status_code == 200 and r.content == slide.read_bytes()
    await db.execute("UPDATE project SET are_images_downloadable = true WHERE id = $1", project)
    allowed = await client.get(url, auth=auth(bob))
    assert allowed.status_code == 200 and allowed.content == slide.read_bytes()


@pytest.mark.parametrize("kind", KINDS)
async def test_a_signed_picture_url_does_not_download_the_original(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    uploaded: Uploaded,
    kind: str,
) -> None:
    await db.execute("UPDATE project SET are_images_downloadable = true")
    ident = _url(uploaded, kind).split("/")[3]
    r = await client.get(f"/api/{kind}/{ident}/tileurl.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    signed = await client.get(f"{_url(uploaded, kind)}?{r.json()['query']}")
    assert signed.status_code == 403, signed.text
