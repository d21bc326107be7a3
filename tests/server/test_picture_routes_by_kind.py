"""Picture routes served by one handler per shape answer for the kind of their own path."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    pixels,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)
_NOUNS = ("imageinstance", "sliceinstance", "abstractimage", "abstractslice")


def _kind_routes(app: Litestar) -> list[tuple[str, str, str]]:
    """(path, kind, id parameter) of every route whose kind is route data."""
    found = []
    for route in app.routes:
        for handler, _ in getattr(route, "route_handler_map", {}).values():
            if "id_param" in handler.opt:
                found.append((route.path, handler.opt["kind"], handler.opt["id_param"]))
    return found


def test_every_kind_route_names_a_path_parameter_of_its_own_path(app: Litestar) -> None:
    routes = _kind_routes(app)
    assert len(routes) >= 11
    for path, _, id_param in routes:
        assert f"{{{id_param}:int}}" in path, path


def test_every_image_kind_route_opens_the_kind_its_path_names(app: Litestar) -> None:
    for path, kind, _ in _kind_routes(app):
        noun = path.split("/")[2]
        assert noun == kind or noun == f"{kind}annotation", path


async def _ids(client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded) -> dict[str, int]:
    """The id of the uploaded slide under each picture route noun."""
    r = await client.get(f"/api/sliceinstance/{uploaded.slice}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return {
        "imageinstance": uploaded.instance,
        "sliceinstance": uploaded.slice,
        "abstractimage": uploaded.abstract,
        "abstractslice": r.json()["baseSlice"],
    }


@pytest.mark.anyio
@pytest.mark.pg
@pytest.mark.parametrize("noun", _NOUNS)
async def test_thumbnail_is_served_for_every_image_kind(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, noun: str
) -> None:
    ids = await _ids(client, alice, uploaded)
    r = await client.get(f"/api/{noun}/{ids[noun]}/thumb.png?maxSize=64", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert max(pixels(r.content).shape[:2]) == 64


@pytest.mark.anyio
@pytest.mark.pg
@pytest.mark.parametrize("noun", ["imageinstance", "abstractimage"])
async def test_missing_associated_image_names_the_label_for_every_image_kind(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, noun: str
) -> None:
    ids = await _ids(client, alice, uploaded)
    r = await client.get(f"/api/{noun}/{ids[noun]}/associated/macro.jpg", auth=auth(alice))
    assert_status(r, 404)
    assert "macro" in r.text
