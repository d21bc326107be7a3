"""QuPath GeoJSON interchange: import QuPath's files, export what QuPath reads back.

QuPath's frame has its origin at the image's top-left corner with y down; Cytomine's
annotations have theirs at the bottom-left corner with y up. The image here is 1000 x 800.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import msgspec
import pytest
import shapely  # type: ignore[import-untyped]
import shapely.geometry  # type: ignore[import-untyped]
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.server.annotation_helpers import HEIGHT, World, create, make_image, make_world
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# A file as QuPath 0.5 writes it ("Export objects as GeoJSON", FeatureCollection, pretty
# JSON): a UUID per object, objectType, isLocked, a classification with name (or the names
# of a derived class) and an [r, g, b] colour, measurements as a map. Coordinates: y down.
QUPATH_FILE = """{
  "type": "FeatureCollection",
  "features": [
    {
      "type": "Feature",
      "id": "4d6e8a0c-1f2b-4c3d-9e8f-0a1b2c3d4e5f",
      "geometry": {
        "type": "Polygon",
        "coordinates": [
          [
            [100, 50],
            [200, 50],
            [200, 150.5],
            [100, 150.5],
            [100, 50]
          ]
        ]
      },
      "properties": {
        "objectType": "annotation",
        "classification": {
          "name": "tumour",
          "color": [255, 0, 0]
        },
        "isLocked": false,
        "measurements": {
          "Area \\u00b5m^2": 2550.0
        }
      }
    },
    {
      "type": "Feature",
      "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      "geometry": {
        "type": "MultiPolygon",
        "coordinates": [
          [[[300, 300], [340, 300], [340, 340], [300, 340], [300, 300]]],
          [[[400.25, 410.75], [450.25, 410.75], [450.25, 460.75], [400.25, 460.75],
            [400.25, 410.75]]]
        ]
      },
      "properties": {
        "objectType": "annotation",
        "classification": {
          "name": "Immune cells",
          "color": [160, 90, 160]
        },
        "isLocked": false
      }
    },
    {
      "type": "Feature",
      "id": "0f1e2d3c-4b5a-4968-8776-655443322110",
      "geometry": {
        "type": "Point",
        "coordinates": [600.5, 700.25]
      },
      "properties": {
        "objectType": "annotation",
        "classification": {
          "name": "stroma",
          "color": [0, 128, 255]
        },
        "isLocked": false
      }
    },
    {
      "type": "Feature",
      "id": "11111111-2222-4333-8444-555555555555",
      "geometry": {
        "type": "LineString",
        "coordinates": [[10, 10], [500, 20.5], [900, 790]]
      },
      "properties": {
        "objectType": "annotation",
        "isLocked": false
      }
    },
    {
      "type": "Feature",
      "id": "66666666-7777-4888-8999-aaaaaaaaaaaa",
      "geometry": {
        "type": "Polygon",
        "coordinates": [[[700, 100], [760, 100], [760, 180], [700, 180], [700, 100]]]
      },
      "properties": {
        "objectType": "detection",
        "classification": {
          "names": ["tumour", "Positive"],
          "color": [200, 50, 50]
        },
        "isLocked": false
      }
    }
  ]
}
"""


def qupath_features() -> list[dict[str, Any]]:
    return json.loads(QUPATH_FILE)["features"]  # type: ignore[no-any-return]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


@pytest.fixture
async def carol(db: asyncpg.Connection) -> NewAccount:
    return await create_account(db, username="carol", password="carol-password", rank=2)


async def load(
    client: AsyncTestClient, who: NewAccount, image: int, body: str | bytes, query: str = ""
) -> Any:
    return await client.post(
        f"/api/imageinstance/{image}/annotation/import.json?format=qupath{query}",
        content=body,
        headers={"content-type": "application/geo+json"},
        auth=auth(who),
    )


async def export(client: AsyncTestClient, who: NewAccount, image: int, query: str = "") -> Any:
    return await client.get(
        f"/api/imageinstance/{image}/annotation/export?format=qupath{query}", auth=auth(who)
    )


async def term_names(db: asyncpg.Connection, ontology: int) -> dict[str, str]:
    rows = await db.fetch("SELECT name, color FROM term WHERE ontology_id = $1", ontology)
    return {r["name"]: r["color"] for r in rows}


async def test_qupath_file_round_trips_geometry_classes_and_colours(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    r = await load(client, alice, world.image, QUPATH_FILE)
    assert r.status_code == 200, r.text
    job = r.json()
    assert (job["status"], job["format"], job["rowsLoaded"], job["rowsRejected"]) == (
        "done", "qupath", 5, 0,
    )  # fmt: skip
    # Names matching no term are counted, their features still load (without that term).
    assert job["unmatchedClasses"] == {"Immune cells": 1, "Positive": 1}
    # Stored in Cytomine's frame: QuPath's (100, 50) is (100, 800 - 50).
    stored = await db.fetchval(
        "SELECT st_astext(location) FROM annotation WHERE st_geometrytype(location) = 'ST_Point'"
    )
    assert stored == "POINT(600.5 99.75)"

    r = await export(client, alice, world.image)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    out = r.json()
    assert out["type"] == "FeatureCollection" and len(out["features"]) == 5
    # Matched by geometry: the same vertices with y down, exactly (shapely's normal form
    # only fixes where rings start and their winding, which the y flip reverses).
    sent = {normal(f["geometry"]): f for f in qupath_features()}
    got = {normal(f["geometry"]): f for f in out["features"]}
    assert set(got) == set(sent)
    for key, mine in got.items():
        assert mine["geometry"]["type"] == sent[key]["geometry"]["type"]
        props = mine["properties"]
        assert props["objectType"] == "annotation" and props["isLocked"] is False
        assert isinstance(mine["id"], str) and len(mine["id"]) == 36
        cls = sent[key]["properties"].get("classification")
        if cls is None or cls.get("name") == "Immune cells":  # no class, or no such term
            assert "classification" not in props
        elif "names" in cls:  # "Positive" is no term: only tumour is left, a plain class
            assert props["classification"] == {"name": "tumour", "color": [255, 0, 0]}
        else:
            assert props["classification"] == {"name": cls["name"], "color": [255, 0, 0]}
    tumour = next(
        f for f in out["features"]
        if f["properties"].get("classification", {}).get("name") == "tumour"
    )  # fmt: skip
    measures = tumour["properties"]["measurements"]
    assert measures == {"Area pixels²": 100 * 100.5, "Perimeter pixels": 2 * (100 + 100.5)}


def normal(geometry: dict[str, Any]) -> bytes:
    """The geometry's exact vertices in shapely's normal form (ring start and winding fixed)."""
    return bytes(shapely.to_wkb(shapely.normalize(shapely.geometry.shape(geometry))))


async def test_exact_coordinates_are_kept_in_both_directions(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    line = {"type": "LineString", "coordinates": [[10.5, 0.25], [999.75, 799.5], [3, 400.125]]}
    body = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": line, "properties": {"objectType": "annotation"}}
    ]}  # fmt: skip
    r = await load(client, alice, world.image, msgspec.json.encode(body))
    assert r.status_code == 200, r.text
    stored = await db.fetchval("SELECT st_astext(location) FROM annotation")
    assert stored == "LINESTRING(10.5 799.75,999.75 0.5,3 399.875)"
    out = (await export(client, alice, world.image)).json()["features"][0]["geometry"]
    assert out == line


async def test_known_cytomine_annotation_exports_in_qupath_frame(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(
        client, alice, world.image, "POLYGON ((10 20, 30 20, 30 40, 10 40, 10 20))",
        term=[world.terms[0]],
    )  # fmt: skip
    await db.execute("UPDATE term SET color = '#12AbEf' WHERE id = $1", world.terms[0])
    r = await export(client, alice, world.image)
    assert r.status_code == 200, r.text
    (feature,) = r.json()["features"]
    assert feature["id"] == f"00000000-0000-4000-8000-{made['id']:012x}"
    assert feature["geometry"] == {
        "type": "Polygon",
        "coordinates": [[[10, HEIGHT - 20], [30, HEIGHT - 20], [30, HEIGHT - 40],
                         [10, HEIGHT - 40], [10, HEIGHT - 20]]],
    }  # fmt: skip
    assert feature["properties"] == {
        "objectType": "annotation",
        "isLocked": False,
        "classification": {"name": "tumour", "color": [0x12, 0xAB, 0xEF]},
        "measurements": {"Area pixels²": 400, "Perimeter pixels": 80},
    }
    detection = await export(client, alice, world.image, "&objectType=detection")
    assert detection.json()["features"][0]["properties"]["objectType"] == "detection"
    project = await client.get(
        f"/api/project/{world.project}/annotation/export?format=qupath", auth=auth(alice)
    )
    assert project.json()["features"] == r.json()["features"]


async def test_bad_export_options_are_400(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await export(client, alice, world.image, "&objectType=cell")
    assert r.status_code == 400 and "objectType" in r.json()["errors"]["message"]
    r = await client.get(
        f"/api/imageinstance/{world.image}/annotation/export?format=qupath5", auth=auth(alice)
    )
    assert r.status_code == 400 and "qupath" in r.json()["errors"]["message"]


async def test_default_geojson_export_keeps_cytomine_frame_and_term_ids(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    await create(client, alice, world.image, "POINT (5 7)", term=[world.terms[1]])
    r = await client.get(f"/api/imageinstance/{world.image}/annotation/export", auth=auth(alice))
    (feature,) = r.json()["features"]
    assert feature["geometry"]["coordinates"] == [5, 7]
    assert feature["properties"]["term"] == [world.terms[1]]


async def test_create_terms_adds_missing_classes_with_their_colours(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    r = await load(client, alice, world.image, QUPATH_FILE, "&createTerms=true")
    assert r.status_code == 200, r.text
    assert r.json()["unmatchedClasses"] == {}
    names = await term_names(db, world.ontology)
    assert names["Immune cells"] == "#a05aa0" and names["Positive"] == "#c83232"
    assert names["tumour"] == "#FF0000"  # existing terms keep their colour
    recorded = await db.fetch(
        "SELECT data->>'name' AS name FROM command"
        " WHERE class_name = 'be.cytomine.domain.ontology.Term' AND type = 'ADD' AND user_id = $1",
        alice.id,
    )
    assert sorted(x["name"] for x in recorded) == ["Immune cells", "Positive"]
    linked = await db.fetch(
        "SELECT t.name FROM annotation a JOIN annotation_term at ON at.annotation_id = a.id"
        " JOIN term t ON t.id = at.term_id WHERE st_geometrytype(a.location) = 'ST_MultiPolygon'"
    )
    assert [x["name"] for x in linked] == ["Immune cells"]
    out = (await export(client, alice, world.image)).json()["features"]
    classes = sorted(json.dumps(f["properties"].get("classification"), sort_keys=True) for f in out)
    assert json.dumps({"color": [160, 90, 160], "name": "Immune cells"}, sort_keys=True) in classes
    derived = {"color": [200, 50, 50], "names": ["Positive", "tumour"]}
    assert json.dumps(derived, sort_keys=True) in classes


async def test_class_names_match_case_sensitively(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 1]},
         "properties": {"classification": {"name": "Tumour", "colorRGB": -65536}}},
    ]  # fmt: skip
    r = await load(client, alice, world.image, msgspec.json.encode(body))
    assert r.status_code == 200, r.text
    assert r.json()["unmatchedClasses"] == {"Tumour": 1}
    r = await load(client, alice, world.image, msgspec.json.encode(body), "&createTerms=true")
    assert r.json()["unmatchedClasses"] == {}
    assert (await term_names(db, world.ontology))["Tumour"] == "#ff0000"  # QuPath 0.3 colorRGB


async def test_qupath_ndjson_and_bare_array_bodies(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    features = qupath_features()
    lines = b"\n".join(msgspec.json.encode(f) for f in features)
    r = await client.post(
        f"/api/imageinstance/{world.image}/annotation/import.json?format=qupath",
        content=lines,
        headers={"content-type": "application/x-ndjson"},
        auth=auth(alice),
    )
    assert r.status_code == 200, r.text
    assert r.json()["rowsLoaded"] == 5
    r = await load(client, alice, world.image, json.dumps(features, indent=2))
    assert r.status_code == 200, r.text
    assert r.json()["rowsLoaded"] == 5
    ys = await db.fetch(
        "SELECT st_y(location) AS y FROM annotation WHERE st_geometrytype(location) = 'ST_Point'"
    )
    assert [x["y"] for x in ys] == [99.75, 99.75]


async def test_permissions_of_qupath_import_and_export(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    carol: NewAccount,
    admin: NewAccount,
    world: World,
) -> None:
    # Outsider: neither import nor export.
    assert (await load(client, carol, world.image, QUPATH_FILE)).status_code == 403
    assert (await export(client, carol, world.image)).status_code == 403
    # Member (contributor): imports, counting unmatched names; createTerms needs the ontology.
    r = await load(client, bob, world.image, QUPATH_FILE, "&createTerms=true")
    assert r.status_code == 403 and "ontology" in r.json()["errors"]["message"]
    assert "Immune cells" not in await term_names(db, world.ontology)
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0
    r = await load(client, bob, world.image, QUPATH_FILE)
    assert r.status_code == 200 and r.json()["unmatchedClasses"]["Immune cells"] == 1
    assert (await export(client, bob, world.image)).status_code == 200
    # Manager (owner of the ontology) and admin may add terms.
    r = await load(client, alice, world.image, QUPATH_FILE, "&createTerms=true")
    assert r.status_code == 200 and r.json()["unmatchedClasses"] == {}
    necrosis = QUPATH_FILE.replace("Immune cells", "Necrosis")
    r = await load(client, admin, world.image, necrosis, "&createTerms=yes")
    assert r.status_code == 200, r.text
    assert "Necrosis" in await term_names(db, world.ontology)
    assert (await export(client, admin, world.image)).status_code == 200


async def test_create_terms_without_ontology_and_bad_flags_are_400(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    r = await load(client, alice, world.image, QUPATH_FILE, "&createTerms=maybe")
    assert r.status_code == 400 and "createTerms" in r.json()["errors"]["message"]
    await db.execute("UPDATE project SET ontology_id = NULL WHERE id = $1", world.project)
    r = await load(client, alice, world.image, QUPATH_FILE, "&createTerms=true")
    assert r.status_code == 400 and "no ontology" in r.json()["errors"]["message"]
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0


async def test_terms_added_by_a_failed_atomic_import_stay(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    features = qupath_features()
    features[1]["geometry"] = {"type": "Polygon", "coordinates": [[[1, 1], [2, 2]]]}  # invalid
    body = json.dumps({"type": "FeatureCollection", "features": features})
    r = await load(client, alice, world.image, body, "&createTerms=true")
    assert r.status_code == 400 and r.json()["status"] == "failed"
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0
    assert {"Immune cells", "Positive"} <= set(await term_names(db, world.ontology))


async def test_project_export_flips_each_image_with_its_own_height(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    small, _ = await make_image(db, world.project, alice.id, width=300, height=500)
    await create(client, alice, world.image, "POINT (5 7)")
    await create(client, alice, small, "POINT (5 7)")
    r = await client.get(
        f"/api/project/{world.project}/annotation/export?format=qupath", auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    points = [f["geometry"]["coordinates"] for f in r.json()["features"]]
    assert points == [[5, HEIGHT - 7], [5, 500 - 7]]
