"""The official cytomine-python-client annotates, reviews and crops a slide end to end.

The driver runs once per module (it uploads a slide and makes ~30 annotations); each test
asserts one part of what it reported.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.server.image_helpers import HEIGHT, WIDTH, write_pyramid
from tests.server.serving_helpers import source_region

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

DRIVER = Path(__file__).resolve().parent / "python" / "annotation_proof.py"
_RUNS: dict[str, Any] = {}


@pytest.fixture
def proof(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the driver reported (and the folder it wrote into), run once for the module."""
    if "report" not in _RUNS:
        base = request.getfixturevalue("live_server")
        admin = request.getfixturevalue("admin")
        python = request.getfixturevalue("client_python")
        folder = tmp_path_factory.mktemp("proof")
        slide = write_pyramid(folder / "slide.tif")
        out = folder / "out"
        out.mkdir()
        args = [base, admin.public_key, admin.private_key, str(slide), str(out)]
        done = subprocess.run(
            [str(python), str(DRIVER), *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        _RUNS.update(report=json.loads(done.stdout), out=out, slide=slide)
    return _RUNS


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as picture:
        picture.load()
        return picture.size


async def test_python_client_sets_up_a_project_with_an_uploaded_slide(proof: Any) -> None:
    assert proof["report"]["setup"] is True


async def test_python_client_creates_annotations_one_by_one_and_in_chunks(proof: Any) -> None:
    got = proof["report"]
    assert got["create_one"] == {"term": True, "project": True}
    assert got["create_bulk"] == {"saved": True, "total": 31}


async def test_python_client_filters_annotations_by_bbox_term_and_user(proof: Any) -> None:
    assert proof["report"]["filters"] == {
        "bbox": True,
        "term": 30,
        "user": 31,
        "users": 31,
        "terms": 31,
    }


async def test_python_client_links_an_annotation_to_a_track_and_filters_by_it(
    proof: Any,
) -> None:
    assert proof["report"]["tracks"] == {"track": True, "tracks": True}


async def test_python_client_updates_a_geometry(proof: Any) -> None:
    assert proof["report"]["update"] == {
        "location": "POLYGON((50 60,70 60,70 80,50 80,50 60))",
        "area": 25.0,
        "perimeter": 0.02,
    }


async def test_python_client_adds_and_removes_annotation_terms(proof: Any) -> None:
    assert proof["report"]["terms"] == {
        "added": True,
        "fetched": True,
        "both": True,
        "deleted": True,
        "left": True,
    }


async def test_python_client_dumps_crop_mask_and_alpha_mask(proof: Any) -> None:
    assert proof["report"]["crops"] == dict.fromkeys(
        ("crop", "crop_jpg", "mask", "alpha", "small", "bigger"), True
    )
    out = proof["out"]
    for name in ("crop.png", "crop.jpg", "mask.png", "alpha.png"):
        assert _size(out / name) == (20, 20), name
    with Image.open(out / "crop.png") as crop:
        pixels = np.asarray(crop.convert("RGB"))
    assert np.array_equal(pixels, source_region(proof["slide"], 50, HEIGHT - 80, 20, 20))
    assert max(_size(out / "small.png")) == 8
    assert _size(out / "bigger.png") == (40, 40)
    with Image.open(out / "alpha.png") as alpha:
        assert alpha.mode == "RGBA"
    with Image.open(out / "mask.png") as mask:
        assert set(mask.convert("L").tobytes()) <= {0, 255}


async def test_python_client_dumps_the_crops_of_a_collection_and_reads_gis_fields(
    proof: Any,
) -> None:
    assert proof["report"]["collection_crops"] == {"dumped": [1], "gis": [25.0, 0.02, True]}
    crops = list((proof["out"] / "crops").iterdir())
    assert [max(_size(path)) for path in crops] == [16]


async def test_python_client_reviews_and_unreviews(proof: Any) -> None:
    assert proof["report"]["review"] == {
        "started": True,
        "reviewed": True,
        "listed": [True],
        "unreviewed": True,
        "after": 0,
        "stopped": True,
    }


async def test_a_malformed_bulk_body_is_refused_and_leaves_no_rows(proof: Any) -> None:
    assert proof["report"]["malformed_bulk"] == {"status": 400, "unchanged": True}


async def test_a_rejected_chunk_leaves_no_rows_and_is_reported_inside_http_200(
    proof: Any,
) -> None:
    # Cytomine answers an array POST with HTTP 200 and the real status inside; the client
    # reads only the HTTP status, so it reports the chunk saved (as it does against Cytomine).
    assert proof["report"]["rejected_chunk"] == {"outcome": "saved", "unchanged": True}


async def test_python_client_deletes_an_annotation(proof: Any) -> None:
    assert proof["report"]["delete"] == {"deleted": True, "left": 30}


async def test_python_client_fetches_image_slices_and_pixels(proof: Any) -> None:
    assert proof["report"]["images"] == {
        "size": [WIDTH, HEIGHT],
        "dump": True,
        "window": True,
        "window_mask": True,
        "window_alpha": True,
        "window_terms": True,
        "window_reviewed": True,
        "download": True,
        "slices": 1,
        "reference": True,
        "slice": True,
        "slice_dump": True,
        "slice_window": True,
    }
    out = proof["out"]
    assert max(_size(out / "thumb.png")) == 128
    assert _size(out / "window.png") == (64, 32)
    with Image.open(out / "wmask.png") as mask:
        inside = np.asarray(mask.convert("L"))
    assert inside.shape == (40, 40)
    assert (inside[12:28, 12:28] == 255).all() and (inside[:8] == 0).all()
    with Image.open(out / "walpha.png") as alpha:
        opacity = np.asarray(alpha)[..., 3]
    assert (opacity[12:28, 12:28] == 255).all() and (opacity[:8] == 0).all()
    with Image.open(out / "wterms.png") as by_term:
        assert (np.asarray(by_term.convert("L"))[12:28, 12:28] == 255).all()
    with Image.open(out / "wreviewed.png") as reviewed:
        assert not np.asarray(reviewed.convert("L")).any()
    assert _size(out / "swindow.png") == (32, 16)
    assert (out / "original.tif").read_bytes() == proof["slide"].read_bytes()


async def test_python_client_reads_abstract_image_and_its_properties(proof: Any) -> None:
    assert proof["report"]["abstract"] == {
        "size": [WIDTH, HEIGHT],
        "has_vendor_properties": True,
        "download": True,
    }
    assert (proof["out"] / "abstract.tif").read_bytes() == proof["slide"].read_bytes()
