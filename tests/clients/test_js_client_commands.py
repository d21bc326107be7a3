"""The official JS client undoes and redoes viewer edits, reads activity logs and descriptions.

The world (project, ontology, uploaded slide) is made over HTTP as alice; the node script logs
in as alice and goes through the viewer's undo/redo, the activity page and the description
panel. It runs once per module; each test asserts one part of its report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.clients.js_report import ok as _ok
from tests.clients.js_report import run_in_world
from tests.clients.test_js_client import js_client_dir  # noqa: F401

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]


@pytest.fixture
def report(
    request: pytest.FixtureRequest,
    js_client_dir: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """What the node script reported (run once per module)."""
    return run_in_world(request, js_client_dir, tmp_path_factory, "commands-descriptions.mjs")


async def test_js_client_keeps_the_command_of_a_drawn_and_moved_annotation(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "draw") == {"type": "UserAnnotation", "command": True}
    assert _ok(report, "move") == {"changed": True}


async def test_js_client_undo_restores_the_location_and_terms_and_redo_reapplies(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "undo") == {"back": True, "term": True}
    assert _ok(report, "redo") == {"again": True, "term": True}


async def test_js_client_undo_of_a_delete_brings_the_annotation_back(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "delete-undo") == {"sameId": True, "location": True}


async def test_js_client_reads_the_activity_logs(report: dict[str, Any]) -> None:
    got = _ok(report, "history")
    assert got["prefixes"][:4] == ["UNDO", "", "REDO", "UNDO"]
    assert got["classNames"] == ["AddCommand", "DeleteCommand", "EditCommand"]
    assert got["projectPage"] == 2


async def test_js_client_adds_reads_changes_and_deletes_a_description(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "description") == {
        "missing": 404,
        "saved": True,
        "fetched": True,
        "changed": "<p>Scanned once</p>",
        "gone": 404,
    }
    assert _ok(report, "annotation-description") == {
        "className": "be.cytomine.domain.ontology.UserAnnotation",
        "ident": True,
    }
