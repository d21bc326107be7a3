"""The official JS client comments an annotation and attaches a file to it.

The world (project, ontology, uploaded slide) is made over HTTP as alice; the node script logs
in as alice and goes through the annotation panel's calls. It runs once per module; each test
asserts one part of its report.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.clients.test_js_client import js_client_dir  # noqa: F401
from tests.clients.test_js_client_annotations import _world
from tests.server.image_helpers import write_pyramid

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

_RUNS: dict[str, Any] = {}


@pytest.fixture
def report(
    request: pytest.FixtureRequest,
    js_client_dir: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """What the node script reported (run once per module)."""
    if "report" not in _RUNS:
        base = request.getfixturevalue("live_server")
        alice = request.getfixturevalue("alice")
        slide = write_pyramid(tmp_path_factory.mktemp("comments") / "slide.tif")
        world = _world(base, alice, slide)
        args = [base, "alice", "alice-password", json.dumps(world)]
        command = ["node", "--import", "./register-hook.mjs", "comments-files.mjs", *args]
        done = subprocess.run(
            command, cwd=js_client_dir, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        _RUNS["report"] = json.loads(done.stdout.strip().splitlines()[-1])
    return _RUNS["report"]  # type: ignore[no-any-return]


def _ok(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = dict(report[name])
    assert found.pop("ok"), found
    return found


async def test_js_client_saves_a_comment_through_the_user_annotation_route(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "annotation") == {"type": "UserAnnotation"}
    got = _ok(report, "comment")
    assert (got["saved"], got["sender"], len(got["receivers"])) == (True, True, 1)


async def test_js_client_lists_and_fetches_comments_and_sees_the_count(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "comments") == {
        "listed": ["Is it tumour?"],
        "fetched": "Is it tumour?",
        "nbComments": 1,
    }


async def test_js_client_form_upload_attaches_a_file(report: dict[str, Any]) -> None:
    assert _ok(report, "attach") == {"status": 200, "filename": "notes.txt", "url": True}


async def test_js_client_lists_fetches_and_downloads_attached_files(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "files") == {
        "listed": ["notes.txt"],
        "fetched": "notes.txt",
        "content": "hello",
    }


async def test_js_client_deletes_an_attached_file(report: dict[str, Any]) -> None:
    assert _ok(report, "detach") == {"after": 0}
