"""Job data: declared, uploaded (multipart or raw), read, renamed, deleted; sizes enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.job_helpers import MadeJob, job_settings, make_job
from tests.server.project_helpers import auth, make_project
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

LIMIT = 1000


@pytest.fixture
def storage_root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(database_url: str, storage_root: Path) -> Settings:
    return job_settings(database_url, storage_root, job_data_max_bytes=LIMIT)


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project with Bob as a member and one job launched by Alice."""

    project: int
    made: MadeJob
    job_auth: CytomineAuth


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    project = await make_project(client, alice)
    r = await client.post(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert_status(r, 200)
    made = await make_job(db, project["id"], alice.id)
    return Scene(
        project=project["id"],
        made=made,
        job_auth=CytomineAuth(made.public_key, made.private_key),
    )


async def _declare(
    client: AsyncTestClient, who: Any, job: int, key: str = "result", name: str = "out.csv"
) -> dict[str, Any]:
    body = {"job": job, "key": key, "filename": name}
    r = await client.post("/api/jobdata.json", json=body, auth=who)
    assert_status(r, 200)
    return dict(r.json()["jobdata"])


async def _upload(client: AsyncTestClient, who: Any, data_id: int, content: bytes) -> Any:
    files = {"files[]": ("/somewhere/local/out.csv", content, "text/csv")}
    return await client.post(f"/api/jobdata/{data_id}/upload", files=files, auth=who)


async def test_a_job_declares_a_file_then_uploads_it_and_members_download_it(
    client: AsyncTestClient, scene: Scene, bob: NewAccount, storage_root: Path
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    assert declared["size"] is None
    assert declared["class"] == "be.cytomine.processing.JobData"
    r = await _upload(client, scene.job_auth, declared["id"], b"a,b\n1,2\n")
    assert_status(r, 200)
    assert r.json()["size"] == 8
    got = await client.get(f"/api/jobdata/{declared['id']}/download", auth=auth(bob))
    assert_status(got, 200)
    assert got.content == b"a,b\n1,2\n"
    assert got.headers["content-disposition"].startswith("attachment")
    assert (storage_root / "jobdata" / str(declared["id"]) / "out.csv").read_bytes() == got.content


async def test_a_raw_body_is_the_file(client: AsyncTestClient, scene: Scene) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job, name="mask.png")
    url = f"/api/jobdata/{declared['id']}/upload"
    headers = {"content-type": "image/png"}
    r = await client.put(url, content=b"\x89PNG-bytes", headers=headers, auth=scene.job_auth)
    assert_status(r, 200)
    view = await client.get(f"/api/jobdata/{declared['id']}/view", auth=scene.job_auth)
    assert view.content == b"\x89PNG-bytes"
    assert view.headers["content-type"] == "image/png"
    assert view.headers["content-disposition"].startswith("inline")


@pytest.mark.parametrize(
    ("name", "media_type"), [("page.html", "text/html"), ("drawing.svg", "image/svg+xml")]
)
async def test_a_page_or_svg_is_never_shown_inline(
    client: AsyncTestClient, scene: Scene, name: str, media_type: str
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job, name=name)
    url = f"/api/jobdata/{declared['id']}/upload"
    headers = {"content-type": media_type}
    await client.put(url, content=b"<script>1</script>", headers=headers, auth=scene.job_auth)
    view = await client.get(f"/api/jobdata/{declared['id']}/view", auth=scene.job_auth)
    assert view.headers["content-disposition"].startswith("attachment")
    assert view.headers["x-content-type-options"] == "nosniff"


async def test_a_file_over_the_limit_is_refused_with_413_and_nothing_is_kept(
    client: AsyncTestClient, scene: Scene, storage_root: Path
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    r = await _upload(client, scene.job_auth, declared["id"], b"x" * (LIMIT + 1))
    assert_status(r, 413)
    assert str(LIMIT) in r.json()["errors"]["message"]
    raw = await client.post(
        f"/api/jobdata/{declared['id']}/upload",
        content=b"x" * (LIMIT + 1),
        headers={"content-type": "application/octet-stream"},
        auth=scene.job_auth,
    )
    assert_status(raw, 413)
    shown = await client.get(f"/api/jobdata/{declared['id']}.json", auth=scene.job_auth)
    assert shown.json()["size"] is None
    assert not (storage_root / "jobdata").exists()
    assert list((storage_root / ".incoming").iterdir()) == []


async def test_a_file_at_the_limit_is_kept(client: AsyncTestClient, scene: Scene) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    r = await _upload(client, scene.job_auth, declared["id"], b"x" * LIMIT)
    assert_status(r, 200)
    assert r.json()["size"] == LIMIT


async def test_download_before_upload_is_404(client: AsyncTestClient, scene: Scene) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    r = await client.get(f"/api/jobdata/{declared['id']}/download", auth=scene.job_auth)
    assert_status(r, 404)
    assert "errors" in r.json()


async def test_listings_by_job_and_overall(
    client: AsyncTestClient, db: asyncpg.Connection, scene: Scene, alice: NewAccount
) -> None:
    other = await make_job(db, scene.project, alice.id)
    first = await _declare(client, scene.job_auth, scene.made.job, key="a")
    await _declare(client, auth(alice), other.job, key="b")
    by_job = await client.get(f"/api/job/{scene.made.job}/jobdata.json", auth=auth(alice))
    assert [d["id"] for d in by_job.json()["collection"]] == [first["id"]]
    listed = await client.get("/api/jobdata.json", auth=auth(alice))
    assert sorted(d["key"] for d in listed.json()["collection"]) == ["a", "b"]


async def test_update_renames_but_never_moves_to_another_job(
    client: AsyncTestClient, db: asyncpg.Connection, scene: Scene, alice: NewAccount
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    url = f"/api/jobdata/{declared['id']}.json"
    r = await client.put(url, json={"key": "mask", "filename": "m.png"}, auth=auth(alice))
    assert_status(r, 200)
    assert (r.json()["jobdata"]["key"], r.json()["jobdata"]["filename"]) == ("mask", "m.png")
    other = await make_job(db, scene.project, alice.id)
    moved = await client.put(url, json={"job": other.job}, auth=auth(alice))
    assert_status(moved, 400)


async def test_delete_removes_the_file(
    client: AsyncTestClient, scene: Scene, storage_root: Path
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    await _upload(client, scene.job_auth, declared["id"], b"bytes")
    r = await client.delete(f"/api/jobdata/{declared['id']}.json", auth=scene.job_auth)
    assert_status(r, 200)
    assert r.json()["jobdata"]["id"] == declared["id"]
    gone = await client.get(f"/api/jobdata/{declared['id']}.json", auth=scene.job_auth)
    assert_status(gone, 404)
    assert not (storage_root / "jobdata" / str(declared["id"])).exists()


@pytest.mark.parametrize(
    ("body", "missing"),
    [({"key": "k", "filename": "f"}, "job"), ({"job": 0, "filename": "f"}, "key")],
)
async def test_a_declaration_without_its_required_fields_is_400(
    client: AsyncTestClient, scene: Scene, body: dict[str, Any], missing: str
) -> None:
    body = {**body, "job": scene.made.job} if "job" in body else body
    r = await client.post("/api/jobdata.json", json=body, auth=scene.job_auth)
    assert_status(r, 400)
    assert missing in r.json()["errors"]["message"]


@pytest.mark.parametrize("bad", [{"key": ""}, {"filename": "   "}, {"key": "k" * 256}])
async def test_empty_or_long_names_are_400(
    client: AsyncTestClient, scene: Scene, bad: dict[str, Any]
) -> None:
    body = {"job": scene.made.job, "key": "k", "filename": "f", **bad}
    r = await client.post("/api/jobdata.json", json=body, auth=scene.job_auth)
    assert_status(r, 400)


async def test_a_declaration_for_an_unknown_job_is_400(
    client: AsyncTestClient, scene: Scene, alice: NewAccount
) -> None:
    body = {"job": 999_999, "key": "k", "filename": "f"}
    r = await client.post("/api/jobdata.json", json=body, auth=auth(alice))
    assert_status(r, 400)


async def test_deleting_the_job_data_of_a_job_counts_them_first_then_removes_their_files(
    client: AsyncTestClient, scene: Scene, alice: NewAccount, storage_root: Path
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    await _upload(client, scene.job_auth, declared["id"], b"bytes")
    await _declare(client, scene.job_auth, scene.made.job, key="empty")
    url = f"/api/job/{scene.made.job}/alldata.json"
    assert (await client.get(url, auth=auth(alice))).json()["jobDatas"] == 2
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert (await client.get(url, auth=auth(alice))).json()["jobDatas"] == 0
    gone = await client.get(f"/api/jobdata/{declared['id']}.json", auth=auth(alice))
    assert_status(gone, 404)
    assert list((storage_root / "jobdata").iterdir()) == []


async def test_deleting_a_job_takes_its_data_and_their_files(
    client: AsyncTestClient, scene: Scene, alice: NewAccount, storage_root: Path
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    await _upload(client, scene.job_auth, declared["id"], b"bytes")
    r = await client.delete(f"/api/job/{scene.made.job}.json", auth=auth(alice))
    assert_status(r, 200)
    gone = await client.get(f"/api/jobdata/{declared['id']}.json", auth=auth(alice))
    assert_status(gone, 404)
    assert list((storage_root / "jobdata").iterdir()) == []


async def test_files_of_data_deleted_with_their_project_are_queued_for_removal(
    client: AsyncTestClient, db: asyncpg.Connection, scene: Scene, alice: NewAccount
) -> None:
    declared = await _declare(client, scene.job_auth, scene.made.job)
    await _upload(client, scene.job_auth, declared["id"], b"bytes")
    r = await client.delete(f"/api/project/{scene.project}.json", auth=auth(alice))
    assert_status(r, 200)
    queued = await db.fetch("SELECT path FROM job_data_file_removal")
    assert [q["path"] for q in queued] == [f"jobdata/{declared['id']}/out.csv"]
