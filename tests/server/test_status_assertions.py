"""assert_status quotes the server's error message when the status is not the one expected."""

from __future__ import annotations

import httpx
import pytest

from tests.assertions import assert_status

REQUEST = httpx.Request("GET", "http://testserver/api/project/7.json")


def test_the_expected_status_passes() -> None:
    assert_status(httpx.Response(200, json={"id": 7}, request=REQUEST), 200)


def test_a_wrong_status_quotes_the_error_message() -> None:
    body = {"errors": {"message": "You don't have the right to read Project 7"}}
    response = httpx.Response(403, json=body, request=REQUEST)
    with pytest.raises(AssertionError) as caught:
        assert_status(response, 200)
    assert str(caught.value) == (
        "GET /api/project/7.json answered 403, expected 200: "
        "You don't have the right to read Project 7"
    )


def test_a_body_without_an_error_message_is_quoted_as_text() -> None:
    response = httpx.Response(500, text="Internal Server Error", request=REQUEST)
    with pytest.raises(AssertionError, match="answered 500, expected 204: Internal Server Error"):
        assert_status(response, 204)


def test_a_response_without_its_request_still_says_what_came_back() -> None:
    response = httpx.Response(404, json={"errors": {"message": "Term not found"}})
    with pytest.raises(AssertionError, match="^response answered 404, expected 200: Term not"):
        assert_status(response, 200)
