"""Pure helpers of the built-in OpenID Connect provider (the Keycloak subset keycloak-js uses).

No I/O: PKCE checks, redirect building, secrets and their digests, claims and token sets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from server.auth import tokens
from server.principal import ADMIN, GUEST, USER
from server.sso import CODE_SECONDS, Account, digest, new_secret

REALM = "cytomine"
CLIENT_ID = "core"
REALM_PATH = f"/iam/realms/{REALM}"
OIDC_PATH = f"{REALM_PATH}/protocol/openid-connect"
SSO_COOKIE = "LAMINA_SSO"
SCOPE = "openid profile email"

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_LOCALES = {"ENGLISH": "en", "FRENCH": "fr", "SPANISH": "es", "DUTCH": "nl", "NORWEGIAN": "no"}


def pkce_matches(verifier: str | None, challenge: str | None, method: str | None) -> bool:
    """RFC 7636 check; a code issued without a challenge needs no verifier."""
    if not challenge:
        return True
    if not verifier:
        return False
    if (method or "plain") == "S256":
        hashed = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        computed = base64.urlsafe_b64encode(hashed).rstrip(b"=").decode("ascii")
    elif method == "plain":
        computed = verifier
    else:
        return False
    return hmac.compare_digest(computed, challenge)


def redirect_with(redirect_uri: str, params: dict[str, str], *, mode: str = "fragment") -> str:
    """``redirect_uri`` carrying ``params``, in the fragment (Keycloak's rule) or the query.

    A URI that already has a fragment (hash routing, ``/#/``) gets ``&`` and the parameters,
    never a second ``#``.
    """
    encoded = urlencode(params)
    if mode == "query":
        parts = urlsplit(redirect_uri)
        query = f"{parts.query}&{encoded}" if parts.query else encoded
        return urlunsplit(parts._replace(query=query))
    return f"{redirect_uri}&{encoded}" if "#" in redirect_uri else f"{redirect_uri}#{encoded}"


def same_origin(uri: str, base_url: str) -> bool:
    """True when ``uri`` is an absolute URL on the origin of ``base_url``."""
    target, base = urlsplit(uri), urlsplit(base_url)
    if target.scheme not in ("http", "https") or not target.netloc:
        return False
    return (target.scheme, target.netloc.lower()) == (base.scheme, base.netloc.lower())


def roles(rank: int) -> list[str]:
    """Client roles of ``core`` for a rank (what the Web UI's ``hasResourceRole`` reads)."""
    if rank >= ADMIN:
        return ["ADMIN", "USER"]
    if rank >= USER:
        return ["USER"]
    return ["GUEST"] if rank >= GUEST else []


def locale(language: str | None) -> str:
    """Keycloak ``locale`` attribute from Cytomine's language name."""
    return _LOCALES.get((language or "").upper(), "en")


def profile_claims(account: Account) -> dict[str, Any]:
    """Standard profile claims of the account."""
    full = " ".join(p for p in (account.firstname, account.lastname) if p) or account.username
    claims: dict[str, Any] = {
        "sub": str(account.id),
        "sid": account.sid,
        "preferred_username": account.username,
        "given_name": account.firstname or "",
        "family_name": account.lastname or "",
        "name": full,
        "email_verified": True,
    }
    if account.email:
        claims["email"] = account.email
    return claims


def access_claims(account: Account, issuer: str) -> dict[str, Any]:
    """Claims of an access token, shaped like Keycloak's for client ``core``."""
    granted = roles(account.rank)
    return {
        "iss": issuer,
        "aud": ["account", CLIENT_ID],
        "azp": CLIENT_ID,
        "session_state": account.sid,
        "scope": SCOPE,
        "resource_access": {CLIENT_ID: {"roles": granted}},
        "realm_access": {"roles": [f"ROLE_{r}" for r in granted]},
        **profile_claims(account),
    }


def refresh_claims(account: Account, issuer: str, scope: str) -> dict[str, Any]:
    """Claims of a refresh token: bound to the SSO session ``sid``."""
    return {
        "iss": issuer,
        "aud": issuer,
        "azp": CLIENT_ID,
        "sub": str(account.id),
        "sid": account.sid,
        "session_state": account.sid,
        "scope": scope,
    }


def id_claims(account: Account, issuer: str, nonce: str | None) -> dict[str, Any]:
    """Claims of an ID token (``aud`` is the client, ``nonce`` echoes the auth request)."""
    claims = {"iss": issuer, "aud": CLIENT_ID, "azp": CLIENT_ID, **profile_claims(account)}
    if nonce:
        claims["nonce"] = nonce
    return claims


def token_set(
    signing: tokens.SigningKey,
    account: Account,
    *,
    issuer: str,
    lifetimes: tuple[int, int],
    nonce: str | None = None,
    with_id_token: bool = True,
) -> dict[str, Any]:
    """The JSON answer of the token endpoint. ``lifetimes`` = (access, refresh) seconds."""
    access_ttl, refresh_wanted = lifetimes
    refresh_ttl = max(1, min(refresh_wanted, account.expires - int(time.time())))
    scope = SCOPE if with_id_token else SCOPE.removeprefix("openid ")
    access = access_claims(account, issuer) | {"scope": scope}
    body: dict[str, Any] = {
        "access_token": tokens.issue(signing, access, typ=tokens.ACCESS, ttl_seconds=access_ttl),
        "expires_in": access_ttl,
        "refresh_expires_in": refresh_ttl,
        "refresh_token": tokens.issue(
            signing,
            refresh_claims(account, issuer, scope),
            typ=tokens.REFRESH,
            ttl_seconds=refresh_ttl,
        ),
        "token_type": "Bearer",
        "not-before-policy": 0,
        "session_state": account.sid,
        "scope": scope,
    }
    if with_id_token:
        claims = id_claims(account, issuer, nonce)
        body["id_token"] = tokens.issue(signing, claims, typ=tokens.ID, ttl_seconds=access_ttl)
    return body


def discovery(issuer: str) -> dict[str, Any]:
    """The ``.well-known/openid-configuration`` document."""
    base = f"{issuer}/protocol/openid-connect"
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{base}/auth",
        "token_endpoint": f"{base}/token",
        "end_session_endpoint": f"{base}/logout",
        "jwks_uri": f"{base}/certs",
        "check_session_iframe": f"{base}/login-status-iframe.html",
        "grant_types_supported": ["authorization_code", "refresh_token", "password"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [tokens.ALGORITHM],
        "token_endpoint_auth_methods_supported": ["none"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "scopes_supported": ["openid", "profile", "email"],
        "claims_supported": [
            "sub",
            "iss",
            "name",
            "given_name",
            "family_name",
            "preferred_username",
            "email",
            "sid",
            "nonce",
        ],
    }


def template(name: str) -> string.Template:
    """An HTML page of ``templates/`` (``$name`` placeholders, values escaped by the caller)."""
    return string.Template((_TEMPLATES / name).read_text(encoding="utf-8"))


__all__ = [
    "CLIENT_ID",
    "CODE_SECONDS",
    "OIDC_PATH",
    "REALM_PATH",
    "SSO_COOKIE",
    "Account",
    "access_claims",
    "digest",
    "discovery",
    "id_claims",
    "locale",
    "new_secret",
    "pkce_matches",
    "redirect_with",
    "refresh_claims",
    "roles",
    "same_origin",
    "template",
    "token_set",
]
