"""Cutting streamed GeoJSON bodies into features, whatever the chunk boundaries."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from contracts.errors import Invalid
from server.db.store.annotation_features import Decoded, collection, decode, ndjson

pytestmark = [pytest.mark.anyio]

# Strings holding quotes, escapes and brackets; nested objects and arrays; a member before
# "features" whose value nests objects like features do.
FEATURES = [
    {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [i, i + 0.5]},
        "properties": {"term": [1], "note": 'a\\"b}{][\\\\' * (i % 3), "x": [{"y": [1]}]},
    }
    for i in range(300)
]
DOCUMENT = msgspec.json.encode(
    {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "pixels"}},
        "bbox": [0, 0, 1, 1],
        "features": FEATURES,
        "after": [{"not": "a feature"}],
    }
)


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for k in range(0, len(data), size):
        yield data[k : k + size]


async def read(batches: AsyncIterator[Decoded]) -> Decoded:
    return [row async for batch in batches for row in batch]


@pytest.mark.parametrize("size", [1, 7, 64, 4096, 10**7])
async def test_feature_collection_is_cut_into_its_features(size: int) -> None:
    rows = await read(collection(chunks(DOCUMENT, size), batch=50))
    assert [n for n, _ in rows] == list(range(1, 301))
    decoded: list[Any] = [msgspec.json.decode(f.geometry) for _, f in rows]  # type: ignore[union-attr]
    assert decoded == [f["geometry"] for f in FEATURES]


@pytest.mark.parametrize("size", [1, 13, 10**7])
async def test_geojson_sequence_and_ndjson_lines_are_read(size: int) -> None:
    body = b"\n".join(b"\x1e" + msgspec.json.encode(f) for f in FEATURES) + b"\n\n"
    rows = await read(ndjson(chunks(body, size), batch=50))
    assert len(rows) == 300 and rows[-1][0] == 300


async def test_a_bad_line_is_rejected_alone_with_its_row_number() -> None:
    body = b'{"type": "Feature"}\n{oops\n{"type": "Feature"}'
    rows = await read(ndjson(chunks(body, 5)))
    assert [(n, isinstance(f, str)) for n, f in rows] == [(1, False), (2, True), (3, False)]


@pytest.mark.parametrize("body", [DOCUMENT[:-40], b'{"type": "Feature"}', b"]"])
async def test_incomplete_or_wrong_documents_are_refused(body: bytes) -> None:
    with pytest.raises(Invalid):
        await read(collection(chunks(body, 100)))


@pytest.mark.parametrize("size", [1, 7, 4096])
async def test_a_bare_array_of_features_is_cut_like_a_collection(size: int) -> None:
    body = json.dumps(FEATURES, indent=2).encode()  # QuPath without its FeatureCollection option
    rows = await read(collection(chunks(body, size), batch=50))
    assert [n for n, _ in rows] == list(range(1, 301))
    decoded: list[Any] = [msgspec.json.decode(f.geometry) for _, f in rows]  # type: ignore[union-attr]
    assert decoded == [f["geometry"] for f in FEATURES]


@pytest.mark.parametrize("body", [json.dumps(FEATURES).encode()[:-30], b"[[1, 2], 3"])
async def test_an_incomplete_array_is_refused(body: bytes) -> None:
    with pytest.raises(Invalid):
        await read(collection(chunks(body, 100)))


@pytest.mark.parametrize(
    ("classification", "names", "color"),
    [
        ({"name": "Tumor", "color": [255, 128, 0]}, ["Tumor"], "#ff8000"),  # QuPath 0.4, 0.5
        ({"names": ["Tumor", "Positive"], "color": [1, 2, 3]}, ["Tumor", "Positive"], "#010203"),
        ({"name": "Stroma", "colorRGB": -16744448}, ["Stroma"], "#008000"),  # QuPath 0.2, 0.3
        ({"name": "Other"}, ["Other"], None),
        ("Necrosis", ["Necrosis"], None),  # a bare name, as other tools write it
        (None, [], None),
    ],
)
def test_classification_forms_give_names_and_colours(
    classification: Any, names: list[str], color: str | None
) -> None:
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {"classification": classification},
    }
    ((_, decoded),) = decode([(1, msgspec.json.encode(feature))])
    assert not isinstance(decoded, str) and decoded.properties is not None
    assert decoded.properties.class_names() == names
    assert decoded.properties.class_color() == color
