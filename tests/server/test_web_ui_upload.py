"""Upload from the Web UI's storage page, request by request as the browser sends them.

The page preselects the storage whose ``userId`` is the current user, asks the server to
sign ``POST {PIMS_URL}/upload?idStorage=…&idProject=…`` for an ISO-8601 date
(``GET /api/signature.json``), then posts the file with ``authorization: CYTOMINE pub:sig``,
``dateFull`` and ``content-type-full: null``, and polls the uploaded file until it is finished.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.iam_flow import password_grant
from tests.server.image_helpers import make_storage, write_pyramid
from tests.server.project_helpers import make_project
from tests.server.serving_helpers import settings_fixture, storage_root_fixture
from tests.signing import BearerAuth, bearer_token

_FIXTURES = (settings_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# The statuses the storage page treats as finished (web-ui UploadedFileStatus).
DEPLOYED, CONVERTED = 100, 104


@pytest.fixture(scope="module")
def small_slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pyramid(tmp_path_factory.mktemp("slides") / "small.tif", 512, 384)


async def _login(client: AsyncTestClient, username: str) -> BearerAuth:
    r = await password_grant(client, username, f"{username}-password")
    return bearer_token(r.json()["access_token"])


def _iso(when: datetime) -> str:
    """``new Date().toISOString()``: milliseconds and a ``Z``."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def _sign(client: AsyncTestClient, token: BearerAuth, query: str, date: str) -> str:
    """``Cytomine.instance.fetchSignature`` as CytomineStorage.vue calls it."""
    params = {
        "method": "POST",
        "forwardURI": "http://testserver.local/upload",
        "queryString": query,
        "date": date,
    }
    r = await client.get("/api/signature.json", params=params, auth=token)
    assert r.status_code == 200, r.text
    return str(r.json()["signature"])


async def _post(client: AsyncTestClient, path: Path, query: str, headers: dict[str, str]) -> Any:
    with path.open("rb") as handle:
        files = {"files[]": (path.name, handle, "image/tiff")}
        return await client.post(f"/upload?{query}", files=files, headers=headers)


async def _preselected_storage(client: AsyncTestClient, token: BearerAuth, me: int) -> int:
    rows = (await client.get("/api/storage.json", auth=token)).json()["collection"]
    mine = next(s for s in rows if s["userId"] == me)  # storages.find(s => s.userId === me)
    assert all(s["user"] == s["userId"] for s in rows)
    return int(mine["id"])


async def _primary_key(client: AsyncTestClient, token: BearerAuth) -> str:
    return str((await client.get("/api/user/current/keys", auth=token)).json()["primaryKey"])


async def _finished(client: AsyncTestClient, token: BearerAuth, uploaded: int) -> dict[str, Any]:
    """Poll ``uploadedfile/{id}.json`` like the page does, until it leaves the pending ones."""
    for _ in range(100):
        body: dict[str, Any] = (
            await client.get(f"/api/uploadedfile/{uploaded}.json", auth=token)
        ).json()
        if body["status"] >= DEPLOYED:
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"uploaded file {uploaded} still pending: {body}")


async def test_the_storage_page_upload_succeeds(
    client: AsyncTestClient, alice: NewAccount, small_slide: Path
) -> None:
    token = await _login(client, "alice")
    project = await make_project(client, alice)
    storage = await _preselected_storage(client, token, alice.id)
    query = urlencode({"idStorage": storage, "idProject": project["id"]})
    date = _iso(datetime.now(UTC))
    signature = await _sign(client, token, query, date)
    headers = {
        "authorization": f"CYTOMINE {await _primary_key(client, token)}:{signature}",
        "dateFull": date,
        "content-type-full": "null",
    }
    r = await _post(client, small_slide, query, headers)
    assert r.status_code == 200, r.text
    uploaded = r.json()[0]["uploadedFile"]["id"]
    done = await _finished(client, token, uploaded)
    assert done["status"] in (DEPLOYED, CONVERTED)
    listing = await client.get(
        "/api/uploadedfile.json",
        params={"max": 10, "offset": 0, "sort": "created", "order": "desc"},
        auth=token,
    )
    [row] = listing.json()["collection"]
    assert (row["id"], row["originalFilename"], row["status"]) == (uploaded, "small.tif", DEPLOYED)
    assert row["size"] == small_slide.stat().st_size
    assert row["created"]
    assert row["thumbnailUrl"].startswith("http://testserver.local/api/abstractimage/")
    # ImageThumbnail.vue: format and size swapped in, the token as a query parameter.
    thumb = row["thumbnailUrl"].replace(".png", ".webp")
    picture = await client.get(
        thumb, params={"maxSize": 128, "authorization": f"Bearer {token.token}"}
    )
    assert (picture.status_code, picture.headers["content-type"]) == (200, "image/webp")
    images = await client.get(f"/api/project/{project['id']}/imageinstance.json", auth=token)
    assert images.json()["size"] == 1


async def test_a_stale_date_full_is_refused(
    client: AsyncTestClient, alice: NewAccount, small_slide: Path
) -> None:
    token = await _login(client, "alice")
    storage = await make_storage(client, alice)
    query = urlencode({"idStorage": storage, "idProject": ""})
    date = _iso(datetime.now(UTC) - timedelta(hours=1))
    signature = await _sign(client, token, query, date)
    headers = {
        "authorization": f"CYTOMINE {alice.public_key}:{signature}",
        "dateFull": date,
        "content-type-full": "null",
    }
    r = await _post(client, small_slide, query, headers)
    assert_status(r, 401)
    assert "away from the server clock" in r.json()["errors"]["message"]


async def test_a_signature_for_another_storage_is_refused(
    client: AsyncTestClient, alice: NewAccount, small_slide: Path
) -> None:
    token = await _login(client, "alice")
    storage = await make_storage(client, alice)
    other = await make_storage(client, alice, "S2")
    date = _iso(datetime.now(UTC))
    signature = await _sign(client, token, f"idStorage={storage}&idProject=", date)
    headers = {
        "authorization": f"CYTOMINE {alice.public_key}:{signature}",
        "dateFull": date,
        "content-type-full": "null",
    }
    r = await _post(client, small_slide, f"idStorage={other}&idProject=", headers)
    assert_status(r, 401)
    assert r.json()["errors"]["message"] == "Bad signature"


async def test_no_storage_chosen_is_a_clear_400(
    client: AsyncTestClient, alice: NewAccount, small_slide: Path
) -> None:
    # With no storage preselected the page never signs: the header has an empty signature.
    headers = {
        "authorization": f"CYTOMINE {alice.public_key}:",
        "dateFull": _iso(datetime.now(UTC)),
        "content-type-full": "null",
    }
    r = await _post(client, small_slide, "idStorage=null&idProject=", headers)
    assert_status(r, 400)
    assert "No storage chosen" in r.json()["errors"]["message"]
