"""Signed JWTs (RS256, joserfc) for the OIDC surface and Bearer authentication."""

from __future__ import annotations

import secrets
import time
from typing import Any

import asyncpg
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from contracts.errors import Unauthorized
from server.db import queries as q

ALGORITHM = "RS256"
ACCESS = "Bearer"
REFRESH = "Refresh"
ID = "ID"


class SigningKey:
    """The server's RSA key and its key id."""

    def __init__(self, kid: str, key: RSAKey) -> None:
        self.kid = kid
        self.key = key

    def public_jwk(self) -> dict[str, Any]:
        """Public half as a JWK, for the JWKS document."""
        jwk = dict(self.key.as_dict(private=False))
        jwk.update({"kid": self.kid, "use": "sig", "alg": ALGORITHM})
        return jwk


async def load_signing_key(conn: asyncpg.Connection) -> SigningKey:
    """Load the signing key, creating it on first start."""
    row = await conn.fetchrow(q.SIGNING_KEY_LATEST)
    if row is None:
        fresh = RSAKey.generate_key(2048, private=True)
        pem = fresh.as_pem(private=True).decode("ascii")
        await conn.execute(q.SIGNING_KEY_INSERT, secrets.token_hex(8), pem)
        row = await conn.fetchrow(q.SIGNING_KEY_LATEST)
    assert row is not None
    return SigningKey(row["kid"], RSAKey.import_key(row["private_pem"]))


def issue(signing: SigningKey, claims: dict[str, Any], *, typ: str, ttl_seconds: int) -> str:
    """Sign ``claims`` with standard ``iat``/``exp``/``jti``/``typ`` added."""
    now = int(time.time())
    body = {"iat": now, "exp": now + ttl_seconds, "jti": secrets.token_hex(12), "typ": typ}
    body.update(claims)
    return jwt.encode({"alg": ALGORITHM, "kid": signing.kid, "typ": "JWT"}, body, signing.key)


def verify(signing: SigningKey, token: str, *, typ: str) -> dict[str, Any]:
    """Check signature, expiry and token type; return the claims."""
    try:
        decoded = jwt.decode(token, signing.key, algorithms=[ALGORITHM])
        jwt.JWTClaimsRegistry(
            exp={"essential": True}, typ={"essential": True, "value": typ}
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise Unauthorized("Invalid or expired token") from exc
    return dict(decoded.claims)


def access_token_subject(signing: SigningKey, token: str) -> int:
    """User id carried by a valid access token."""
    claims = verify(signing, token, typ=ACCESS)
    try:
        return int(claims["sub"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unauthorized("Token has no valid subject") from exc


__all__ = [
    "ACCESS",
    "ID",
    "REFRESH",
    "SigningKey",
    "access_token_subject",
    "issue",
    "load_signing_key",
    "verify",
]
