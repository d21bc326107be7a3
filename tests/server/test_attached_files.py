"""Attached files: multipart uploads on domain objects, listing, download, delete, rights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount, create_account
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

PROJECT = "be.cytomine.domain.project.Project"
IMAGE = "be.cytomine.domain.image.ImageInstance"
ABSTRACT = "be.cytomine.domain.image.AbstractImage"
ANNOTATION = "be.cytomine.domain.ontology.UserAnnotation"


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path) -> Settings:
    return Settings(
        database_url=database_url, auth_cache_seconds=0.0, storage_dir=str(storage_root)
    )


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project (Bob contributes), its image and one annotation of Alice's."""

    world: World
    annotation: int
    abstract: int


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    world = await make_world(client, db, alice, bob)
    annotation = await create(client, alice, world.image, square(10, 10))
    sql = "SELECT base_image_id FROM image_instance WHERE id = $1"
    abstract = await db.fetchval(sql, world.image)
    return Scene(world=world, annotation=annotation["id"], abstract=abstract)


def _ident(scene: Scene, cls: str) -> int:
    idents = {PROJECT: scene.world.project, IMAGE: scene.world.image, ABSTRACT: scene.abstract}
    return idents.get(cls, scene.annotation)


async def _attach(
    client: AsyncTestClient,
    who: NewAccount,
    cls: str,
    ident: int,
    content: bytes = b"hello",
    **params: Any,
) -> Any:
    query = {"domainClassName": cls, "domainIdent": ident, **params}
    files = {"files[]": ("notes/report.txt", content, "text/plain")}
    return await client.post("/api/attachedfile.json", params=query, files=files, auth=auth(who))


async def test_upload_answers_the_bare_attached_file(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    r = await _attach(client, alice, ANNOTATION, scene.annotation, key="report")
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json(), c.AttachedFile)
    assert obj.class_ == "be.cytomine.domain.meta.AttachedFile"
    assert (obj.domain_class_name, obj.domain_ident) == (ANNOTATION, scene.annotation)
    assert (obj.filename, obj.key) == ("report.txt", "report")
    assert obj.url == f"/api/attachedfile/{obj.id}/download"


async def test_form_fields_name_the_object_as_the_js_client_sends_them(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    form = {
        "domainClassName": PROJECT,
        "domainIdent": str(scene.world.project),
        "filename": "null",
        "key": "null",
    }
    files = {"files[]": ("blob", b"x", "application/octet-stream")}
    r = await client.post("/api/attachedfile.json", data=form, files=files, auth=auth(alice))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["domainIdent"], got["filename"], got["key"]) == (scene.world.project, "blob", None)


