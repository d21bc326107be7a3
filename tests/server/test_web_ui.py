"""``--web-ui DIR``: a built Cytomine Web UI served from the server's own origin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts.errors import Invalid
from server.app import create_app
from server.cli import parser
from server.settings import Settings, load_settings
from server.web_ui import check_directory
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

INDEX = b"<!doctype html><html><body><div id=app></div></body></html>"
SCRIPT = b"console.log('cytomine');"


@pytest.fixture
def ui_dir(tmp_path: Path) -> Path:
    """A small stand-in of ``web-ui/dist``: index.html, hashed assets, a favicon."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (root / "configuration.json").write_text('{"CORE_URL": "http://elsewhere"}')
    (root / "assets" / "index-3f9a1c.js").write_bytes(SCRIPT)
    (root / "assets" / "index-77b0e2.css").write_bytes(b"body{margin:0}")
    (root / "assets" / "logo-1a2b3c.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "assets" / "font-9e8d7c.woff2").write_bytes(b"wOF2")
    (tmp_path / "secret.txt").write_text("outside the UI directory")
    return root


@pytest.fixture
async def ui(settings: Settings, ui_dir: Path) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    served = msgspec.structs.replace(settings, web_ui=str(ui_dir))
    async with AsyncTestClient(app=create_app(served)) as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/projects", "/project/14/image/68", "/storage"])
async def test_history_routes_answer_index_html(ui: AsyncTestClient, path: str) -> None:
    r = await ui.get(path)
    assert_status(r, 200)
    assert r.content == INDEX
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("index-3f9a1c.js", "text/javascript"),
        ("index-77b0e2.css", "text/css"),
        ("logo-1a2b3c.svg", "image/svg+xml"),
        ("font-9e8d7c.woff2", "font/woff2"),
    ],
)
async def test_hashed_assets_are_immutable_with_their_type(
    ui: AsyncTestClient, name: str, media_type: str
) -> None:
    r = await ui.get(f"/assets/{name}")
    assert_status(r, 200)
    assert r.headers["content-type"].split(";")[0] == media_type
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_other_files_are_revalidated(ui: AsyncTestClient) -> None:
    r = await ui.get("/favicon.ico")
    assert_status(r, 200)
    assert r.headers["cache-control"] == "no-cache"


async def test_etag_and_last_modified_give_304(ui: AsyncTestClient) -> None:
    first = await ui.get("/assets/index-3f9a1c.js")
    assert first.content == SCRIPT
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = await ui.get("/assets/index-3f9a1c.js", headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    since = await ui.get("/assets/index-3f9a1c.js", headers={"If-Modified-Since": modified})
    assert_status(since, 304)
    other = await ui.get("/assets/index-3f9a1c.js", headers={"If-None-Match": '"other"'})
    assert (other.status_code, other.content) == (200, SCRIPT)


async def test_head_gives_the_headers_without_the_body(ui: AsyncTestClient) -> None:
    r = await ui.head("/assets/index-3f9a1c.js")
    assert_status(r, 200)
    assert r.headers["content-length"] == str(len(SCRIPT))
    assert r.content == b""


@pytest.mark.parametrize("path", ["/assets/gone-000000.js", "/logo.png"])
async def test_a_missing_file_is_404_not_index_html(ui: AsyncTestClient, path: str) -> None:
    r = await ui.get(path, headers={"Accept": "*/*"})
    assert_status(r, 404)
    assert r.json() == {"errors": {"message": "Not Found"}}


async def test_a_page_with_a_dot_in_its_route_is_index_html(ui: AsyncTestClient) -> None:
    headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    r = await ui.get("/advanced-search/slide.tif", headers=headers)
    assert (r.status_code, r.content) == (200, INDEX)


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing/here.json",
        "/iam/nothing",
        "/upload/nothing",
        "/iiif/nothing/x",
        "/dzi/nothing",
        "/schema/nothing",
        "/server/nothing",
        "/ws/nothing",
    ],
)
async def test_server_prefixes_keep_their_json_404(ui: AsyncTestClient, path: str) -> None:
    r = await ui.get(path)
    assert_status(r, 404)
    assert r.content != INDEX
    if not path.startswith("/schema/"):  # the OpenAPI pages answer their own HTML 404
        assert r.json()["errors"]["message"]


async def test_configuration_json_is_the_servers_own(ui: AsyncTestClient) -> None:
    r = await ui.get("/configuration.json")
    assert r.json()["CORE_URL"] == "http://testserver.local/api"


async def test_api_routes_still_answer(ui: AsyncTestClient) -> None:
    r = await ui.get("/server/ping.json")
    assert_status(r, 200)
    assert r.json()["alive"] is True


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/.hidden"]
)
async def test_no_file_outside_the_directory(ui: AsyncTestClient, path: str) -> None:
    r = await ui.get(path)
    assert b"outside the UI directory" not in r.content


async def test_without_web_ui_nothing_is_served(client: AsyncTestClient) -> None:
    for path in ("/", "/projects", "/project/14/image/68"):
        r = await client.get(path)
        assert_status(r, 404)
        assert r.json() == {"errors": {"message": "Not Found"}}


def test_a_directory_without_index_html_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="no index.html"):
        check_directory(str(tmp_path))


def test_cli_flag_and_environment_name_the_directory(ui_dir: Path) -> None:
    args = parser().parse_args(["serve", "--web-ui", str(ui_dir)])
    assert args.web_ui == str(ui_dir)
    assert load_settings({"LAMINA_WEB_UI": str(ui_dir)}).web_ui == str(ui_dir)
