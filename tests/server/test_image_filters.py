"""Image filters: Cytomine's default catalogue and the filters each project enables."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.catalog_helpers import add_member
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def project(client: AsyncTestClient, alice: NewAccount, bob: NewAccount) -> int:
    """Alice manages it, Bob contributes."""
    created = await make_project(client, alice)
    await add_member(client, alice, created["id"], bob)
    return int(created["id"])


async def _filters(client: AsyncTestClient, who: NewAccount) -> list[dict[str, Any]]:
    r = await client.get("/api/imagefilter.json?max=0&offset=0", auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()["collection"]  # type: ignore[no-any-return]


async def _filter_id(client: AsyncTestClient, who: NewAccount, method: str) -> int:
    return next(f["id"] for f in await _filters(client, who) if f["method"] == method)


async def _enable(client: AsyncTestClient, who: NewAccount, body: dict[str, Any]) -> Any:
    return await client.post("/api/imagefilterproject.json", json=body, auth=auth(who))


async def _of_project(client: AsyncTestClient, who: NewAccount, project: int) -> Any:
    return await client.get(
        f"/api/project/{project}/imagefilterproject.json?max=0&offset=0", auth=auth(who)
    )


async def test_the_default_catalogue_is_cytomines(
    client: AsyncTestClient, guest: NewAccount
) -> None:
    found = {f["method"]: f for f in await _filters(client, guest)}
    assert len(found) == 28
    binary = msgspec.convert(found["binary"], c.ImageFilter)
    assert (binary.class_, binary.name, binary.available, binary.base_url) == (
        "be.cytomine.domain.processing.ImageFilter",
        "Binary",
        True,
        "/filters/binary&url=",
    )
    assert found["huang"]["available"] is False
    assert found["he-eosin"]["name"] == "H&E Eosin"


async def test_an_admin_registers_a_filter(client: AsyncTestClient, admin: NewAccount) -> None:
    r = await client.post(
        "/api/imagefilter.json", json={"name": "Sobel", "method": "sobel"}, auth=auth(admin)
    )
    assert r.status_code == 200, r.text
    created = r.json()["imagefilter"]
    assert (created["name"], created["available"], r.json()["command"] is not None) == (
        "Sobel",
        True,
        True,
    )
    assert "Sobel" in [f["name"] for f in await _filters(client, admin)]


async def test_only_admins_register_filters(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.post("/api/imagefilter.json", json={"name": "Sobel"}, auth=auth(alice))
    assert_status(r, 403)


@pytest.mark.parametrize(
    ("body", "status"), [({}, 400), ({"name": " "}, 400), ({"name": "Binary"}, 409)]
)
async def test_a_bad_filter_is_refused(
    client: AsyncTestClient, admin: NewAccount, body: dict[str, Any], status: int
) -> None:
    r = await client.post("/api/imagefilter.json", json=body, auth=auth(admin))
    assert r.status_code == status
    assert "message" in r.json()["errors"]
    assert len(await _filters(client, admin)) == 28


async def test_a_manager_enables_a_filter_and_members_see_it(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, project: int
) -> None:
    filter_id = await _filter_id(client, alice, "otsu")
    r = await _enable(client, alice, {"imageFilter": filter_id, "project": project})
    assert r.status_code == 200, r.text
    link = msgspec.convert(r.json()["imagefilterproject"], c.ImageFilterProject)
    assert (link.image_filter, link.project, link.name, link.method, link.base_url) == (
        filter_id,
        project,
        "Otsu Threshold",
        "otsu",
        "/filters/otsu&url=",
    )
    listed = (await _of_project(client, bob, project)).json()["collection"]
    assert [(x["id"], x["imageFilter"]) for x in listed] == [(link.id, filter_id)]


async def test_a_filter_is_enabled_once_per_project(
    client: AsyncTestClient, alice: NewAccount, project: int
) -> None:
    body = {"imageFilter": await _filter_id(client, alice, "otsu"), "project": project}
    await _enable(client, alice, body)
    assert (await _enable(client, alice, body)).status_code == 409


@pytest.mark.parametrize("who", ["bob", "guest"])
async def test_contributors_and_outsiders_cannot_enable(
    client: AsyncTestClient, bob: NewAccount, guest: NewAccount, project: int, who: str
) -> None:
    account = bob if who == "bob" else guest
    body = {"imageFilter": await _filter_id(client, account, "otsu"), "project": project}
    assert (await _enable(client, account, body)).status_code == 403


async def test_an_admin_enables_in_any_project(
    client: AsyncTestClient, admin: NewAccount, project: int
) -> None:
    body = {"imageFilter": await _filter_id(client, admin, "yen"), "project": project}
    assert (await _enable(client, admin, body)).status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 400), ({"project": "x"}, 400), ({"imageFilter": 999999999}, 404)],
)
async def test_a_bad_link_is_refused(
    client: AsyncTestClient, alice: NewAccount, project: int, body: dict[str, Any], status: int
) -> None:
    full = {"project": project, **body} if body else body
    r = await _enable(client, alice, full)
    assert r.status_code == status
    assert "message" in r.json()["errors"]


async def test_enabling_in_a_missing_project_is_not_found(
    client: AsyncTestClient, admin: NewAccount
) -> None:
    body = {"imageFilter": await _filter_id(client, admin, "yen"), "project": 999999999}
    assert (await _enable(client, admin, body)).status_code == 404


async def test_a_manager_disables_a_filter(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, project: int
) -> None:
    body = {"imageFilter": await _filter_id(client, alice, "otsu"), "project": project}
    link = (await _enable(client, alice, body)).json()["imagefilterproject"]
    url = f"/api/imagefilterproject/{link['id']}.json"
    assert (await client.delete(url, auth=auth(bob))).status_code == 403
    r = await client.delete(url, auth=auth(alice))
    assert_status(r, 200)
    assert r.json()["imagefilterproject"]["id"] == link["id"]
    assert (await _of_project(client, alice, project)).json()["collection"] == []
    assert (await client.delete(url, auth=auth(alice))).status_code == 404


@pytest.mark.parametrize(("target", "status"), [("own", 403), ("missing", 404)])
async def test_project_filters_are_refused_to_outsiders_and_missing_projects(
    client: AsyncTestClient, guest: NewAccount, project: int, target: str, status: int
) -> None:
    ident = project if target == "own" else 999999999
    assert (await _of_project(client, guest, ident)).status_code == status


async def test_the_overall_list_shows_only_readable_projects(
    client: AsyncTestClient, alice: NewAccount, guest: NewAccount, admin: NewAccount, project: int
) -> None:
    body = {"imageFilter": await _filter_id(client, alice, "otsu"), "project": project}
    await _enable(client, alice, body)
    for who, count in ((alice, 1), (guest, 0), (admin, 1)):
        r = await client.get("/api/imagefilterproject.json", auth=auth(who))
        assert r.json()["size"] == count


async def test_filters_need_credentials(client: AsyncTestClient) -> None:
    assert (await client.get("/api/imagefilter.json")).status_code == 401
