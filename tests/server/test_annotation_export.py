"""Streamed exports (GeoJSON, NDJSON) and Cytomine's CSV annotation reports."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

SHAPES = [
    "POLYGON ((10.25 20.5, 30.125 20.5, 30.125 40.75, 10.25 40.75, 10.25 20.5))",
    "POINT (100.5 200.25)",
    "LINESTRING (1 1, 50.5 60.25, 70 3)",
    "MULTIPOLYGON (((1 1, 5 1, 5 5, 1 5, 1 1)), ((10 10, 15 10, 15 15, 10 15, 10 10)))",
    "POLYGON ((100 100, 200 100, 200 200, 100 200, 100 100), "
    "(120 120, 150 120, 150 150, 120 150, 120 120))",
]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    w = await make_world(client, db, alice, bob)
    for who, start in ((bob, 0), (alice, 1)):
        body = [
            {"location": shape, "image": w.image, "term": [w.terms[i % 2]]}
            for i, shape in enumerate(SHAPES)
            if i % 2 == start
        ]
        r = await client.post("/api/annotation.json", json=body, auth=auth(who))
        assert r.json()["status"] == 200, r.text
    return w


async def test_geojson_export_reimports_to_the_same_geometries_and_terms(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    r = await client.get(f"/api/imageinstance/{world.image}/annotation/export", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    assert len(r.json()["features"]) == len(SHAPES)
    before = await db.fetch(
        "SELECT st_asewkb(location) AS g, (SELECT array_agg(term_id) FROM annotation_term t"
        " WHERE t.annotation_id = a.id) AS terms FROM annotation a ORDER BY id"
    )
    await db.execute("DELETE FROM annotation")
    back = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import", content=r.content, auth=auth(alice)
    )
    assert back.status_code == 200, back.text
    after = await db.fetch(
        "SELECT st_asewkb(location) AS g, (SELECT array_agg(term_id) FROM annotation_term t"
        " WHERE t.annotation_id = a.id) AS terms FROM annotation a ORDER BY id"
    )
    assert [(x["g"], x["terms"]) for x in after] == [(x["g"], x["terms"]) for x in before]


async def test_project_export_as_ndjson_has_one_feature_per_line(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.get(
        f"/api/project/{world.project}/annotation/export.json?format=ndjson", auth=auth(alice)
    )
    assert_status(r, 200)
    lines = r.content.decode().splitlines()
    features = [msgspec.json.decode(line) for line in lines]
    assert [f["properties"]["image"] for f in features] == [world.image] * len(SHAPES)


async def test_export_is_refused_to_non_members(
    client: AsyncTestClient, guest: NewAccount, world: World
) -> None:
    r = await client.get(f"/api/imageinstance/{world.image}/annotation/export", auth=auth(guest))
    assert_status(r, 403)


@pytest.mark.parametrize(
    "path",
    [
        "/api/project/{project}/annotation/download",
        "/api/project/{project}/userannotation/download",
        "/api/annotation/method/download?project={project}",
        "/api/imageinstance/{image}/annotation/included/download"
        "?geometry=POLYGON((0 0,1000 0,1000 800,0 800,0 0))",
    ],
)
async def test_csv_report_lists_every_annotation_with_cytomine_columns(
    client: AsyncTestClient, alice: NewAccount, world: World, path: str
) -> None:
    url = path.format(project=world.project, image=world.image)
    sep = "&" if "?" in url else "?"
    r = await client.get(f"{url}{sep}format=csv", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    lines = r.content.decode().splitlines()
    assert lines[0].startswith("ID;Area (microns²);Perimeter (mm);Center X;Center Y;Image ID")
    assert len(lines) == 1 + len(SHAPES)
    assert lines[1].split(";")[7] in ('"alice"', '"bob"')


async def test_csv_report_filters_by_user_and_term(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.get(
        f"/api/project/{world.project}/annotation/download?format=csv"
        f"&users={alice.id}&terms={world.terms[1]}",
        auth=auth(alice),
    )
    rows = r.content.decode().splitlines()[1:]
    assert len(rows) == 2 and all('"alice"' in row and '"stroma"' in row for row in rows)


@pytest.mark.parametrize("fmt", ["xls", "pdf"])
async def test_other_report_formats_are_refused_naming_csv(
    client: AsyncTestClient, alice: NewAccount, world: World, fmt: str
) -> None:
    r = await client.get(
        f"/api/project/{world.project}/annotation/download?format={fmt}", auth=auth(alice)
    )
    assert_status(r, 400)
    assert "csv" in r.json()["errors"]["message"]


async def test_algo_annotation_report_lists_only_algo_annotations(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    body = {"location": SHAPES[0], "image": world.image}
    made = await client.post("/api/algoannotation.json", json=body, auth=auth(alice))
    assert made.status_code == 200, made.text
    r = await client.get(
        f"/api/project/{world.project}/algoannotation/download?format=csv", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    (row,) = r.content.decode().splitlines()[1:]
    assert row.split(";")[0] == str(made.json()["algoannotation"]["id"])
    assert "/api/algoannotation/" in row


async def test_reviewed_annotation_report_is_empty_before_any_review(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    for path in ("reviewedannotation/download?", "annotation/download?reviewed=true&"):
        r = await client.get(f"/api/project/{world.project}/{path}format=csv", auth=auth(alice))
        assert r.status_code == 200, r.text
        assert r.content.decode().splitlines()[1:] == []
