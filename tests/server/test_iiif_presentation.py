"""IIIF Presentation 3.0 manifests of images and projects, and annotations as AnnotationPages."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server import signed_urls
from server.db.store.accounts import NewAccount
from server.runtime import runtime_of
from tests.assertions import assert_status
from tests.server.annotation_helpers import HEIGHT, WIDTH, World, create, make_image, make_world
from tests.server.image_helpers import make_storage, upload
from tests.server.project_helpers import auth
from tests.server.serving_helpers import settings_fixture, slide_fixture, storage_root_fixture

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

BASE = "http://testserver.local"
CONTEXT = "http://iiif.io/api/presentation/3/context.json"
ROOT = "/iiif/presentation"


@pytest.fixture
async def world(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> World:
    return await make_world(client, db, alice, bob)


def local(url: str) -> str:
    """The path of one of this server's absolute URLs (the test client's base is fixed)."""
    assert url.startswith(BASE + "/"), url
    return url[len(BASE) :]


def is_language_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in value.values())
    )


def check_manifest(doc: dict[str, Any]) -> None:
    """The properties Presentation 3.0 requires of a Manifest and of everything inside it."""
    assert doc["@context"] == CONTEXT
    assert doc["type"] == "Manifest"
    assert doc["id"].startswith(BASE + "/")
    assert is_language_map(doc["label"])
    for canvas in doc["items"]:
        assert canvas["type"] == "Canvas"
        assert canvas["id"].startswith(BASE + "/")
        assert is_language_map(canvas["label"])
        assert canvas["width"] > 0 and canvas["height"] > 0
        (page,) = canvas["items"]
        assert page["type"] == "AnnotationPage" and page["id"].startswith(BASE + "/")
        (painting,) = page["items"]
        assert painting["type"] == "Annotation" and painting["motivation"] == "painting"
        assert painting["target"] == canvas["id"]
        body = painting["body"]
        assert body["type"] == "Image" and body["format"] == "image/jpeg"
        assert (body["width"], body["height"]) == (canvas["width"], canvas["height"])
        (service,) = body["service"]
        assert (service["type"], service["profile"]) == ("ImageService3", "level2")
        assert re.fullmatch(rf"{BASE}/iiif/s/[^/]+/\d+", service["id"]), service["id"]
        (thumb,) = canvas["thumbnail"]
        assert thumb["type"] == "Image" and thumb["id"].startswith(service["id"] + "/full/")
        (annotations,) = canvas["annotations"]
        assert annotations["type"] == "AnnotationPage"
        assert annotations["id"].startswith(f"{BASE}{ROOT}/s/")


async def test_image_manifest_has_one_canvas_of_the_image_size(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    url = f"{ROOT}/imageinstance/{world.image}/manifest.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    doc = r.json()
    check_manifest(doc)
    (canvas,) = doc["items"]
    assert (canvas["width"], canvas["height"]) == (WIDTH, HEIGHT)
    assert canvas["label"] == {"none": ["a.tif"]}
    assert canvas["id"] == f"{BASE}{ROOT}/imageinstance/{world.image}/canvas"
    assert doc["id"].endswith(f"/imageinstance/{world.image}/manifest.json")
    assert r.headers["access-control-allow-origin"] == "*"


async def test_manifest_is_json_ld_when_asked(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    url = f"{ROOT}/imageinstance/{world.image}/manifest.json"
    r = await client.get(url, auth=auth(alice), headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert CONTEXT in r.headers["content-type"]


async def test_project_manifest_lists_its_images_only(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    world: World,
) -> None:
    second, _ = await make_image(db, world.project, alice.id, width=300, height=200)
    other = await client.post("/api/project.json", json={"name": "P2"}, auth=auth(alice))
    await make_image(db, other.json()["project"]["id"], alice.id)
    r = await client.get(f"{ROOT}/project/{world.project}/manifest.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    doc = r.json()
    check_manifest(doc)
    assert doc["label"] == {"none": ["P1"]}
    sizes = [(c["id"].split("/")[-2], c["width"], c["height"]) for c in doc["items"]]
    assert sizes == [(str(world.image), WIDTH, HEIGHT), (str(second), 300, 200)]


async def test_blind_project_hides_image_names_from_contributors(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    await db.execute("UPDATE project SET blind_mode = true WHERE id = $1", world.project)
    url = f"{ROOT}/project/{world.project}/manifest.json"
    as_bob = (await client.get(url, auth=auth(bob))).json()
    as_alice = (await client.get(url, auth=auth(alice))).json()
    assert as_bob["items"][0]["label"] == {"none": [f"Image {world.image}"]}
    assert as_alice["items"][0]["label"] == {"none": ["a.tif"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 403), ("member", 200), ("manager", 200), ("admin", 200), ("nobody", 401)],
)
@pytest.mark.parametrize("leaf", ["project", "image", "annotations"])
async def test_presentation_access_follows_read_rights(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
    admin: NewAccount,
    world: World,
    who: str,
    status: int,
    leaf: str,
) -> None:
    url = {
        "project": f"{ROOT}/project/{world.project}/manifest.json",
        "image": f"{ROOT}/imageinstance/{world.image}/manifest.json",
        "annotations": f"{ROOT}/imageinstance/{world.image}/annotations.json",
    }[leaf]
    accounts = {"outsider": guest, "member": bob, "manager": alice, "admin": admin}
    account = accounts.get(who)
    r = await client.get(url, auth=auth(account) if account else None)
    assert r.status_code == status, r.text
    if status != 200:
        assert r.json()["errors"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        f"{ROOT}/project/999999/manifest.json",
        f"{ROOT}/imageinstance/999999/manifest.json",
        f"{ROOT}/imageinstance/999999/annotations.json",
    ],
)
async def test_unknown_object_is_a_404(
    client: AsyncTestClient,  # type: ignore[type-arg]
    admin: NewAccount,
    url: str,
) -> None:
    r = await client.get(url, auth=auth(admin))
    assert_status(r, 404)
    assert "not found" in r.json()["errors"]["message"]


async def annotation_page(
    client: AsyncTestClient,  # type: ignore[type-arg]
    who: NewAccount,
    image: int,
    query: str = "",
) -> dict[str, Any]:
    r = await client.get(f"{ROOT}/imageinstance/{image}/annotations.json{query}", auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_annotations_are_flipped_to_canvas_coordinates(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    made = await create(client, alice, world.image, "POLYGON ((10 20, 40 20, 40 60, 10 60, 10 20))")
    page = await annotation_page(client, alice, world.image)
    assert page["@context"] == CONTEXT and page["type"] == "AnnotationPage"
    assert "next" not in page
    (item,) = page["items"]
    assert item["id"] == f"{BASE}/api/annotation/{made['id']}.json"
    assert item["type"] == "Annotation" and item["motivation"] == "commenting"
    target = item["target"]
    assert target["source"]["id"] == f"{BASE}{ROOT}/imageinstance/{world.image}/canvas"
    # Cytomine y = 20..60 from the bottom of an 800 px image is 740..780 from the top.
    assert target["selector"] == {
        "type": "SvgSelector",
        "value": '<svg xmlns="http://www.w3.org/2000/svg">'
        '<path d="M 10 780 L 40 780 40 740 10 740 Z"/></svg>',
    }
    (item,) = (await annotation_page(client, alice, world.image, "?selector=wkt"))["items"]
    assert item["target"]["selector"] == {
        "type": "WKTSelector",
        "value": "POLYGON((10 780,40 780,40 740,10 740,10 780))",
    }


async def test_a_point_is_a_circle(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    await create(client, alice, world.image, "POINT (15 100)")
    (item,) = (await annotation_page(client, alice, world.image))["items"]
    assert '<circle cx="15" cy="700" r="4"/>' in item["target"]["selector"]["value"]
    (item,) = (await annotation_page(client, alice, world.image, "?selector=wkt"))["items"]
    assert item["target"]["selector"]["value"] == "POINT(15 700)"


async def test_term_names_are_tagging_bodies(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    made = await create(client, alice, world.image, "POINT (1 1)", term=world.terms)
    (item,) = (await annotation_page(client, alice, world.image))["items"]
    comment, *tags = item["body"]
    assert comment["purpose"] == "commenting" and comment["value"] == f"Annotation {made['id']}"
    assert [(t["type"], t["purpose"], t["value"]) for t in tags] == [
        ("TextualBody", "tagging", "stroma"),
        ("TextualBody", "tagging", "tumour"),
    ]


async def test_hidden_layers_stay_hidden(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    guest: NewAccount,
    world: World,
) -> None:
    r = await client.post(f"/api/project/{world.project}/user/{guest.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    by_alice = await create(client, alice, world.image, "POINT (1 1)")
    by_bob = await create(client, bob, world.image, "POINT (2 2)")
    await db.execute("UPDATE project SET hide_users_layers = true WHERE id = $1", world.project)

    def ids(page: dict[str, Any]) -> set[str]:
        return {item["id"].split("/")[-1].removesuffix(".json") for item in page["items"]}

    assert ids(await annotation_page(client, guest, world.image)) == {str(by_alice["id"])}
    assert ids(await annotation_page(client, bob, world.image)) == {
        str(by_alice["id"]),
        str(by_bob["id"]),
    }
    assert len(ids(await annotation_page(client, alice, world.image))) == 2


async def test_large_pages_name_the_next_one(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    made = [await create(client, alice, world.image, f"POINT ({i} {i})") for i in range(3)]
    first = await annotation_page(client, alice, world.image, "?max=2&selector=wkt")
    assert len(first["items"]) == 2
    # The next page is signed: a viewer follows it without credentials.
    r = await client.get(local(first["next"]["id"]))
    assert r.status_code == 200, r.text
    second = r.json()
    assert [i["id"] for i in second["items"]] == [f"{BASE}/api/annotation/{made[2]['id']}.json"]
    assert "next" not in second
    assert second["items"][0]["target"]["selector"]["type"] == "WKTSelector"


@pytest.mark.parametrize(
    "query", ["?max=0", "?max=10001", "?max=x", "?after=y", "?selector=geojson"]
)
async def test_bad_paging_is_a_400(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
    query: str,
) -> None:
    url = f"{ROOT}/imageinstance/{world.image}/annotations.json{query}"
    r = await client.get(url, auth=auth(alice))
    assert_status(r, 400)
    assert r.json()["errors"]["message"]


async def signed_manifest(
    client: AsyncTestClient,  # type: ignore[type-arg]
    who: NewAccount,
    path: str,
) -> dict[str, Any]:
    """A manifest fetched with credentials, then again from its signed id without any."""
    r = await client.get(path, auth=auth(who))
    assert r.status_code == 200, r.text
    r = await client.get(local(r.json()["id"]))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_signed_manifest_reads_without_credentials(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    world: World,
) -> None:
    await create(client, alice, world.image, "POINT (1 1)")
    doc = await signed_manifest(client, alice, f"{ROOT}/project/{world.project}/manifest.json")
    check_manifest(doc)
    r = await client.get(local(doc["items"][0]["annotations"][0]["id"]))
    assert r.status_code == 200, r.text
    assert len(r.json()["items"]) == 1


async def test_signed_manifest_follows_live_membership(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    r = await client.get(f"{ROOT}/project/{world.project}/manifest.json", auth=auth(bob))
    signed = local(r.json()["id"])
    assert (await client.get(signed)).status_code == 200
    r = await client.delete(f"/api/project/{world.project}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert (await client.get(signed)).status_code == 403


async def test_tampered_or_foreign_tokens_are_refused(
    client: AsyncTestClient,  # type: ignore[type-arg]
    app_secret: bytes,
    alice: NewAccount,
    world: World,
) -> None:
    r = await client.get(f"{ROOT}/imageinstance/{world.image}/manifest.json", auth=auth(alice))
    signed = local(r.json()["id"])
    token = signed.split("/")[4]
    # Another account named in the token breaks the signature.
    _, exp, sig = token.split("~")
    forged = f"{alice.id + 1}~{exp}~{sig}"
    assert (await client.get(signed.replace(token, forged))).status_code == 403
    # An image token does not open the project, nor another image.
    as_project = f"{ROOT}/s/{token}/project/{world.project}/manifest.json"
    assert (await client.get(as_project)).status_code == 403
    # The image service token of the canvas does not sign the manifest.
    service = r.json()["items"][0]["items"][0]["items"][0]["body"]["service"][0]["id"]
    image_token = service.split("/")[-2]
    as_manifest = f"{ROOT}/s/{image_token}/imageinstance/{world.image}/manifest.json"
    assert (await client.get(as_manifest)).status_code == 403
    # An expired token is refused.
    expired = signed_urls.token_until(
        app_secret, "presentation:imageinstance", world.image, str(alice.id), int(time.time()) - 1
    )
    r = await client.get(f"{ROOT}/s/{expired}/imageinstance/{world.image}/manifest.json")
    assert_status(r, 403)
    assert "expired" in r.json()["errors"]["message"]


@pytest.fixture
def app_secret(client: AsyncTestClient) -> bytes:  # type: ignore[type-arg]
    return runtime_of(client.app.state).url_secret


async def test_mirador_opens_a_signed_project_manifest(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
    slide: Path,
    tmp_path: Path,
) -> None:
    """What a viewer does with no credentials: manifest, each info.json, thumbnails, tiles."""
    storage = await make_storage(client, alice)
    project = await client.post("/api/project.json", json={"name": "Slides"}, auth=auth(alice))
    project_id = project.json()["project"]["id"]
    copy = tmp_path / "second.tif"
    copy.write_bytes(slide.read_bytes())
    for path in (slide, copy):
        r = await upload(client, alice, path, storage, project_id)
        assert r.status_code == 200, r.text
    doc = await signed_manifest(client, alice, f"{ROOT}/project/{project_id}/manifest.json")
    check_manifest(doc)
    assert len(doc["items"]) == 2
    for canvas in doc["items"]:
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["id"]
        r = await client.get(local(f"{service}/info.json"))
        assert r.status_code == 200, r.text
        info = r.json()
        assert info["id"] == service
        assert (info["width"], info["height"]) == (canvas["width"], canvas["height"])
        r = await client.get(local(canvas["thumbnail"][0]["id"]))
        assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
        r = await client.get(local(f"{service}/0,0,256,256/256,/0/default.jpg"))
        assert_status(r, 200)
        r = await client.get(local(canvas["annotations"][0]["id"]))
        assert r.status_code == 200 and r.json()["items"] == []
