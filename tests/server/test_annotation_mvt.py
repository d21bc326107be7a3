"""Annotation vector tiles: geometries on the image tile grid, clusters when dense, ETags."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.db.store.annotation_mvt import CLUSTER_LIMIT, MEDIA_TYPE
from tests.assertions import assert_status
from tests.server.annotation_helpers import HEIGHT, World, create, logged, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if byte < 0x80:
            return value, at


def _fields(data: bytes) -> list[tuple[int, Any]]:
    """(field number, int or bytes) of a protobuf message (varint and length-delimited)."""
    out, at = [], 0
    while at < len(data):
        key, at = _varint(data, at)
        if key & 7 == 0:
            value, at = _varint(data, at)
        else:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        out.append((key >> 3, value))
    return out


def _packed(data: bytes) -> list[int]:
    values, at = [], 0
    while at < len(data):
        value, at = _varint(data, at)
        values.append(value)
    return values


def _value(data: bytes) -> Any:
    number, raw = _fields(data)[0]
    return raw.decode() if number == 1 else raw  # string, or a (u)int64 varint


def decode(tile: bytes) -> dict[str, list[dict[str, Any]]]:
    """Layers -> features {id, properties, geometry commands}: the MVT fields tests need."""
    layers = {}
    for _, layer_bytes in (f for f in _fields(tile) if f[0] == 3):
        layer = _fields(layer_bytes)
        keys = [v.decode() for n, v in layer if n == 3]
        values = [_value(v) for n, v in layer if n == 4]
        features = []
        for _, feature_bytes in (f for f in layer if f[0] == 2):
            feature = dict(_fields(feature_bytes))
            tags = _packed(feature.get(2, b""))
            props = {keys[tags[i]]: values[tags[i + 1]] for i in range(0, len(tags), 2)}
            features.append({"id": feature.get(1), "properties": props, "geometry": feature[4]})
        name = next(v.decode() for n, v in layer if n == 1)
        layers[name] = features
    return layers


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def url(world: World, z: int, tx: int, ty: int) -> str:
    return f"/api/imageinstance/{world.image}/annotation/mvt/zoom/{z}/tx/{tx}/ty/{ty}.mvt"


async def test_tile_holds_the_annotations_with_id_user_and_terms(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, square(10, HEIGHT - 20), term=world.terms)
    await create(client, alice, world.image, square(600, 10))  # in another tile
    r = await client.get(url(world, 2, 0, 0), auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == MEDIA_TYPE
    [feature] = decode(r.content)["annotations"]
    assert feature["id"] == made["id"]
    assert feature["properties"] == {
        "id": made["id"],
        "user": alice.id,
        "term": min(world.terms),
        "terms": ",".join(str(t) for t in sorted(world.terms)),
    }


async def test_tile_geometry_is_in_the_y_down_tile_frame(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    # Top-left corner of the image: tile 0/0 at full resolution, extent 4096 for 256 px.
    await create(client, alice, world.image, square(0, HEIGHT - 16, size=16))
    r = await client.get(url(world, 2, 0, 0), auth=auth(alice))
    [feature] = decode(r.content)["annotations"]
    commands = _packed(feature["geometry"])
    # MoveTo(1) then zigzag-encoded x, y of the first vertex: (0, 16 px down) -> (0, 256).
    assert commands[:3] == [9, 0, 512]


async def test_dense_tile_holds_cluster_points_with_counts(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    await db.execute(
        logged(
            "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
            " SELECT $1, $2, $3, $4,"
            " st_makeenvelope(g % 900, g % 700, g % 900 + 5, g % 700 + 5, 0)"
            " FROM generate_series(1, $5) AS g"
        ),
        world.image,
        world.slice,
        world.project,
        alice.id,
        CLUSTER_LIMIT + 1,
    )
    r = await client.get(url(world, 0, 0, 0), auth=auth(alice))
    layers = decode(r.content)
    assert "annotations" not in layers
    assert sum(f["properties"]["count"] for f in layers["clusters"]) == CLUSTER_LIMIT + 1


async def test_unchanged_tile_answers_304_and_a_write_changes_its_etag(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    await create(client, alice, world.image, square(10, 10))
    first = await client.get(url(world, 0, 0, 0), auth=auth(alice))
    tag = first.headers["etag"]
    again = await client.get(url(world, 0, 0, 0), headers={"If-None-Match": tag}, auth=auth(alice))
    assert_status(again, 304)
    await create(client, alice, world.image, square(50, 50))
    later = await client.get(url(world, 0, 0, 0), headers={"If-None-Match": tag}, auth=auth(alice))
    assert_status(later, 200)
    assert len(decode(later.content)["annotations"]) == 2


async def test_tile_outside_the_image_is_not_found(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.get(url(world, 2, 4, 0), auth=auth(alice))
    assert_status(r, 404)


async def test_tile_is_refused_to_non_members(
    client: AsyncTestClient, guest: NewAccount, world: World
) -> None:
    r = await client.get(url(world, 0, 0, 0), auth=auth(guest))
    assert_status(r, 403)