async def test_filename_parameter_names_the_file(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    r = await _attach(client, alice, IMAGE, scene.world.image, filename="renamed.csv")
    assert r.json()["filename"] == "renamed.csv"


@pytest.mark.parametrize("suffix", ["download", "download.json"])
async def test_download_answers_the_bytes_as_an_attachment(
    client: AsyncTestClient, alice: NewAccount, scene: Scene, suffix: str
) -> None:
    made = (await _attach(client, alice, IMAGE, scene.world.image, b"payload")).json()
    r = await client.get(f"/api/attachedfile/{made['id']}/{suffix}", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.content == b"payload"
    assert 'filename="report.txt"' in r.headers["content-disposition"]
    assert r.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize("name", [ANNOTATION, "annotation", "be.cytomine.ontology.UserAnnotation"])
async def test_domain_listing_answers_the_files_of_one_object(
    client: AsyncTestClient, alice: NewAccount, scene: Scene, name: str
) -> None:
    made = (await _attach(client, alice, ANNOTATION, scene.annotation)).json()
    await _attach(client, alice, IMAGE, scene.world.image)
    url = f"/api/domain/{name}/{scene.annotation}/attachedfile.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert [f["id"] for f in r.json()["collection"]] == [made["id"]]


async def test_one_attached_file_is_read_by_id(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    made = (await _attach(client, alice, PROJECT, scene.world.project)).json()
    r = await client.get(f"/api/attachedfile/{made['id']}.json", auth=auth(alice))
    assert r.json() == made


async def test_delete_answers_the_envelope_and_removes_the_bytes(
    client: AsyncTestClient, alice: NewAccount, scene: Scene, storage_root: Path
) -> None:
    made = (await _attach(client, alice, IMAGE, scene.world.image)).json()
    r = await client.delete(f"/api/attachedfile/{made['id']}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["attachedfile"] == made
    assert r.json()["callback"]["method"] == "be.cytomine.DeleteAttachedFileCommand"
    assert not list((storage_root / "attachedfile").rglob("*.txt"))
    gone = await client.get(f"/api/attachedfile/{made['id']}.json", auth=auth(alice))
    assert_status(gone, 404)


async def test_put_uploads_like_post(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    query = {"domainClassName": IMAGE, "domainIdent": scene.world.image}
    files = {"files[]": ("a.txt", b"a", "text/plain")}
    r = await client.put("/api/attachedfile.json", params=query, files=files, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["filename"] == "a.txt"


async def test_rich_text_editor_upload_reads_the_image_field(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    query = {"domainClassName": PROJECT, "domainIdent": scene.world.project}
    files = {"image": ("pic.png", b"\x89PNG", "image/png")}
    r = await client.post(
        "/api/attachedfileRTEditor.json", params=query, files=files, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    assert r.json()["url"] == f"/api/attachedfile/{r.json()['id']}/download"


@pytest.mark.parametrize(
    ("cls", "restricted", "status"),
    [
        (PROJECT, False, 403),
        (IMAGE, False, 200),
        (ANNOTATION, False, 200),
        (ANNOTATION, True, 403),
        (ABSTRACT, True, 200),
    ],
)
async def test_contributors_attach_where_the_objects_metadata_rules_allow(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    bob: NewAccount,
    scene: Scene,
    cls: str,
    restricted: bool,
    status: int,
) -> None:
    sql = "UPDATE project SET is_restricted = $2 WHERE id = $1"
    await db.execute(sql, scene.world.project, restricted)
    r = await _attach(client, bob, cls, _ident(scene, cls))
    assert r.status_code == status, r.text


async def test_outsiders_cannot_read_an_objects_files(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    made = (await _attach(client, alice, IMAGE, scene.world.image)).json()
    dave = await create_account(db, username="dave", password="dave-password", rank=2)
    for url in (f"/api/attachedfile/{made['id']}.json", f"/api/attachedfile/{made['id']}/download"):
        assert (await client.get(url, auth=auth(dave))).status_code == 403


@pytest.mark.parametrize(("reader", "seen"), [("alice", 1), ("dave", 0), ("admin", 1)])
async def test_global_listing_shows_files_of_readable_objects(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    admin: NewAccount,
    alice: NewAccount,
    scene: Scene,
    reader: str,
    seen: int,
) -> None:
    await _attach(client, alice, PROJECT, scene.world.project)
    dave = await create_account(db, username="dave", password="dave-password", rank=2)
    who = {"alice": alice, "dave": dave, "admin": admin}[reader]
    r = await client.get("/api/attachedfile.json", auth=auth(who))
    assert r.json()["size"] == seen


@pytest.mark.parametrize(
    ("params", "files"),
    [
        ({"domainClassName": PROJECT}, {"files[]": ("a.txt", b"a", "text/plain")}),
        ({"domainClassName": PROJECT, "domainIdent": "x"}, {"files[]": ("a.txt", b"a")}),
        ({"domainClassName": "Nothing", "domainIdent": 1}, {"files[]": ("a.txt", b"a")}),
        ({"domainClassName": PROJECT, "domainIdent": 1}, {"other": ("a.txt", b"a")}),
    ],
)
async def test_bad_uploads_are_refused_and_leave_no_file(
    client: AsyncTestClient,
    alice: NewAccount,
    scene: Scene,
    storage_root: Path,
    params: dict[str, Any],
    files: dict[str, Any],
) -> None:
    r = await client.post("/api/attachedfile.json", params=params, files=files, auth=auth(alice))
    assert r.status_code == 400, r.text
    assert not [p for p in storage_root.rglob("*") if p.is_file()]


async def test_deleting_the_object_forgets_its_files(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    await _attach(client, alice, ANNOTATION, scene.annotation)
    r = await client.delete(f"/api/annotation/{scene.annotation}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert await db.fetchval("SELECT count(*) FROM attached_file") == 0
