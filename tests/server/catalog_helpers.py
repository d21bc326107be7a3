"""Helpers of the image catalog write tests: records made through the JSON API only."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.image_helpers import make_storage
from tests.server.project_helpers import auth, make_project


async def post_ok(client: AsyncTestClient, url: str, body: Any, who: NewAccount) -> Any:
    """POST a body and return the object of the 200 envelope."""
    r = await client.post(url, json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    key = url.removeprefix("/api/").removesuffix(".json")
    return r.json()[key]


async def make_catalog(
    client: AsyncTestClient, owner: NewAccount, depth: int = 2, name: str = "P1"
) -> dict[str, Any]:
    """A storage, an uploaded file, its abstract image with ``depth`` z planes, a project
    holding the image (with one slice instance per plane)."""
    storage = await make_storage(client, owner, f"S-{name}")
    upload = await post_ok(
        client,
        "/api/uploadedfile.json",
        {
            "storage": storage,
            "originalFilename": "stack.tif",
            "ext": "tif",
            "contentType": "image/tiff",
            "size": 10,
        },
        owner,
    )
    image = await post_ok(
        client,
        "/api/abstractimage.json",
        {"uploadedFile": upload["id"], "width": 1000, "height": 800, "depth": depth},
        owner,
    )
    slices = [
        await post_ok(client, "/api/abstractslice.json", {"image": image["id"], "zStack": z}, owner)
        for z in range(depth)
    ]
    project = await make_project(client, owner, name)
    instance = await post_ok(
        client,
        "/api/imageinstance.json",
        {"baseImage": image["id"], "project": project["id"]},
        owner,
    )
    return {
        "storage": storage,
        "upload": upload,
        "image": image,
        "slices": slices,
        "project": project["id"],
        "instance": instance,
    }


async def add_member(
    client: AsyncTestClient, manager: NewAccount, project: int, user: NewAccount
) -> None:
    """Make ``user`` a contributor of ``project``."""
    r = await client.post(f"/api/project/{project}/user/{user.id}.json", auth=auth(manager))
    assert r.status_code == 200, r.text


__all__ = ["add_member", "make_catalog", "post_ok"]
