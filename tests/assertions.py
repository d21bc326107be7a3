"""Assertions that explain themselves: a wrong status says what the server answered."""

from __future__ import annotations

import httpx
import msgspec

_BODY_CHARS = 500


def _server_says(response: httpx.Response) -> str:
    """The server's error message (Cytomine's ``errors.message``), else the start of the body."""
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        return response.text[:_BODY_CHARS]
    if isinstance(body, dict) and isinstance(body.get("errors"), dict):
        message = body["errors"].get("message")
        if message is not None:
            return str(message)
    return response.text[:_BODY_CHARS]


def _request_line(response: httpx.Response) -> str:
    """``METHOD /path`` of the request answered, or "response" when it is not known."""
    try:
        request = response.request
    except RuntimeError:  # a Response built by hand has no request
        return "response"
    return f"{request.method} {request.url.path}"


def assert_status(response: httpx.Response, expected: int) -> None:
    """Fail unless ``response`` has status ``expected``, quoting what the server said."""
    __tracebackhide__ = True
    if response.status_code != expected:
        raise AssertionError(
            f"{_request_line(response)} answered {response.status_code}, "
            f"expected {expected}: {_server_says(response)}"
        )


__all__ = ["assert_status"]
