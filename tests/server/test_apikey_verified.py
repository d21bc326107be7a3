"""Verified API-key signatures are remembered only for what they cover, and never past a change.

The worker remembers a verified ``CYTOMINE`` signature (with the account row, for
``auth_cache_seconds``) so that a client repeating it skips the HMACs; these tests replay
exact signatures (a fixed ``date``) to reach that memory.
"""

from __future__ import annotations

import time

import anyio
import pytest
from litestar.testing import AsyncTestClient

from server.auth.apikey import sign
from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status

pytestmark = [pytest.mark.anyio, pytest.mark.pg]
SKEW = 10


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Far longer than any test: only the signature itself, its date or a revocation can refuse.
    return Settings(
        database_url=database_url,
        auth_cache_seconds=600.0,
        runner=False,
        pathless_signatures=False,
        date_skew_seconds=SKEW,
    )


def _headers(account: NewAccount, path: str, method: str = "GET", age: float = 0) -> dict[str, str]:
    """One exact signature over ``method`` and ``path``, dated ``age`` seconds ago, to be
    replayed."""
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(time.time() - age))
    signature = sign(account.private_key, f"{method}\n\n\n{date}\n{path}")
    return {"date": date, "authorization": f"CYTOMINE {account.public_key}:{signature}"}


async def test_a_remembered_signature_over_one_path_does_not_open_another(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
) -> None:
    headers = _headers(alice, "/api/user/current.json")
    for _ in range(2):
        assert_status(await client.get("/api/user/current.json", headers=headers), 200)
    r = await client.get("/api/project.json", headers=headers)
    assert_status(r, 401)
    assert "signature" in r.text.lower()
    assert_status(await client.get("/api/user/current.json", headers=headers), 200)


async def test_a_remembered_signature_is_refused_once_the_keys_change(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
) -> None:
    path = "/api/user/current.json"
    headers = _headers(alice, path)
    assert_status(await client.get(path, headers=headers), 200)
    keys = _headers(alice, "/api/user/current/keys.json", "POST")
    assert_status(await client.post("/api/user/current/keys.json", headers=keys), 200)
    assert_status(await client.get(path, headers=headers), 401)


async def test_a_remembered_signature_of_a_locked_account_is_refused(
    client: AsyncTestClient,  # type: ignore[type-arg]
    admin: NewAccount,
    alice: NewAccount,
) -> None:
    path = "/api/user/current.json"
    headers = _headers(alice, path)
    assert_status(await client.get(path, headers=headers), 200)
    lock = f"/api/user/{alice.id}/lock.json"
    assert_status(await client.post(lock, headers=_headers(admin, lock, "POST")), 200)
    assert_status(await client.get(path, headers=headers), 401)


async def test_a_remembered_signature_is_refused_once_its_date_is_too_old(
    client: AsyncTestClient,  # type: ignore[type-arg]
    alice: NewAccount,
) -> None:
    path = "/api/user/current.json"
    headers = _headers(alice, path, age=SKEW - 2)  # accepted for 1 to 2 s more
    assert_status(await client.get(path, headers=headers), 200)
    await anyio.sleep(2.5)
    r = await client.get(path, headers=headers)
    assert_status(r, 401)
    assert "sign the request again" in r.text
