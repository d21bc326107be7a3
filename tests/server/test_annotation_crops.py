"""Annotation crops: crop, mask and alpha mask by kind, the generic routes and their checks."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import asyncpg
import numpy as np
import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.annotation_helpers import create, make_image
from tests.server.image_helpers import HEIGHT
from tests.server.image_helpers import WIDTH as IMAGE_WIDTH
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import (
    pixels,
    settings_fixture,
    slide_fixture,
    source_region,
    storage_root_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# A 400x200 rectangle whose top-left corner is at (100, 120) in image (top-left) pixels.
LEFT, TOP, WIDTH, TALL = 100, 120, 400, 200
Y0, Y1 = HEIGHT - TOP - TALL, HEIGHT - TOP
RECT = f"POLYGON (({LEFT} {Y0}, 500 {Y0}, 500 {Y1}, {LEFT} {Y1}, {LEFT} {Y0}))"
# A triangle in the same box: its top-left half (top-left frame).
TRIANGLE = f"POLYGON (({LEFT} {Y1}, 500 {Y1}, {LEFT} {Y0}, {LEFT} {Y1}))"


@pytest.fixture
async def image(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    slide: Path,
    storage_root: Path,
) -> int:
    """An image of Alice's project whose file is the test slide (registered, not uploaded)."""
    project = await make_project(client, alice)
    image, _ = await make_image(db, project["id"], alice.id, width=IMAGE_WIDTH, height=HEIGHT)
    storage_root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(slide, storage_root / "slide.tif")
    await db.execute(
        "UPDATE uploaded_file SET path = 'slide.tif' WHERE id = (SELECT a.uploaded_file_id"
        " FROM abstract_image a JOIN image_instance i ON i.base_image_id = a.id WHERE i.id = $1)",
        image,
    )
    return image


@pytest.fixture
async def annotation(client: AsyncTestClient, alice: NewAccount, image: int) -> int:
    return int((await create(client, alice, image, RECT))["id"])


@pytest.fixture
async def triangle(client: AsyncTestClient, alice: NewAccount, image: int) -> int:
    return int((await create(client, alice, image, TRIANGLE))["id"])


def close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and int(np.abs(a.astype(int) - b.astype(int)).max()) <= 2


async def test_user_annotation_crop_is_its_bounding_box(
    client: AsyncTestClient, alice: NewAccount, annotation: int, slide: Path
) -> None:
    r = await client.get(f"/api/userannotation/{annotation}/crop.png", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert close(pixels(r.content), source_region(slide, LEFT, TOP, WIDTH, TALL))


async def test_crop_fits_max_size(
    client: AsyncTestClient, alice: NewAccount, annotation: int
) -> None:
    url = f"/api/userannotation/{annotation}/crop.jpg?maxSize=100"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape == (50, 100, 3)


async def test_mask_is_white_inside_the_annotation(
    client: AsyncTestClient, alice: NewAccount, triangle: int
) -> None:
    r = await client.get(f"/api/userannotation/{triangle}/mask.png", auth=auth(alice))
    assert r.status_code == 200, r.text
    mask = pixels(r.content)[..., 0]
    assert mask.shape == (TALL, WIDTH)
    assert mask[10, 10] == 255 and mask[TALL - 10, WIDTH - 10] == 0


async def test_alpha_mask_is_a_transparent_png_even_when_jpeg_is_asked(
    client: AsyncTestClient, alice: NewAccount, triangle: int
) -> None:
    r = await client.post(f"/api/userannotation/{triangle}/alphamask.jpg", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    rgba = np.asarray(Image.open(io.BytesIO(r.content)).convert("RGBA"))
    assert rgba[10, 10, 3] == 255 and rgba[TALL - 10, WIDTH - 10, 3] == 0


async def test_drawn_crop_strokes_the_outline_in_the_colour(
    client: AsyncTestClient, alice: NewAccount, annotation: int
) -> None:
    query = {"draw": "true", "color": "0x00FF00", "thickness": "3"}
    url = f"/api/userannotation/{annotation}/crop.png"
    r = await client.get(url, params=query, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert tuple(pixels(r.content)[0, WIDTH // 2]) == (0, 255, 0)


@pytest.mark.parametrize("kind", ["algo", "reviewed"])
async def test_kind_routes_answer_only_their_kind(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, annotation: int, kind: str
) -> None:
    missing = await client.get(f"/api/{kind}annotation/{annotation}/crop.png", auth=auth(alice))
    assert_status(missing, 404)
    # terms_listed: the kept term group of a user row is not an algo row's (NULL: not kept).
    await db.execute(
        "UPDATE annotation SET kind = $2, terms_listed = NULL WHERE id = $1", annotation, kind
    )
    found = await client.get(f"/api/{kind}annotation/{annotation}/crop.png", auth=auth(alice))
    assert found.status_code == 200, found.text
    user = await client.get(f"/api/userannotation/{annotation}/crop.png", auth=auth(alice))
    assert_status(user, 404)


@pytest.mark.parametrize("segment", ["crop.png", "cropMin.png"])
async def test_generic_crop_is_256_pixels_by_default(
    client: AsyncTestClient, alice: NewAccount, annotation: int, segment: str
) -> None:
    r = await client.get(f"/api/annotation/{annotation}/{segment}", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape == (128, 256, 3)


async def test_crop_parameters_describe_the_crop(
    client: AsyncTestClient, alice: NewAccount, annotation: int
) -> None:
    url = f"/api/annotation/{annotation}/cropParameters.json?increaseArea=1.5"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["length"] == 256 and body["context_factor"] == 1.5
    assert body["annotations"]["geometry"].startswith("POLYGON")
    assert body["background_transparency"] == 0


async def test_crop_of_a_non_member_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, annotation: int
) -> None:
    r = await client.get(f"/api/userannotation/{annotation}/crop.png", auth=auth(bob))
    assert_status(r, 403)


async def test_unknown_annotation_is_a_404(client: AsyncTestClient, alice: NewAccount) -> None:
    r = await client.get("/api/annotation/999999999/crop.png", auth=auth(alice))
    assert_status(r, 404)
    assert "errors" in r.json()


@pytest.mark.parametrize(
    "query", [{"type": "sparkles"}, {"maxSize": "0"}, {"zoom": "x"}, {"color": "nope"}]
)
async def test_invalid_parameters_are_a_400(
    client: AsyncTestClient, alice: NewAccount, annotation: int, query: dict[str, str]
) -> None:
    url = f"/api/userannotation/{annotation}/crop.png"
    r = await client.get(url, params=query, auth=auth(alice))
    assert_status(r, 400)
    assert r.json()["errors"]["message"]


async def test_crop_etag_answers_304(
    client: AsyncTestClient, alice: NewAccount, annotation: int
) -> None:
    url = f"/api/userannotation/{annotation}/crop.png"
    first = await client.get(url, auth=auth(alice))
    headers = {"If-None-Match": first.headers["etag"]}
    again = await client.get(url, headers=headers, auth=auth(alice))
    assert_status(again, 304)
