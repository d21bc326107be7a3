"""Window pictures drawn with the image's annotations (``mask``, ``alphaMask``, filters)."""

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
    settings_fixture,
    slide_fixture,
    source_region,
    storage_root_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# A 40x20 rectangle at (60, 40) top-left pixels, in the window (50, 30, 100, 50).
RECT = f"POLYGON ((60 {HEIGHT - 60}, 100 {HEIGHT - 60}, 100 {HEIGHT - 40}, 60 {HEIGHT - 40},"
RECT += f" 60 {HEIGHT - 60}))"
# A 10x10 square at (120, 50) top-left pixels, in the same window.
SQUARE = f"POLYGON ((120 {HEIGHT - 60}, 130 {HEIGHT - 60}, 130 {HEIGHT - 50}, 120 {HEIGHT - 50},"
SQUARE += f" 120 {HEIGHT - 60}))"
WINDOW = "window-50-30-100-50"


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
async def shapes(client: AsyncTestClient, alice: NewAccount, image: int) -> list[int]:
    """The rectangle and the square, drawn by Alice."""
    return [int((await create(client, alice, image, wkt))["id"]) for wkt in (RECT, SQUARE)]


async def _get(client: AsyncTestClient, who: NewAccount, url: str, **params: str) -> np.ndarray:
    r = await client.get(url, params=params, auth=auth(who))
    assert r.status_code == 200, r.text
    return np.asarray(Image.open(io.BytesIO(r.content)))


@pytest.mark.parametrize("flag", [{"mask": "true"}, {"type": "mask"}])
async def test_a_mask_window_is_white_inside_the_annotations_and_black_outside(
    client: AsyncTestClient, alice: NewAccount, image: int, shapes: list[int], flag: dict[str, str]
) -> None:
    mask = await _get(client, alice, f"/api/imageinstance/{image}/{WINDOW}.png", **flag)
    assert mask.shape[:2] == (50, 100)
    gray = mask if mask.ndim == 2 else mask[..., 0]
    assert (gray[12:18, 12:48] == 255).all() and (gray[22:28, 72:78] == 255).all()
    assert (gray[:8] == 0).all() and (gray[:, 55:68] == 0).all()


async def test_an_alpha_mask_window_keeps_pixels_inside_and_is_transparent_outside(
    client: AsyncTestClient, alice: NewAccount, image: int, shapes: list[int], slide: Path
) -> None:
    url = f"/api/imageinstance/{image}/{WINDOW}.png"
    rgba = await _get(client, alice, url, alphaMask="true")
    assert rgba.shape == (50, 100, 4)
    assert (rgba[12:18, 12:48, 3] == 255).all() and (rgba[:8, :, 3] == 0).all()
    source = source_region(slide, 50, 30, 100, 50)
    assert np.array_equal(rgba[12:18, 12:48, :3], source[12:18, 12:48])


async def test_listed_annotations_alone_are_drawn(
    client: AsyncTestClient, alice: NewAccount, image: int, shapes: list[int]
) -> None:
    url = f"/api/imageinstance/{image}/{WINDOW}.png"
    mask = await _get(client, alice, url, mask="true", annotations=str(shapes[1]))
    gray = mask if mask.ndim == 2 else mask[..., 0]
    assert (gray[12:18, 12:48] == 0).all() and (gray[22:28, 72:78] == 255).all()


async def test_a_user_filter_without_annotations_draws_an_empty_mask(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, image: int, shapes: list[int]
) -> None:
    url = f"/api/imageinstance/{image}/{WINDOW}.png"
    mask = await _get(client, alice, url, mask="true", users=str(bob.id))
    assert (mask == 0).all()


async def test_a_mask_of_an_abstract_image_window_is_refused(
    client: AsyncTestClient, db: asyncpg.Connection, admin: NewAccount, image: int
) -> None:
    abstract = await db.fetchval("SELECT base_image_id FROM image_instance WHERE id = $1", image)
    url = f"/api/abstractimage/{abstract}/{WINDOW}.png"
    r = await client.get(url, params={"mask": "true"}, auth=auth(admin))
    assert_status(r, 400)
