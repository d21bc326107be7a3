"""Flat and untiled images are converted to tiled pyramids at upload; optics are never invented.

Sources are generated here. A lossless source (uncompressed, LZW or deflate TIFF, PNG, 16-bit)
is converted losslessly: the stored pyramid and the PNG tiles and windows the routes serve
equal its pixels exactly. A JPEG source (a JPEG file or a JPEG-compressed TIFF) keeps JPEG tiles
(quality 90): its pixels are compared within JPEG tolerance (mean error under 2, no pixel off
by more than 32 levels on these smooth waves).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
import pytest
import pyvips
import tifffile
from litestar.testing import AsyncTestClient
from PIL import Image

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.server.image_helpers import make_storage, upload, write_pyramid
from tests.server.project_helpers import auth, make_project
from tests.server.serving_helpers import settings_fixture, storage_root_fixture

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

CONVERTED = 104
DEPLOYED = 100

__all__ = ["settings_fixture", "storage_root_fixture"]  # the fixtures, used by their names


def gradient(width: int, height: int) -> np.ndarray:
    """Smooth waves (no sharp edge for JPEG to ring on) that differ along both axes."""
    y, x = np.mgrid[0:height, 0:width].astype(float)
    bands = [np.sin(x / 23), np.cos(y / 17), np.sin((x + y) / 31)]
    return np.stack([128 + 100 * band for band in bands], axis=-1).astype(np.uint8)


def strip_tiff(path: Path, width: int, height: int, microns: float | None = None) -> np.ndarray:
    pixels = gradient(width, height)
    extra: dict[str, Any] = {}
    if microns is not None:
        extra = {"resolution": (1e4 / microns, 1e4 / microns), "resolutionunit": "CENTIMETER"}
    tifffile.imwrite(path, pixels, photometric="rgb", rowsperstrip=16, **extra)
    return pixels


async def deploy(client: AsyncTestClient, alice: NewAccount, path: Path) -> dict[str, Any]:
    storage = await make_storage(client, alice)
    project = await make_project(client, alice)
    r = await upload(client, alice, path, storage, project["id"])
    assert r.status_code == 200, r.text
    [answer] = r.json()
    assert answer.get("error") is None, answer
    return dict(answer)


async def window(
    client: AsyncTestClient,
    alice: NewAccount,
    answer: dict[str, Any],
    box: tuple[int, int, int, int] = (0, 0, 256, 256),
) -> Any:
    """The PNG window ``(x, y, width, height)`` of the uploaded image, as RGB pixels."""
    instance = answer["images"][0]["imageInstances"][0]["id"]
    url = f"/api/imageinstance/{instance}/window-{'-'.join(map(str, box))}.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"))


async def full_resolution_tile(
    client: AsyncTestClient, alice: NewAccount, answer: dict[str, Any], tx: int, ty: int
) -> Any:
    """The PNG tile (tx, ty) of the image's deepest zoom (its full resolution), as RGB pixels."""
    image = answer["images"][0]["image"]
    r = await client.get(f"/api/abstractimage/{image['id']}/abstractslice.json", auth=auth(alice))
    [base] = r.json()["collection"]
    zoom = image["zoom"]
    url = f"/api/abstractslice/{base['id']}/normalized-tile/zoom/{zoom}/tx/{tx}/ty/{ty}.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"))


def stored_compression(path: Path) -> int:
    """The compression of the converted copy's full-resolution tiles."""
    with tifffile.TiffFile(path) as tif:
        return int(tif.pages.first.compression)


def close(served: np.ndarray, source: np.ndarray) -> None:
    diff = np.abs(served.astype(int) - source.astype(int))
    assert diff.mean() < 2 and diff.max() <= 32


