"""Client-side helpers to authenticate test requests like the real clients do."""

from __future__ import annotations

import time
from collections.abc import Generator

import httpx

from server.auth.apikey import sign


class CytomineAuth(httpx.Auth):
    """Signs like cytomine-python-client 4.x: ``METHOD\\n\\ncontent-type\\ndate``."""

    def __init__(self, public_key: str, private_key: str, *, with_path: bool = False) -> None:
        self.public_key = public_key
        self.private_key = private_key
        self.with_path = with_path

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        date = request.headers.get("date") or time.strftime(
            "%a, %d %b %Y %H:%M:%S +0000", time.gmtime()
        )
        request.headers["date"] = date
        ctype = request.headers.get("content-type", "")
        to_sign = f"{request.method}\n\n{ctype}\n{date}"
        if self.with_path:
            target = request.url.raw_path.decode("ascii")
            to_sign += f"\n{target}"
        request.headers["authorization"] = (
            f"CYTOMINE {self.public_key}:{sign(self.private_key, to_sign)}"
        )
        yield request


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>``."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["authorization"] = f"Bearer {self.token}"
        yield request


def bearer_token(access_token: str) -> BearerAuth:
    """Auth object for an access token."""
    return BearerAuth(access_token)
