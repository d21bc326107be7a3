"""The official IIIF Image API validator passes levels 0, 1 and 2 against a signed IIIF base.

The validator (PyPI ``iiif-validator``, run from its own virtual environment made on first
use) is pointed at the ``iiifBase`` that ``tileurl`` hands out, exactly as a viewer would use
it: no credentials, every URL derived from the base. The image is the validator's own test
image (a 10x10 grid of coloured squares), uploaded into Lamina like any other.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from server.db.store.accounts import NewAccount
from tests.clients.conftest import pip_venv, upload_tile_urls

pytestmark = [pytest.mark.anyio, pytest.mark.pg, pytest.mark.client]

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-iiif-validator"
VALIDATOR = "iiif-validator==1.0.5"
NAME = "67352ccc-d1b0-11e1-89ae-279075081939.png"
# The shared test data beside the repository, else the copy among the repository's fixtures.
PLACES = (ROOT.parent / "shared" / "testdata" / "iiif", ROOT / "tests" / "fixtures" / "iiif")
_DONE = re.compile(r"Done \((\d+) tests, (\d+) failures\)")


@pytest.fixture(scope="session")
def validator_python() -> Path:
    """Python of a venv holding the validator, created on first use."""
    return pip_venv(VENV, VALIDATOR)


@pytest.fixture
async def signed_base(live_server: str, alice: NewAccount) -> str:
    """The signed IIIF base of the validator's test image, uploaded by Alice."""
    image = next((place / NAME for place in PLACES if (place / NAME).exists()), None)
    if image is None:
        pytest.skip(f"the validator's test image {NAME} is in none of {PLACES}")
    return str((await upload_tile_urls(live_server, alice, image))["iiifBase"])


def validate(python: Path, base: str, level: int) -> tuple[int, int, str]:
    """Run the validator at ``level`` against a base URL: (tests, failures, its output)."""
    parts = urlsplit(base)
    prefix, _, identifier = parts.path.strip("/").rpartition("/")
    script = VENV / "bin" / "iiif-validate.py"
    done = subprocess.run(
        [str(python), str(script), "-s", parts.netloc, "-p", prefix, "-i", identifier]
        + ["--version=3.0", f"--level={level}"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    found = _DONE.search(output)
    assert found is not None, output
    return int(found[1]), int(found[2]), output


@pytest.mark.parametrize("level", [0, 1, 2])
async def test_official_validator_passes_against_a_signed_base(
    validator_python: Path, signed_base: str, level: int
) -> None:
    tests, failures, output = validate(validator_python, signed_base, level)
    assert failures == 0, output
    # The validator's level 0, 1 and 2 suites for version 3.0 (5, 24 and 33 tests).
    assert tests == {0: 5, 1: 24, 2: 33}[level], output
