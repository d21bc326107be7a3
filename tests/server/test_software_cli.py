"""``lamina software add descriptor.json`` registers a software and its parameters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from server.db.store.accounts import NewAccount

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ROOT = Path(__file__).resolve().parents[2]

# A BIAFLOWS-style descriptor: server-filled connection inputs, then the algorithm's own.
DESCRIPTOR: dict[str, Any] = {
    "name": "NucleiSegmentation-ImageJ",
    "description": "Segment nuclei with a Laplacian of Gaussian and a threshold.",
    "schema-version": "cytomine-0.1",
    "container-image": {"image": "neubiaswg5/w_nucleisegmentation-imagej", "type": "singularity"},
    "command-line": (
        "python wrapper.py CYTOMINE_HOST CYTOMINE_PUBLIC_KEY CYTOMINE_PRIVATE_KEY "
        "CYTOMINE_ID_PROJECT CYTOMINE_ID_SOFTWARE IJ_RADIUS IJ_THRESHOLD IJ_EXCLUDE"
    ),
    "inputs": [
        {
            "id": "cytomine_host",
            "value-key": "@ID",
            "command-line-flag": "--@id",
            "name": "Cytomine host",
            "set-by-server": True,
            "optional": False,
            "type": "String",
        },
        {
            "id": "cytomine_public_key",
            "value-key": "@ID",
            "command-line-flag": "--@id",
            "name": "Cytomine public key",
            "set-by-server": True,
            "optional": False,
            "type": "String",
        },
        {
            "id": "cytomine_id_project",
            "value-key": "@ID",
            "command-line-flag": "--@id",
            "name": "Cytomine project ID",
            "set-by-server": True,
            "optional": False,
            "type": "Number",
        },
        {
            "id": "ij_radius",
            "value-key": "@ID",
            "command-line-flag": "--@id",
            "name": "Radius",
            "description": "Radius of the Laplacian of Gaussian",
            "default-value": 5,
            "optional": True,
            "type": "Number",
        },
        {
            "id": "ij_threshold",
            "name": "Threshold",
            "default-value": -0.5,
            "optional": False,
            "type": "number",
        },
        {
            "id": "ij_exclude",
            "default-value": False,
            "type": "Boolean",
        },
    ],
}


def _lamina(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", "--database-url", database_url, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def _write(tmp_path: Path, descriptor: dict[str, Any]) -> str:
    path = tmp_path / "descriptor.json"
    path.write_text(json.dumps(descriptor))
    return str(path)


async def _parameters(db: asyncpg.Connection, software_id: int) -> list[dict[str, Any]]:
    found = await db.fetch(
        "SELECT name, type, default_value, required, index, set_by_server, human_name,"
        " value_key, command_line_flag FROM software_parameter WHERE software_id = $1"
        " ORDER BY index",
        software_id,
    )
    return [dict(r) for r in found]


async def test_a_descriptor_registers_its_software_and_parameters(
    database_url: str, db: asyncpg.Connection, admin: NewAccount, tmp_path: Path
) -> None:
    done = _lamina(database_url, "software", "add", _write(tmp_path, DESCRIPTOR))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    software = answer["software"]
    assert (answer["created"], software["name"], software["executable"]) == (
        True,
        "NucleiSegmentation-ImageJ",
        True,
    )
    assert software["executeCommand"] == DESCRIPTOR["command-line"]
    assert [p["name"] for p in software["parameters"]] == [
        "ij_radius",
        "ij_threshold",
        "ij_exclude",
    ]
    row = await db.fetchrow(
        "SELECT user_id, descriptor FROM software WHERE id = $1", software["id"]
    )
    assert row["user_id"] == admin.id
    assert json.loads(row["descriptor"])["container-image"]["type"] == "singularity"
    params = await _parameters(db, software["id"])
    assert params[0] == {
        "name": "cytomine_host",
        "type": "String",
        "default_value": None,
        "required": True,
        "index": 0,
        "set_by_server": True,
        "human_name": "Cytomine host",
        "value_key": "CYTOMINE_HOST",
        "command_line_flag": "--cytomine_host",
    }
    by_name = {p["name"]: p for p in params}
    assert (by_name["ij_radius"]["default_value"], by_name["ij_radius"]["required"]) == ("5", False)
    assert (by_name["ij_threshold"]["type"], by_name["ij_threshold"]["value_key"]) == (
        "Number",
        "[IJ_THRESHOLD]",
    )
    assert (by_name["ij_exclude"]["default_value"], by_name["ij_exclude"]["required"]) == (
        "false",
        False,
    )
    assert by_name["ij_exclude"]["command_line_flag"] == "--ij_exclude"


async def test_registering_again_updates_and_can_drop_missing_parameters(
    database_url: str, db: asyncpg.Connection, admin: NewAccount, tmp_path: Path
) -> None:
    first = json.loads(
        _lamina(database_url, "software", "add", _write(tmp_path, DESCRIPTOR)).stdout
    )
    changed = {
        **DESCRIPTOR,
        "inputs": [
            {**DESCRIPTOR["inputs"][3], "default-value": 7},
            {"id": "ij_minsize", "type": "Number", "default-value": 10},
        ],
    }
    done = _lamina(database_url, "software", "add", _write(tmp_path, changed), "--delete-missing")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["software"]["id"] == first["software"]["id"]
    assert (answer["created"], answer["added"], answer["updated"]) == (
        False,
        ["ij_minsize"],
        ["ij_radius"],
    )
    assert sorted(answer["deleted"]) == [
        "cytomine_host",
        "cytomine_id_project",
        "cytomine_public_key",
        "ij_exclude",
        "ij_threshold",
    ]
    params = await _parameters(db, first["software"]["id"])
    assert [(p["name"], p["default_value"]) for p in params] == [
        ("ij_radius", "7"),
        ("ij_minsize", "10"),
    ]


async def test_a_version_makes_a_separate_software(
    database_url: str, db: asyncpg.Connection, admin: NewAccount, tmp_path: Path
) -> None:
    path = _write(tmp_path, DESCRIPTOR)
    _lamina(database_url, "software", "add", path, "--software-version", "1.0.0")
    done = _lamina(database_url, "software", "add", path, "--software-version", "1.1.0")
    assert json.loads(done.stdout)["software"]["fullName"] == "NucleiSegmentation-ImageJ (1.1.0)"
    versions = await db.fetch("SELECT software_version, deprecated FROM software ORDER BY id")
    assert [tuple(r) for r in versions] == [("1.0.0", True), ("1.1.0", False)]


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ({"inputs": []}, "No software name"),
        ({"name": "X", "inputs": [{"type": "Number"}]}, "has no id"),
        ({"name": "X", "inputs": [{"id": "a", "type": "Image"}]}, "needs a type"),
        ({"name": "X", "inputs": [{"id": "a", "type": "Number"}] * 2}, "Duplicate input"),
    ],
)
async def test_a_bad_descriptor_registers_nothing(
    database_url: str,
    db: asyncpg.Connection,
    admin: NewAccount,
    tmp_path: Path,
    descriptor: dict[str, Any],
    message: str,
) -> None:
    done = _lamina(database_url, "software", "add", _write(tmp_path, descriptor))
    assert done.returncode == 1
    assert message in done.stderr
    assert await db.fetchval("SELECT count(*) FROM software") == 0


async def test_an_unknown_owner_is_refused(
    database_url: str, db: asyncpg.Connection, admin: NewAccount, tmp_path: Path
) -> None:
    done = _lamina(
        database_url, "software", "add", _write(tmp_path, DESCRIPTOR), "--owner", "nobody"
    )
    assert (done.returncode, "No account named 'nobody'" in done.stderr) == (1, True)


async def test_a_user_made_on_the_command_line_owns_the_software_it_adds(
    database_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    made = _lamina(database_url, "user", "create", "--username", "carol")
    assert made.returncode == 0, made.stderr
    carol = json.loads(made.stdout)
    path = _write(tmp_path, DESCRIPTOR)
    done = _lamina(database_url, "software", "add", path, "--owner", "carol")
    assert done.returncode == 0, done.stderr
    owner = await db.fetchval("SELECT user_id FROM software WHERE name = $1", DESCRIPTOR["name"])
    assert owner == carol["id"]
