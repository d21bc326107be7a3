"""``LAMINA_PATHLESS_SIGNATURES=0``: signatures must cover the path (and query).

The Python client 4.x signs only the method, content type and date, so one captured header
is valid on every GET path for the date window; a deployment without such clients can refuse
that variant. Signatures over the path keep working either way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.store.accounts import NewAccount
from server.fast_tiles import wrap
from server.settings import Settings, load_settings
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def strict(database_url: str) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    settings = Settings(
        database_url=database_url, auth_cache_seconds=0.0, pathless_signatures=False
    )
    async with AsyncTestClient(app=wrap(create_app(settings))) as c:  # type: ignore[arg-type]
        yield c


async def test_path_less_signature_is_refused_when_the_setting_forbids_it(
    strict: AsyncTestClient, alice: NewAccount
) -> None:
    pathless = CytomineAuth(alice.public_key, alice.private_key)
    r = await strict.get("/api/user/current.json", auth=pathless)
    assert r.status_code == 401, r.text
    with_path = CytomineAuth(alice.public_key, alice.private_key, with_path=True)
    r = await strict.get("/api/user/current.json", auth=with_path)
    assert r.status_code == 200, r.text


async def test_path_less_signature_is_accepted_by_default(
    client: AsyncTestClient, alice: NewAccount
) -> None:
    r = await client.get(
        "/api/user/current.json", auth=CytomineAuth(alice.public_key, alice.private_key)
    )
    assert r.status_code == 200, r.text


def test_the_setting_reads_from_the_environment() -> None:
    assert load_settings({"LAMINA_PATHLESS_SIGNATURES": "0"}).pathless_signatures is False
    assert load_settings({}).pathless_signatures is True
