"""``tag[in]`` on image lists: images without a tag (``null``), with any of some tags, or both."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import make_image
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

IMAGE = "be.cytomine.domain.image.ImageInstance"


class Tagged(msgspec.Struct, kw_only=True):
    """A project with an untagged image, one tagged red, one tagged red and blue."""

    project: int
    plain: int
    red: int
    both: int
    red_tag: int
    blue_tag: int


async def _tag(client: AsyncTestClient, who: NewAccount, name: str) -> int:
    r = await client.post("/api/tag.json", json={"name": name}, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["tag"]["id"])


async def _put_tag(client: AsyncTestClient, who: NewAccount, tag: int, image: int) -> None:
    url = f"/api/domain/{IMAGE}/{image}/tag_domain_association.json"
    body = {"tag": tag, "domainClassName": IMAGE, "domainIdent": image}
    r = await client.post(url, json=body, auth=auth(who))
    assert r.status_code == 200, r.text


@pytest.fixture
async def tagged(client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount) -> Tagged:
    project = (await make_project(client, alice))["id"]
    plain, red, both = [(await make_image(db, project, alice.id))[0] for _ in range(3)]
    red_tag, blue_tag = await _tag(client, alice, "red"), await _tag(client, alice, "blue")
    await _put_tag(client, alice, red_tag, red)
    await _put_tag(client, alice, red_tag, both)
    await _put_tag(client, alice, blue_tag, both)
    return Tagged(
        project=project, plain=plain, red=red, both=both, red_tag=red_tag, blue_tag=blue_tag
    )


async def _ids(client: AsyncTestClient, who: NewAccount, project: int, query: str) -> set[int]:
    r = await client.get(f"/api/project/{project}/imageinstance.json?{query}", auth=auth(who))
    assert r.status_code == 200, r.text
    return {x["id"] for x in r.json()["collection"]}


async def test_the_web_uis_request_lists_the_untagged_images(
    client: AsyncTestClient, alice: NewAccount, tagged: Tagged
) -> None:
    query = "max=20&offset=0&tag%255Bin%255D=null"
    assert await _ids(client, alice, tagged.project, query) == {tagged.plain}


async def test_tag_ids_list_the_images_with_any_of_them(
    client: AsyncTestClient, alice: NewAccount, tagged: Tagged
) -> None:
    red = await _ids(client, alice, tagged.project, f"tag[in]={tagged.red_tag}")
    blue = await _ids(client, alice, tagged.project, f"tag%5Bin%5D={tagged.blue_tag}")
    either = await _ids(
        client, alice, tagged.project, f"tag[in]={tagged.red_tag},{tagged.blue_tag}"
    )
    assert (red, blue, either) == (
        {tagged.red, tagged.both},
        {tagged.both},
        {tagged.red, tagged.both},
    )


async def test_null_and_ids_combine(
    client: AsyncTestClient, alice: NewAccount, tagged: Tagged
) -> None:
    found = await _ids(client, alice, tagged.project, f"tag[in]=null,{tagged.blue_tag}")
    assert found == {tagged.plain, tagged.both}


async def test_the_tag_filter_is_not_in_the_answer_and_counts_right(
    client: AsyncTestClient, alice: NewAccount, tagged: Tagged
) -> None:
    url = f"/api/project/{tagged.project}/imageinstance.json?max=1&tag[in]={tagged.red_tag}"
    body = (await client.get(url, auth=auth(alice))).json()
    assert (body["size"], body["totalPages"], len(body["collection"])) == (2, 2, 1)
    assert "tag" not in body["collection"][0]


async def test_a_tag_filter_needs_ids(
    client: AsyncTestClient, alice: NewAccount, tagged: Tagged
) -> None:
    url = f"/api/project/{tagged.project}/imageinstance.json?tag[in]=red"
    r = await client.get(url, auth=auth(alice))
    assert_status(r, 400)
    assert "tag" in r.json()["errors"]["message"]


async def test_the_tag_filter_keeps_the_project_rights(
    client: AsyncTestClient, bob: NewAccount, tagged: Tagged
) -> None:
    url = f"/api/project/{tagged.project}/imageinstance.json?tag%255Bin%255D=null"
    assert (await client.get(url, auth=auth(bob))).status_code == 403
