"""Pure helpers of the OIDC provider: PKCE, redirect building, origins, roles."""

from __future__ import annotations

import pytest

from server.auth import oidc


@pytest.mark.parametrize(
    ("uri", "mode", "expected"),
    [
        ("https://h/app/", "fragment", "https://h/app/#state=s&code=c"),
        ("https://h/#/projects", "fragment", "https://h/#/projects&state=s&code=c"),
        ("https://h/app/", "query", "https://h/app/?state=s&code=c"),
        ("https://h/app/?x=1", "query", "https://h/app/?x=1&state=s&code=c"),
    ],
)
def test_redirect_parameters_follow_keycloaks_rule(uri: str, mode: str, expected: str) -> None:
    assert oidc.redirect_with(uri, {"state": "s", "code": "c"}, mode=mode) == expected


def test_s256_verifier_matches_its_rfc_7636_challenge() -> None:
    # Appendix B of RFC 7636.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert oidc.pkce_matches(verifier, challenge, "S256")
    assert not oidc.pkce_matches(verifier + "x", challenge, "S256")
    assert not oidc.pkce_matches(None, challenge, "S256")


def test_a_code_without_challenge_needs_no_verifier() -> None:
    assert oidc.pkce_matches(None, None, None)


@pytest.mark.parametrize(
    ("uri", "same"),
    [
        ("http://h:8000/app", True),
        ("http://H:8000/", True),
        ("https://h:8000/app", False),
        ("http://h:8001/app", False),
        ("//h:8000/app", False),
        ("javascript:alert(1)", False),
    ],
)
def test_redirects_stay_on_the_servers_origin(uri: str, same: bool) -> None:
    assert oidc.same_origin(uri, "http://h:8000") is same


@pytest.mark.parametrize(("rank", "roles"), [(4, ["ADMIN", "USER"]), (2, ["USER"]), (1, ["GUEST"])])
def test_roles_follow_the_rank(rank: int, roles: list[str]) -> None:
    assert oidc.roles(rank) == roles