async def uploaded_file(client: AsyncTestClient, alice: NewAccount, file_id: int) -> Any:
    r = await client.get(f"/api/uploadedfile/{file_id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    return r.json()


async def test_strip_tiff_is_converted_served_and_downloaded_as_uploaded(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, storage_root: Path
) -> None:
    source = strip_tiff(tmp_path / "strips.tif", 5000, 300, microns=0.5)
    answer = await deploy(client, alice, tmp_path / "strips.tif")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (5000, 300)
    assert image["physicalSizeX"] == pytest.approx(0.5)
    assert image["physicalSizeY"] == pytest.approx(0.5)
    assert image["magnification"] is None
    assert image["contentType"] == "PYRTIFF"
    original = answer["uploadedFile"]
    assert (original["status"], original["contentType"]) == (CONVERTED, "PLANARTIFF")
    child = await uploaded_file(client, alice, image["uploadedFile"])
    assert child["parent"] == original["id"] and child["status"] == DEPLOYED
    assert child["size"] == (storage_root / child["path"]).stat().st_size > 0
    # An uncompressed source: deflate tiles, and its pixels are served exactly.
    assert stored_compression(storage_root / child["path"]) == tifffile.COMPRESSION.ADOBE_DEFLATE
    with tifffile.TiffFile(storage_root / child["path"]) as tif:
        assert np.array_equal(tif.pages.first.asarray(), source)
    assert np.array_equal(await window(client, alice, answer), source[:256, :256])
    served = await window(client, alice, answer, (4700, 37, 300, 250))
    assert np.array_equal(served, source[37:287, 4700:5000])
    tile = await full_resolution_tile(client, alice, answer, 18, 1)
    assert np.array_equal(tile[:44], source[256:300, 4608:4864])
    instance = answer["images"][0]["imageInstances"][0]["id"]
    r = await client.get(f"/api/imageinstance/{instance}/download", auth=auth(alice))
    assert r.status_code == 200 and r.content == (tmp_path / "strips.tif").read_bytes()


async def test_tiled_tiff_without_reduced_levels_is_converted(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    source = gradient(5000, 300)
    tifffile.imwrite(tmp_path / "flat.tif", source, photometric="rgb", tile=(256, 256))
    answer = await deploy(client, alice, tmp_path / "flat.tif")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (5000, 300)
    assert answer["uploadedFile"]["status"] == CONVERTED
    assert image["contentType"] == "PYRTIFF"
    assert np.array_equal(await window(client, alice, answer), source[:256, :256])


async def test_small_flat_image_is_served_as_it_is(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    source = gradient(600, 400)
    Image.fromarray(source).save(tmp_path / "small.png")
    answer = await deploy(client, alice, tmp_path / "small.png")
    image = answer["images"][0]["image"]
    assert image["uploadedFile"] == answer["uploadedFile"]["id"]
    assert (answer["uploadedFile"]["status"], image["contentType"]) == (DEPLOYED, "PNG")
    # Lossless: the PNG itself is served.
    assert np.array_equal(await window(client, alice, answer), source[:256, :256])


async def test_large_jpeg_is_converted_without_inventing_optics(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    source = gradient(6000, 400)
    Image.fromarray(source).save(tmp_path / "big.jpg", quality=95, dpi=(72, 72))
    answer = await deploy(client, alice, tmp_path / "big.jpg")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (6000, 400)
    # 72 dpi is a screen density, not a microscope's pixel size.
    assert image["physicalSizeX"] is None and image["magnification"] is None
    assert answer["uploadedFile"]["contentType"] == "JPEG"
    close(await window(client, alice, answer), source[:256, :256])


async def test_jpeg_compressed_strip_tiff_keeps_jpeg_tiles(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, storage_root: Path
) -> None:
    source = gradient(5000, 300)
    tifffile.imwrite(
        tmp_path / "lossy.tif", source, photometric="rgb", rowsperstrip=16, compression="jpeg"
    )
    answer = await deploy(client, alice, tmp_path / "lossy.tif")
    image = answer["images"][0]["image"]
    assert answer["uploadedFile"]["status"] == CONVERTED
    child = await uploaded_file(client, alice, image["uploadedFile"])
    assert stored_compression(storage_root / child["path"]) == tifffile.COMPRESSION.JPEG
    close(await window(client, alice, answer), source[:256, :256])


async def test_png_is_converted(client: AsyncTestClient, alice: NewAccount, tmp_path: Path) -> None:
    source = gradient(4500, 300)
    Image.fromarray(source).save(tmp_path / "wide.png")
    answer = await deploy(client, alice, tmp_path / "wide.png")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"], image["channels"]) == (4500, 300, 1)
    assert answer["uploadedFile"]["contentType"] == "PNG"
    assert np.array_equal(await window(client, alice, answer), source[:256, :256])
    tile = await full_resolution_tile(client, alice, answer, 17, 0)
    assert np.array_equal(tile[:, :148], source[:256, 4352:4500])


async def test_16_bit_gray_tiff_is_converted_losslessly(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, storage_root: Path
) -> None:
    y, x = np.mgrid[0:200, 0:4500]
    source = (x * 13 + y * 7).astype(np.uint16)
    tifffile.imwrite(tmp_path / "gray16.tif", source, photometric="minisblack")
    answer = await deploy(client, alice, tmp_path / "gray16.tif")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (4500, 200)
    assert image["bitPerSample"] == 16 and image["samplePerPixel"] == 1
    child = await uploaded_file(client, alice, image["uploadedFile"])
    with tifffile.TiffFile(storage_root / child["path"]) as tif:
        assert tif.pages[0].is_tiled
        assert np.array_equal(tif.pages[0].asarray(), source)


def tiled_ome_tiff(
    path: Path, planes: np.ndarray, names: list[str], optics: dict[str, Any]
) -> None:
    """Channel planes (CYX) as a tiled OME-TIFF naming its channels (sizes in µm by default)."""
    metadata = {"axes": "CYX", "PhysicalSizeYUnit": "µm", **optics, "Channel": {"Name": names}}
    tifffile.imwrite(path, planes, tile=(256, 256), photometric="minisblack", metadata=metadata)


async def test_ome_tiff_physical_size_and_channels_come_from_its_xml(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    planes = np.stack([np.full((512, 512), 40 * (c + 1), np.uint8) for c in range(3)])
    optics = {"PhysicalSizeX": 325.0, "PhysicalSizeXUnit": "nm", "PhysicalSizeY": 0.35}
    tiled_ome_tiff(tmp_path / "cells.ome.tif", planes, ["DAPI", "GFP", "RFP"], optics)
    answer = await deploy(client, alice, tmp_path / "cells.ome.tif")
    image = answer["images"][0]["image"]
    assert image["physicalSizeX"] == pytest.approx(0.325)
    assert image["physicalSizeY"] == pytest.approx(0.35)
    assert image["magnification"] is None
    assert image["channels"] == 3
    assert answer["uploadedFile"]["contentType"] == "OMETIFF"
    assert answer["uploadedFile"]["status"] == DEPLOYED
    r = await client.get(f"/api/abstractimage/{image['id']}/abstractslice.json", auth=auth(alice))
    slices = sorted((s["channel"], s["channelName"]) for s in r.json()["collection"])
    assert slices == [(0, "DAPI"), (1, "GFP"), (2, "RFP")]


async def test_multichannel_16_bit_ome_tiff_keeps_its_truth(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    y, x = np.mgrid[0:700, 0:900]
    # Multiples of 257: the 8-bit rendering of a 16-bit value v is exactly v / 257.
    levels = np.stack([(x + 3 * y + 40 * c) % 256 for c in range(3)]).astype(np.uint16)
    optics = {"PhysicalSizeX": 0.65, "PhysicalSizeY": 0.5}
    tiled_ome_tiff(tmp_path / "fluo.ome.tif", levels * 257, ["DAPI", "FITC", "TRITC"], optics)
    answer = await deploy(client, alice, tmp_path / "fluo.ome.tif")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (900, 700)
    assert image["physicalSizeX"] == pytest.approx(0.65)
    assert image["physicalSizeY"] == pytest.approx(0.5)
    assert image["magnification"] is None
    assert (image["channels"], image["depth"], image["duration"]) == (3, 1, 1)
    assert (image["bitPerSample"], image["samplePerPixel"]) == (16, 1)
    assert answer["uploadedFile"]["contentType"] == "OMETIFF"
    r = await client.get(f"/api/abstractimage/{image['id']}/abstractslice.json", auth=auth(alice))
    slices = {s["channel"]: s for s in r.json()["collection"]}
    assert {c: s["channelName"] for c, s in slices.items()} == {0: "DAPI", 1: "FITC", 2: "TRITC"}
    url = f"/api/abstractslice/{slices[1]['id']}/window-610-430-250-200.png"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    served = np.asarray(Image.open(io.BytesIO(r.content)).convert("L"))
    assert np.array_equal(served, levels[1, 430:630, 610:860])


async def test_tiled_pyramid_is_served_as_it_is(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    answer = await deploy(client, alice, write_pyramid(tmp_path / "slide.tif"))
    image = answer["images"][0]["image"]
    assert image["uploadedFile"] == answer["uploadedFile"]["id"]
    assert answer["uploadedFile"]["status"] == DEPLOYED
    assert image["contentType"] == "PYRTIFF" and image["magnification"] is None


async def test_svs_declares_its_format_and_magnification(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    from tiling import synthetic

    synthetic.write(tmp_path / "slide.svs", 600, 400, "svs", seed=3)
    answer = await deploy(client, alice, tmp_path / "slide.svs")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (600, 400)
    assert image["magnification"] == 40 and image["physicalSizeX"] == pytest.approx(0.25)
    assert image["contentType"] == "SVS"


@pytest.mark.parametrize("name", ["cut.tif", "cut.jpg"])
async def test_truncated_file_ends_in_error_conversion_and_leaves_no_file(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, storage_root: Path, name: str
) -> None:
    Image.fromarray(gradient(5000, 300)).save(tmp_path / name)
    data = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(data[: len(data) // 3])
    storage = await make_storage(client, alice)
    r = await upload(client, alice, tmp_path / name, storage)
    [answer] = r.json()
    assert answer["images"] == [] and answer["uploadedFile"]["statusText"] == "ERROR_CONVERSION"
    assert "corrupt" in answer["error"]
    r = await client.get("/api/uploadedfile.json", params={"storage": storage}, auth=auth(alice))
    assert {f["statusText"] for f in r.json()["collection"]} == {"ERROR_CONVERSION"}
    assert [p for p in storage_root.rglob("*") if p.is_file()] == []


@pytest.mark.slow
async def test_20000_by_15000_strip_tiff_is_converted(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    xyz = pyvips.Image.xyz(20000, 15000)
    pixels = (xyz[0] % 256).bandjoin([xyz[1] % 256, (xyz[0] + xyz[1]) % 256]).cast("uchar")
    pixels.tiffsave(str(tmp_path / "huge.tif"), tile=False, compression="lzw")
    answer = await deploy(client, alice, tmp_path / "huge.tif")
    image = answer["images"][0]["image"]
    assert (image["width"], image["height"]) == (20000, 15000)

    def source(x0: int, y0: int, width: int, height: int) -> np.ndarray:
        y, x = np.mgrid[y0 : y0 + height, x0 : x0 + width]
        return np.stack([x % 256, y % 256, (x + y) % 256], axis=-1).astype(np.uint8)

    # An LZW source: the pyramid is lossless and served pixels equal the source's exactly.
    assert np.array_equal(await window(client, alice, answer), source(0, 0, 256, 256))
    box = (17321, 12987, 400, 300)
    assert np.array_equal(await window(client, alice, answer, box), source(*box))
    tile = await full_resolution_tile(client, alice, answer, 60, 40)
    assert np.array_equal(tile, source(60 * 256, 40 * 256, 256, 256))


async def test_async_upload_shows_the_converted_tree(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path
) -> None:
    strip_tiff(tmp_path / "later.tif", 4200, 200)
    storage = await make_storage(client, alice)
    r = await upload(client, alice, tmp_path / "later.tif", storage, sync=False)
    original = r.json()[0]["uploadedFile"]
    assert original["statusText"] == "DETECTING_FORMAT"
    r = await client.get("/api/uploadedfile.json", params={"storage": storage}, auth=auth(alice))
    files = {f["id"]: f for f in r.json()["collection"]}
    [child] = [f for f in files.values() if f["parent"] == original["id"]]
    assert files[original["id"]]["statusText"] == "CONVERTED"
    assert (child["statusText"], child["contentType"]) == ("DEPLOYED", "PYRTIFF")
    assert child["originalFilename"] == "later.tif" and child["size"] > 0


async def test_converted_ome_tiff_keeps_the_optics_its_xml_declares(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, db: asyncpg.Connection
) -> None:
    tifffile.imwrite(
        tmp_path / "strip.ome.tif",
        gradient(4200, 120),
        photometric="rgb",
        rowsperstrip=8,
        metadata={"axes": "YXS", "PhysicalSizeX": 0.00025, "PhysicalSizeXUnit": "mm"},
    )
    answer = await deploy(client, alice, tmp_path / "strip.ome.tif")
    image = answer["images"][0]["image"]
    assert answer["uploadedFile"]["contentType"] == "OMETIFF"
    assert answer["uploadedFile"]["status"] == CONVERTED
    assert image["physicalSizeX"] == pytest.approx(0.25) and image["physicalSizeY"] is None
    await db.execute("UPDATE abstract_image SET physical_size_x = NULL WHERE id = $1", image["id"])
    url = f"/api/abstractimage/{image['id']}/properties/extract"
    assert (await client.post(url, auth=auth(alice))).status_code == 200
    r = await client.get(f"/api/abstractimage/{image['id']}.json", auth=auth(alice))
    assert r.json()["physicalSizeX"] == pytest.approx(0.25)


async def test_deleting_a_converted_upload_removes_the_original_and_its_copy(
    client: AsyncTestClient, alice: NewAccount, tmp_path: Path, storage_root: Path
) -> None:
    strip_tiff(tmp_path / "gone.tif", 4200, 100)
    storage = await make_storage(client, alice)
    r = await upload(client, alice, tmp_path / "gone.tif", storage)
    [answer] = r.json()
    image = answer["images"][0]["image"]
    assert len([p for p in storage_root.rglob("*") if p.is_file()]) == 2
    url = f"/api/uploadedfile/{answer['uploadedFile']['id']}.json"
    assert (await client.delete(url, auth=auth(alice))).status_code == 200
    assert [p for p in storage_root.rglob("*") if p.is_file()] == []
    r = await client.get(f"/api/abstractimage/{image['id']}.json", auth=auth(alice))
    assert_status(r, 404)
