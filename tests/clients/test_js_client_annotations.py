"""The official JS client (the Web UI's API layer) works an image and its annotations.

A project with an uploaded slide and two terms is made over HTTP as alice; the node script
then logs in as alice and goes through the viewer's calls. The script runs once per module;
each test asserts one part of its report.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.clients.test_js_client import _served_routes, js_client_dir  # noqa: F401
from tests.server.image_helpers import HEIGHT, WIDTH, write_pyramid
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

_RUNS: dict[str, Any] = {}


def _post(http: httpx.Client, path: str, body: Any, key: str) -> int:
    r = http.post(path, json=body)
    assert r.status_code == 200, r.text
    return int(r.json()[key]["id"])


def _world(base: str, alice: NewAccount, slide: Path) -> dict[str, Any]:
    """Alice's project with a two-term ontology and one uploaded slide."""
    auth = CytomineAuth(alice.public_key, alice.private_key)
    with httpx.Client(base_url=base, auth=auth, timeout=60) as http:
        ontology = _post(http, "/api/ontology.json", {"name": "Viewer"}, "ontology")
        term = "/api/term.json"
        terms = [
            _post(http, term, {"name": n, "ontology": ontology, "color": c}, "term")
            for n, c in (("Tumour", "#FF0000"), ("Stroma", "#00FF00"))
        ]
        body = {"name": "Viewer", "ontology": ontology}
        project = _post(http, "/api/project.json", body, "project")
        storage = _post(http, "/api/storage.json", {"name": "Slides"}, "storage")
        params = {"idStorage": storage, "idProject": project, "sync": "true"}
        with slide.open("rb") as handle:
            files = {"files[]": (slide.name, handle, "image/tiff")}
            r = http.post("/upload", params=params, files=files)
        assert r.status_code == 200, r.text
        r = http.get(f"/api/project/{project}/imageinstance.json")
        image = int(r.json()["collection"][0]["id"])
    return {"project": project, "image": image, "terms": terms}


@pytest.fixture
def report(
    request: pytest.FixtureRequest,
    js_client_dir: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Any:
    """What the node script reported, with the ids of the world it ran on (run once)."""
    if "report" not in _RUNS:
        base = request.getfixturevalue("live_server")
        alice = request.getfixturevalue("alice")
        slide = write_pyramid(tmp_path_factory.mktemp("viewer") / "slide.tif")
        world = _world(base, alice, slide)
        args = [base, "alice", "alice-password", json.dumps(world)]
        command = ["node", "--import", "./register-hook.mjs", "images-annotations.mjs", *args]
        done = subprocess.run(
            command, cwd=js_client_dir, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        _RUNS.update(report=json.loads(done.stdout.strip().splitlines()[-1]), world=world)
    return _RUNS


def _ok(got: Any, name: str) -> dict[str, Any]:
    found = dict(got["report"][name])
    assert found.pop("ok"), found
    return found


async def test_js_client_fetches_the_image_its_slices_and_abstract_image(report: Any) -> None:
    world = report["world"]
    assert _ok(report, "image") == {
        "width": WIDTH,
        "height": HEIGHT,
        "zoom": 3,
        "tileSize": 256,
        "depth": 1,
        "project": world["project"],
    }
    assert _ok(report, "images") == {"ids": [world["image"]]}
    slices = _ok(report, "slices")
    assert slices["ids"] == [slices["reference"]]
    assert slices["image"] == world["image"]
    assert _ok(report, "abstractImage") == {"width": WIDTH, "height": HEIGHT}


async def test_js_client_creates_annotations_one_by_one_and_as_an_array(report: Any) -> None:
    tumour = report["world"]["terms"][0]
    assert _ok(report, "create") == {"ids": 2, "type": "UserAnnotation", "term": [tumour]}
    assert _ok(report, "bulk") == {"total": 7}


async def test_js_client_lists_a_viewer_layer_with_its_filters(report: Any) -> None:
    layer = _ok(report, "layer")
    assert len(layer["ids"]) == 1
    assert layer["location"] == "POLYGON((100 100,140 100,140 140,100 140,100 100))"
    assert layer["term"] == [report["world"]["terms"][0]]
    assert layer["centroid"] is True


async def test_js_client_filters_annotations_by_terms_users_and_images(report: Any) -> None:
    assert _ok(report, "filters") == {"terms": 6, "users": 7, "images": 7, "noTerm": 0}


async def test_js_client_sends_the_viewer_layer_request_with_a_username_filter(
    report: Any,
) -> None:
    assert _ok(report, "webuiLayer") == {"size": 1, "count": [None], "other": 404}


async def test_js_client_sends_the_list_panel_request_with_flattened_slice_keys(
    report: Any,
) -> None:
    assert _ok(report, "webuiListPanel") == {"size": 6, "page": 1}


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("annotationLayers", {"array": True, "collection": False}),
        ("propertyKeys", {"array": False, "collection": True}),
        ("imageTracks", {"array": False, "collection": True}),
        ("imageMetadata", {"array": False, "collection": True}),
    ],
)
async def test_js_client_reads_the_viewer_side_panels(
    report: Any, name: str, shape: dict[str, bool]
) -> None:
    assert _ok(report, name) == shape


