"""Browser-side steps of the OIDC flows, as keycloak-js performs them, for the IdP tests."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

REALM = "/iam/realms/cytomine"
OIDC = f"{REALM}/protocol/openid-connect"
APP = "http://testserver.local/app/"


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def auth_params(challenge: str, **extra: str) -> dict[str, str]:
    """Query of keycloak-js's authorization request."""
    params = {
        "client_id": "core",
        "redirect_uri": APP,
        "state": secrets.token_hex(8),
        "nonce": secrets.token_hex(8),
        "response_mode": "fragment",
        "response_type": "code",
        "scope": "openid",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(extra)
    return params


def form_of(page: str) -> tuple[str, dict[str, str]]:
    """Action and hidden fields of the login form."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return unescape(action.group(1)), {k: unescape(v) for k, v in fields.items()}


def fragment_of(location: str) -> dict[str, str]:
    """Parameters the IdP put after the ``#`` of a redirect."""
    return dict(parse_qsl(urlsplit(location).fragment))


async def log_in(
    client: Any, username: str, password: str, params: dict[str, str]
) -> httpx.Response:
    """GET the auth endpoint, then submit the login form; the (302) answer."""
    page = await client.get(f"{OIDC}/auth", params=params)
    assert page.status_code == 200, page.text
    action, fields = form_of(page.text)
    return await client.post(
        action, data={**fields, "username": username, "password": password}, follow_redirects=False
    )


async def exchange(
    client: Any, code: str, verifier: str, redirect_uri: str = APP
) -> httpx.Response:
    """keycloak-js's code exchange."""
    return await client.post(
        f"{OIDC}/token",
        data={
            "code": code,
            "grant_type": "authorization_code",
            "client_id": "core",
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
    )


async def password_grant(client: Any, username: str, password: str, **extra: str) -> httpx.Response:
    """Resource-owner password grant, as scripts use it."""
    data = {"grant_type": "password", "client_id": "core", "username": username}
    data.update(password=password, **extra)
    return await client.post(f"{OIDC}/token", data=data)
