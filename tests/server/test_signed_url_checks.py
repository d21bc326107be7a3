"""Signed URL checks: a genuine signature is verified once, its expiry on every request."""

from __future__ import annotations

import pytest

from contracts.errors import Forbidden
from server import signed_urls

SECRET = signed_urls.derive_secret(b"test key material")


def _query(ttl: int) -> dict[str, str]:
    query, _ = signed_urls.sign(SECRET, "sliceinstance", 7, "v1", ttl=ttl)
    return dict(part.split("=", 1) for part in query.split("&"))


def test_a_verified_signature_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    query = _query(ttl=60)
    assert signed_urls.verify(SECRET, "sliceinstance", 7, query) == "v1"
    later = float(query["exp"]) + 1
    monkeypatch.setattr(signed_urls.time, "time", lambda: later)
    with pytest.raises(Forbidden, match="expired"):
        signed_urls.verify(SECRET, "sliceinstance", 7, query)


@pytest.mark.parametrize(
    "change",
    [{"sig": "A" * 24}, {"v": "v2"}, {"exp": "99999999999"}, {"exp": "soon"}, {"sig": ""}],
)
def test_a_changed_value_is_refused_after_the_genuine_one(change: dict[str, str]) -> None:
    query = _query(ttl=60)
    assert signed_urls.verify(SECRET, "sliceinstance", 7, query) == "v1"
    with pytest.raises(Forbidden, match="Invalid URL signature"):
        signed_urls.verify(SECRET, "sliceinstance", 7, {**query, **change})


def test_the_signature_names_one_object() -> None:
    query = _query(ttl=60)
    assert signed_urls.verify(SECRET, "sliceinstance", 7, query) == "v1"
    for kind, object_id in (("sliceinstance", 8), ("abstractslice", 7)):
        with pytest.raises(Forbidden):
            signed_urls.verify(SECRET, kind, object_id, query)