# Calls the viewer makes after a drawing -> the catalog route each needs (asserted once served).
AFTER_DRAW = {
    "comments": ("GET", "/api/userannotation/{}/comment"),
    "links": ("GET", "/api/annotation/{}/annotationlink"),
    "attachedFiles": ("GET", "/api/domain/{}/{}/attachedfile"),
    "annotationTags": ("GET", "/api/domain/{}/{}/tag_domain_association"),
    "annotationProperties": ("GET", "/api/domain/{}/{}/property"),
    "position": ("POST", "/api/sliceinstance/{}/position"),
    "consultation": ("POST", "/api/imageinstance/{}/consultation"),
}


@pytest.mark.parametrize("name", sorted(AFTER_DRAW))
async def test_js_client_makes_the_viewers_calls_after_a_drawing(report: Any, name: str) -> None:
    served = {(m, re.sub(r"\{[^}]*\}", "{}", path)) for m, path in _served_routes()}
    if AFTER_DRAW[name] not in served:
        pytest.skip(f"{AFTER_DRAW[name]} is not served yet")
    assert _ok(report, name) == {"status": 200}


async def test_js_client_reads_a_missing_annotation_description_as_not_found(
    report: Any,
) -> None:
    assert _ok(report, "description") == {"status": 404}


async def test_js_client_pages_through_annotations(report: Any) -> None:
    assert _ok(report, "paging") == {"first": 3, "last": 1, "pages": 3, "total": 7, "all": 7}


async def test_js_client_updates_a_geometry_through_the_user_annotation_route(
    report: Any,
) -> None:
    assert _ok(report, "update") == {
        "location": "POLYGON((50 60,70 60,70 80,50 80,50 60))",
        "area": 25,
    }


async def test_js_client_adds_and_removes_annotation_terms(report: Any) -> None:
    stroma = report["world"]["terms"][1]
    assert _ok(report, "terms") == {"fetched": stroma, "left": [stroma]}


async def test_js_client_links_an_annotation_to_a_track(report: Any) -> None:
    got = _ok(report, "tracks")
    assert got["link"] is True
    assert got["tracks"] == 1
    assert len(got["layerTrack"]) == 1
    assert got["linked"] is not None


async def test_js_client_fills_corrects_and_records_actions(report: Any) -> None:
    assert _ok(report, "editTools") == {
        "filled": "POLYGON((600 100,700 100,700 200,600 200,600 100))",
        "grown": True,
        "grownArea": 775,
        "action": "select",
    }


async def test_js_client_simplifies_an_annotation(report: Any) -> None:
    assert _ok(report, "simplify") == {"location": "POLYGON((50 60,70 60,70 80,50 80,50 60))"}


async def test_js_client_lists_annotation_terms_and_track_links_of_an_annotation(
    report: Any,
) -> None:
    assert _ok(report, "linkCollections") == {
        "terms": [report["world"]["terms"][1]],
        "byAnnotation": [True],
        "byTrack": [True],
        "neighbours": [None, None],
        "panelCounts": [6, 1, 7, 0],
    }


async def test_js_client_manages_annotation_properties(report: Any) -> None:
    assert _ok(report, "properties") == {"listed": ["score"], "value": "8", "after": 0}


async def test_js_client_tags_an_image(report: Any) -> None:
    assert _ok(report, "tags") == {"linked": True, "listed": [True], "onAnnotation": 0, "after": 0}


async def test_js_client_untags_through_the_objects_url(report: Any) -> None:
    assert _ok(report, "tagDeleteThroughDomain") == {"after": 0}


async def test_js_client_reads_the_annotation_index_of_a_slice(report: Any) -> None:
    slices = _ok(report, "slices")
    index = _ok(report, "annotationIndex")
    assert index == {"count": 7, "reviewed": 0, "slice": slices["reference"]}


async def test_js_client_crop_url_serves_a_png(report: Any) -> None:
    assert _ok(report, "crop") == {"status": 200, "type": "image/png"}


async def test_js_client_reviews_one_and_all_annotations_and_cancels(report: Any) -> None:
    assert _ok(report, "review") == {
        "type": "ReviewedAnnotation",
        "parent": True,
        "listed": 1,
        "stats": True,
        "pending": 6,
        "all": 7,
        "after": 0,
    }


_BOUNDS = {"minimum", "maximum"}
_CHANNEL = {"channel", "apparentChannel", "sample", "color"}
_BINS = {"histogram", "nBins", "firstBin", "lastBin"}


@pytest.mark.parametrize(
    ("name", "rows", "keys"),
    [
        ("imageHistogram", None, _BOUNDS | _BINS),
        ("imageHistogramBounds", None, _BOUNDS),
        ("imageChannelHistograms", 3, _BOUNDS | _CHANNEL | _BINS),
        ("imageChannelBounds", 3, _BOUNDS | _CHANNEL),
        ("sliceHistogram", 3, _BOUNDS | _CHANNEL | _BINS),
        ("sliceHistogramBounds", 3, _BOUNDS | _CHANNEL),
        ("sliceChannelHistograms", 3, _BOUNDS | _CHANNEL | _BINS),
        ("sliceChannelBounds", 3, _BOUNDS | _CHANNEL),
    ],
)
async def test_js_client_fetches_histograms(
    report: Any, name: str, rows: int | None, keys: set[str]
) -> None:
    got = _ok(report, name)
    assert got["rows"] == rows
    assert keys <= set(got["keys"])


async def test_js_client_deletes_an_annotation_through_the_user_annotation_route(
    report: Any,
) -> None:
    assert _ok(report, "delete") == {"left": 6}
