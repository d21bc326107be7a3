"""The nginx recipe of ``docs/cdn.md``, run in front of a live Lamina: repeats of a signed
tile URL are answered by nginx without reaching Lamina, credentialed requests always reach it.

Requests reaching Lamina are counted in its access log.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.bench import load_tools as lt
from tests.bench import tiles_http as th
from tests.server.image_helpers import write_pyramid
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

RECIPE = Path(__file__).resolve().parents[2] / "docs" / "cdn.md"
REPEATS = 20


def recipe(lamina_port: int, port: int, cache: Path) -> str:
    """The documented configuration, pointed at this test's ports and cache directory."""
    block = re.search(r"```nginx\n(.*?)```", RECIPE.read_text(), re.DOTALL)
    assert block is not None, "docs/cdn.md has no nginx block"
    text = block.group(1)
    for documented, here in (
        ("/var/cache/nginx/lamina", str(cache)),
        ("127.0.0.1:8000", f"127.0.0.1:{lamina_port}"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
    ):
        assert documented in text
        text = text.replace(documented, here)
    return text


class Stack:
    """nginx on ``base``, Lamina behind it writing its access log to ``log``."""

    def __init__(self, base: str, lamina: str, log: Path) -> None:
        self.base, self.lamina, self.log = base, lamina, log

    def reached_lamina(self, path: str) -> int:
        """Requests for ``path`` (with any query) in Lamina's access log so far."""
        time.sleep(0.2)  # the access log line follows the answer
        return len(re.findall(f'"GET {re.escape(path)}[ ?]', self.log.read_text()))


@pytest.fixture
def stack(database_url: str, tmp_path: Path, alice: NewAccount) -> Iterator[Stack]:
    if lt.nginx_binary() is None:
        pytest.skip("nginx is not installed (scripts/ensure-postgis installs nginx-light)")
    lamina_port, port = lt.free_port(), lt.free_port()
    log = tmp_path / "lamina.log"
    lamina = lt.lamina(
        database_url, tmp_path / "files", lamina_port, log=log, LAMINA_LOG_LEVEL="info"
    )
    with lamina, lt.nginx_with(recipe(lamina_port, port, tmp_path / "cache"), port):
        yield Stack(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{lamina_port}", log)


async def test_repeats_of_a_signed_tile_never_reach_lamina(
    stack: Stack, alice: NewAccount, tmp_path: Path
) -> None:
    slice_id, query = th._upload(stack.lamina, alice, write_pyramid(tmp_path / "slide.tif"))
    path = f"/api/sliceinstance/{slice_id}/normalized-tile/zoom/2/tx/1/ty/1.jpg"
    assert stack.reached_lamina(path) == 0
    with httpx.Client(base_url=stack.base, timeout=30) as http:
        first = http.get(f"{path}?{query}")
        assert_status(first, 200)
        assert first.headers["x-cache-status"] == "MISS"
        assert "public" in first.headers["cache-control"]
        repeats = [http.get(f"{path}?{query}") for _ in range(REPEATS)]
        assert all(r.headers["x-cache-status"] == "HIT" for r in repeats)
        assert all(r.content == first.content for r in repeats)
        # A revalidation is answered by nginx from its copy, with Lamina's ETag.
        etag = first.headers["etag"]
        again = http.get(f"{path}?{query}", headers={"If-None-Match": etag})
        assert_status(again, 304)
        assert stack.reached_lamina(path) == 1

        # Requests with credentials (private answers) go to Lamina every time.
        keyed = [http.get(path, auth=auth(alice)) for _ in range(3)]
        assert all(r.status_code == 200 for r in keyed)
        assert all("private" in r.headers["cache-control"] for r in keyed)
        assert {r.headers["x-cache-status"] for r in keyed} == {"BYPASS"}
        assert stack.reached_lamina(path) == 4

        # Other routes are not cached.
        listing = "/api/project"
        for _ in range(3):
            assert_status(http.get(listing, auth=auth(alice)), 200)
        assert stack.reached_lamina(listing) == 3
