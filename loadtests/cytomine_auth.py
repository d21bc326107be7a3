"""Cytomine API-key signing for the load profiles (what cytomine-python-client 4.x sends)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from email.utils import formatdate


def signed_headers(public_key: str, private_key: str, method: str = "GET") -> dict[str, str]:
    """``date`` and ``authorization`` headers signing ``METHOD\\n\\n\\ndate``."""
    date = formatdate(time.time(), usegmt=True)
    digest = hmac.new(private_key.encode(), f"{method}\n\n\n{date}".encode(), hashlib.sha1).digest()
    signature = base64.b64encode(digest).decode()
    return {"date": date, "authorization": f"CYTOMINE {public_key}:{signature}"}


def keys_from_env() -> tuple[str, str]:
    """The API keys named by LOADTEST_PUBLIC_KEY and LOADTEST_PRIVATE_KEY (required)."""
    try:
        return os.environ["LOADTEST_PUBLIC_KEY"], os.environ["LOADTEST_PRIVATE_KEY"]
    except KeyError as exc:
        message = f"set {exc.args[0]} (API keys of an account that can read the image)"
        raise SystemExit(message) from None


__all__ = ["keys_from_env", "signed_headers"]
