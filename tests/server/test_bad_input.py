"""Malformed input is a 400 with a JSON message, never a 500.

Unicode digits pass ``str.isdigit()`` but not ``int()``, ids beyond bigint overflow the
database, deep JSON exhausts recursion, and a very long name overflows a btree index row.
"""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# Superscript two (isdigit, not int), Arabic-Indic one (int accepts it), beyond bigint, negative.
BAD_IDS = ["\u00b2", "\u0661", "99999999999999999999", "-1", "1e3", " "]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def _bad_request(r: object) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    assert status == 400, (status, r.text)  # type: ignore[attr-defined]
    assert r.json()["errors"]["message"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(
    "params",
    [
        {"users": "{v}"},
        {"image": "{v}"},
        {"terms": "1,{v}"},
        {"bboxAnnotation": "{v}"},
        {"baseAnnotation": "{v}", "maxDistanceBaseAnnotation": "5"},
        {"excludedAnnotation": "{v}"},
    ],
)
async def test_listing_ids_must_be_plain_ids(
    client: AsyncTestClient, alice: NewAccount, world: World, value: str, params: dict[str, str]
) -> None:
    if value == " " and "baseAnnotation" not in params:
        pytest.skip("a blank filter is no filter")
    query = {k: v.format(v=value) for k, v in params.items()}
    _bad_request(await client.get("/api/annotation.json", params=query, auth=auth(alice)))
    body = await client.post("/api/annotation/search.json", json=query, auth=auth(alice))
    _bad_request(body)


@pytest.mark.parametrize("value", BAD_IDS[:4])
async def test_included_annotation_must_be_an_id(
    client: AsyncTestClient, alice: NewAccount, world: World, value: str
) -> None:
    for suffix in ("included.json", "included/download"):
        url = f"/api/imageinstance/{world.image}/annotation/{suffix}"
        r = await client.get(url, params={"annotation": value}, auth=auth(alice))
        _bad_request(r)


@pytest.mark.parametrize("value", BAD_IDS[:4])
async def test_other_id_lists_must_be_plain_ids(
    client: AsyncTestClient, alice: NewAccount, world: World, value: str
) -> None:
    base = await create(client, alice, world.image, sq(10, 10))
    urls = [
        f"/api/annotation/{base['id']}/term/{value}.json",
        f"/api/user/{value}.json",
    ]
    for url in urls:
        r = await client.get(url, auth=auth(alice))
        assert r.status_code in (400, 404), (url, r.status_code, r.text)
    r = await client.get(
        f"/api/project/{world.project}/annotation/download",
        params={"format": "csv", "users": value, "terms": "", "images": ""},
        auth=auth(alice),
    )
    _bad_request(r)


@pytest.mark.parametrize(
    "url", ["/api/project.json", "/api/annotation.json", "/api/annotation/search.json"]
)
async def test_deeply_nested_json_is_a_bad_request(
    client: AsyncTestClient, alice: NewAccount, world: World, url: str
) -> None:
    depth = 50_000
    body = b'{"name":' + b"[" * depth + b"]" * depth + b"}"
    r = await client.post(
        url, content=body, headers={"Content-Type": "application/json"}, auth=auth(alice)
    )
    _bad_request(r)


async def test_a_megabyte_name_is_a_bad_request(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    huge = "x" * 1_000_000
    r = await client.post("/api/project.json", json={"name": huge}, auth=auth(alice))
    _bad_request(r)
    r = await client.put(
        f"/api/project/{world.project}.json", json={"name": huge}, auth=auth(alice)
    )
    _bad_request(r)
    assert await db.fetchval("SELECT count(*) FROM project") == 1
