"""Run one node script of ``js/`` against a live server over a world alice made (once per key)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.clients.test_js_client_annotations import _world
from tests.server.image_helpers import write_pyramid

_RUNS: dict[str, Any] = {}


def run_in_world(
    request: pytest.FixtureRequest,
    js_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    script: str,
) -> dict[str, Any]:
    """The report a script printed, logged in as alice over her project with one slide."""
    if script not in _RUNS:
        base = request.getfixturevalue("live_server")
        alice = request.getfixturevalue("alice")
        slide = write_pyramid(tmp_path_factory.mktemp("world") / "slide.tif")
        world = _world(base, alice, slide)
        args = [base, "alice", "alice-password", json.dumps(world)]
        command = ["node", "--import", "./register-hook.mjs", script, *args]
        done = subprocess.run(
            command, cwd=js_dir, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        _RUNS[script] = json.loads(done.stdout.strip().splitlines()[-1])
    return _RUNS[script]  # type: ignore[no-any-return]


def ok(report: dict[str, Any], name: str) -> dict[str, Any]:
    """A step's result, once it is known to have passed."""
    found = dict(report[name])
    assert found.pop("ok"), found
    return found


__all__ = ["ok", "run_in_world"]
