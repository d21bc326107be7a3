"""The official JS client reads and changes configuration, image filters and the custom UI.

The node script logs in as the admin and goes through the models the Web UI's admin and
project configuration pages use. It runs once per module; each test asserts one part of its
report.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.clients.test_js_client import js_client_dir  # noqa: F401
from tests.clients.test_js_client_comments_files import _ok

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

_RUNS: dict[str, Any] = {}


@pytest.fixture
def report(
    request: pytest.FixtureRequest,
    js_client_dir: Path,  # noqa: F811
) -> dict[str, Any]:
    """What the node script reported (run once per module)."""
    if "report" not in _RUNS:
        base = request.getfixturevalue("live_server")
        request.getfixturevalue("admin")
        command = [
            "node",
            "--import",
            "./register-hook.mjs",
            "settings.mjs",
            base,
            "admin",
            "admin-password",
        ]
        done = subprocess.run(
            command, cwd=js_client_dir, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        _RUNS["report"] = json.loads(done.stdout.strip().splitlines()[-1])
    return _RUNS["report"]  # type: ignore[no-any-return]


async def test_js_client_saves_reads_and_deletes_a_configuration_item(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "configurationSave") == {
        "key": "WELCOME",
        "value": "Hello",
        "readingRole": "ALL",
    }
    assert _ok(report, "configurationRead") == {"value": "Hello", "keys": ["WELCOME"]}
    assert _ok(report, "configurationDelete") == {"left": 0}


async def test_js_client_lists_the_image_filters(report: dict[str, Any]) -> None:
    assert _ok(report, "imageFilters") == {"count": 28, "otsu": "Otsu Threshold"}


async def test_js_client_enables_and_disables_a_filter_in_a_project(
    report: dict[str, Any],
) -> None:
    found = _ok(report, "imageFilterProject")
    assert (len(found["listed"]), found["name"], found["after"]) == (1, "Otsu Threshold", 0)


async def test_js_client_reads_and_saves_the_custom_ui_of_a_project(
    report: dict[str, Any],
) -> None:
    assert _ok(report, "customUI") == {
        "keys": 82,
        "saved": {"ADMIN_PROJECT": True, "CONTRIBUTOR_PROJECT": False},
        "mine": True,
        "admin": True,
    }
