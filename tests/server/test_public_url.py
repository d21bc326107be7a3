"""Absolute URLs in answers follow the request's origin, unless LAMINA_PUBLIC_URL is set."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.public_url import follow_origin, request_origin
from server.settings import Settings
from tests.server.annotation_helpers import make_world
from tests.server.iam_flow import REALM
from tests.server.project_helpers import auth
from tests.server.serving_helpers import (
    Uploaded,
    settings_fixture,
    slide_fixture,
    storage_root_fixture,
    uploaded_fixture,
)

_FIXTURES = (settings_fixture, slide_fixture, storage_root_fixture, uploaded_fixture)

FRONT = {"X-Forwarded-Host": "ui.example.org", "X-Forwarded-Proto": "https"}


def _scope(*headers: tuple[str, str], scheme: str = "http") -> Any:
    return {
        "type": "http",
        "scheme": scheme,
        "server": ("127.0.0.1", 8000),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }


@pytest.mark.parametrize(
    ("headers", "origin"),
    [
        ((("host", "lamina.local:8000"),), "http://lamina.local:8000"),
        ((("host", "a"), ("x-forwarded-host", "ui.example.org, proxy")), "http://ui.example.org"),
        ((("host", "a"), ("x-forwarded-proto", "https")), "https://a"),
        (
            (("host", "a"), ("forwarded", 'for=1.2.3.4;host="ui.example.org:8443";proto=https')),
            "https://ui.example.org:8443",
        ),
        ((("host", "evil.org/path?x"),), "http://127.0.0.1:8000"),
        ((("host", "a"), ("x-forwarded-proto", "gopher")), "http://a"),
        ((), "http://127.0.0.1:8000"),
    ],
)
def test_request_origin_reads_the_forwarding_headers(
    headers: tuple[tuple[str, str], ...], origin: str
) -> None:
    assert request_origin(_scope(*headers)) == origin


def _streaming_app(chunks: list[bytes], media_type: bytes) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", media_type), (b"content-length", b"999")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, chunk in enumerate(chunks):
            more = i < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    return app


async def _run(app: Any, *headers: tuple[str, str]) -> tuple[dict[str, bytes], bytes]:
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    scope = _scope(*headers) | {"method": "GET", "path": "/"}
    await follow_origin(app, Settings())(scope, None, send)  # type: ignore[arg-type]
    return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.anyio
@pytest.mark.parametrize("cut", [1, 5, 12, 21, 22, 30])
async def test_a_streamed_csv_is_rewritten_across_chunk_boundaries(cut: int) -> None:
    text = b'"1","http://127.0.0.1:8000/api/userannotation/1/crop.png"\n"2","http://x"\n'
    app = _streaming_app([text[:cut], text[cut:40], text[40:]], b"text/csv")
    headers, body = await _run(app, ("host", "ui.example.org"))
    assert body == text.replace(b"http://127.0.0.1:8000", b"http://ui.example.org")
    assert b"content-length" not in headers


@pytest.mark.anyio
async def test_a_body_in_one_message_gets_its_new_length() -> None:
    app = _streaming_app([b'{"thumb":"http://127.0.0.1:8000/api/x"}'], b"application/json")
    headers, body = await _run(app, ("host", "ui.example.org"))
    assert body == b'{"thumb":"http://ui.example.org/api/x"}'
    assert headers[b"content-length"] == str(len(body)).encode()


@pytest.mark.anyio
async def test_other_media_types_are_left_alone() -> None:
    raw = b'"http://127.0.0.1:8000/x"'
    headers, body = await _run(_streaming_app([raw], b"image/png"), ("host", "ui.example.org"))
    assert (body, headers[b"content-length"]) == (raw, b"999")


@pytest.mark.anyio
@pytest.mark.pg
async def test_configuration_json_follows_a_forwarded_host(client: AsyncTestClient) -> None:
    r = await client.get("/configuration.json", headers=FRONT)
    body = r.json()
    assert body["CORE_URL"] == "https://ui.example.org/api"
    assert body["IAM_URL"] == "https://ui.example.org/iam/realms/cytomine"
    assert body["PIMS_URL"] == "https://ui.example.org"


@pytest.mark.anyio
@pytest.mark.pg
async def test_thumbnail_urls_follow_the_forwarded_host(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    path = f"/api/imageinstance/{uploaded.instance}.json"
    r = await client.get(path, headers=FRONT, auth=auth(alice))
    assert r.status_code == 200, r.text
    body = r.json()
    root = f"https://ui.example.org/api/imageinstance/{uploaded.instance}"
    assert body["thumb"] == f"{root}/thumb.png?maxSize=512"
    assert body["preview"] == f"{root}/preview.png?maxSize=1024"
    assert int(r.headers["content-length"]) == len(r.content)


@pytest.mark.anyio
@pytest.mark.pg
async def test_listing_urls_follow_the_host_header(
    client: AsyncTestClient, alice: NewAccount, uploaded: Uploaded
) -> None:
    r = await client.get(f"/api/abstractimage/{uploaded.abstract}.json", auth=auth(alice))
    assert r.json()["thumb"].startswith("http://testserver.local/api/abstractimage/")


@pytest.mark.anyio
@pytest.mark.pg
async def test_issuer_follows_the_forwarded_host(client: AsyncTestClient) -> None:
    r = await client.get(f"{REALM}/.well-known/openid-configuration", headers=FRONT)
    assert r.json()["issuer"] == f"https://ui.example.org{REALM}"


@pytest.mark.anyio
@pytest.mark.pg
async def test_an_explicit_public_url_wins_over_the_request(
    client: AsyncTestClient, settings: Settings, alice: NewAccount, uploaded: Uploaded
) -> None:
    pinned = msgspec.structs.replace(settings, public_url="https://lamina.example.com/")
    async with AsyncTestClient(app=create_app(pinned)) as other:
        path = f"/api/imageinstance/{uploaded.instance}.json"
        image = (await other.get(path, headers=FRONT, auth=auth(alice))).json()
        discovery = await other.get(f"{REALM}/.well-known/openid-configuration", headers=FRONT)
        config = (await other.get("/configuration.json", headers=FRONT)).json()
    assert image["thumb"].startswith("https://lamina.example.com/api/imageinstance/")
    assert discovery.json()["issuer"] == f"https://lamina.example.com{REALM}"
    assert config["CORE_URL"] == "https://lamina.example.com/api"


@pytest.mark.anyio
@pytest.mark.pg
async def test_the_csv_report_follows_the_forwarded_host(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> None:
    world = await make_world(client, db, alice, bob)
    body = {"location": "POINT (10 20)", "image": world.image}
    made = await client.post("/api/annotation.json", json=body, auth=auth(alice))
    assert made.status_code == 200, made.text
    path = f"/api/project/{world.project}/annotation/download?format=csv"
    r = await client.get(path, headers=FRONT, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert "https://ui.example.org/api/userannotation/" in r.text
    assert "127.0.0.1" not in r.text
