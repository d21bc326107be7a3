"""Image crops, camera pictures, window URLs, histograms and associated names of an image."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.image_helpers import HEIGHT
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    pixels,
    settings_fixture,
    slide_fixture,
    source_region,
    storage_root_fixture,
    uploaded_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


def rect(left: int, top: int, width: int, height: int) -> str:
    """WKT (bottom-left frame) of a top-left rectangle of the test image."""
    y0, y1 = HEIGHT - top - height, HEIGHT - top
    x1 = left + width
    return f"POLYGON (({left} {y0}, {x1} {y0}, {x1} {y1}, {left} {y1}, {left} {y0}))"


def close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and int(np.abs(a.astype(int) - b.astype(int)).max()) <= 2


@pytest.mark.parametrize("segment", ["crop.png", "cropgeometry.png"])
async def test_crop_of_a_geometry_equals_the_source_region(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path, segment: str
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/{segment}"
    r = await client.get(url, params={"geometry": rect(100, 120, 200, 300)}, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    assert close(pixels(r.content), source_region(slide, 100, 120, 200, 300))


async def test_posted_crop_reads_its_body_and_fits_max_size(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path
) -> None:
    body = {"location": rect(0, 0, 400, 200), "maxSize": 100}
    url = f"/api/abstractimage/{uploaded.abstract}/crop.png"
    r = await client.post(url, json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape == (50, 100, 3)


async def test_crop_zoom_halves_the_output(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = {"geometry": rect(0, 0, 400, 200), "zoom": 2}
    r = await client.get(
        f"/api/sliceinstance/{uploaded.slice}/crop.jpg", params=query, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape == (50, 100, 3)


async def test_mask_crop_is_white_inside_the_geometry(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    triangle = f"POLYGON ((0 {HEIGHT}, 100 {HEIGHT}, 0 {HEIGHT - 100}, 0 {HEIGHT}))"
    query = {"geometry": triangle, "type": "mask"}
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/crop.png", params=query, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    mask = pixels(r.content)[..., 0]
    assert mask[10, 10] == 255 and mask[90, 90] == 0


async def test_crop_without_geometry_is_a_400_with_a_message(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/crop.png", auth=auth(alice))
    assert_status(r, 400)
    assert "geometry" in r.json()["errors"]["message"]


async def test_crop_larger_than_the_limit_is_a_400(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = {"geometry": rect(0, 0, 9000, 100)}
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/crop.png", params=query, auth=auth(alice)
    )
    assert_status(r, 400)
    assert "maximum" in r.json()["errors"]["message"]


async def test_safe_crop_is_resized_to_the_limit(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = {"geometry": rect(0, 0, 9000, 90), "safe": "true"}
    url = f"/api/imageinstance/{uploaded.instance}/crop.jpg"
    r = await client.get(url, params=query, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert pixels(r.content).shape[1] == 8192


async def test_posted_form_crop_reads_its_fields(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    form = {"geometry": rect(0, 0, 40, 20), "type": "mask"}
    url = f"/api/imageinstance/{uploaded.instance}/crop.png"
    r = await client.post(url, data=form, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert int(pixels(r.content).min()) == 255


async def test_crop_of_a_non_member_is_forbidden(
    client: AsyncTestClient, bob: NewAccount, uploaded: Uploaded
) -> None:
    query = {"geometry": rect(0, 0, 10, 10)}
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/crop.png", params=query, auth=auth(bob)
    )
    assert_status(r, 403)


async def test_cropgeometry_is_only_an_image_instance_route(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    query = {"geometry": rect(0, 0, 10, 10)}
    url = f"/api/abstractimage/{uploaded.abstract}/cropgeometry.png"
    r = await client.get(url, params=query, auth=auth(alice))
    assert_status(r, 404)


async def test_posted_camera_is_the_window_of_its_body(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path
) -> None:
    body = {"x": 30, "y": 40, "w": 64, "h": 32}
    url = f"/api/sliceinstance/{uploaded.slice}/camera.png"
    r = await client.post(url, json=body, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert close(pixels(r.content), source_region(slide, 30, 40, 64, 32))


async def test_camera_without_a_box_is_a_400(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/camera.png"
    r = await client.post(url, json={"x": 1}, auth=auth(alice))
    assert_status(r, 400)


@pytest.mark.parametrize("kind", ["window_url", "camera_url"])
async def test_window_url_is_a_signed_url_of_the_window(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded, slide: Path, kind: str
) -> None:
    url = f"/api/imageinstance/{uploaded.instance}/{kind}-10-20-30-40.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    target = urlsplit(r.json()["url"])
    assert target.path.endswith(f"/imageinstance/{uploaded.instance}/window-10-20-30-40.png")
    picture = await client.get(f"{target.path}?{target.query}")
    assert picture.status_code == 200, picture.text
    assert close(pixels(picture.content), source_region(slide, 10, 20, 30, 40))


async def test_window_url_outside_the_image_is_a_400(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(
        f"/api/imageinstance/{uploaded.instance}/window_url-5000-0-10-10.png", auth=auth(alice)
    )
    assert_status(r, 400)


async def test_unknown_picture_of_an_image_is_a_404(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/imageinstance/{uploaded.instance}/nothing.png", auth=auth(alice))
    assert_status(r, 404)
