"""Every failure becomes JSON in Cytomine's error shape, with the right status.

One mapping table; unexpected exceptions are logged with a request id and answered with a
generic 500 that never carries exception text (it could leak SQL). A database that cannot be
reached (down, restarting, saturated, or a statement past statement_timeout) is a 503 with
``Retry-After``. Every 5xx carries its request id in ``X-Request-Id`` and ``errors.requestId``,
and the log line has the same id.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from contracts.envelopes import ErrorBody
from contracts.errors import DomainError
from server.db.pool import UNAVAILABLE

log = logging.getLogger("lamina.errors")
RETRY_AFTER_SECONDS = 5


def error_response(
    status: int, message: str, values: Any = None, *, request_id: str | None = None
) -> Response[ErrorBody]:
    """A JSON error in Cytomine's shape (5xx: with the request id of its log line)."""
    errors = {"message": message}
    headers = {}
    if request_id is not None:
        errors["requestId"] = request_id
        headers["X-Request-Id"] = request_id
    return Response(
        ErrorBody(errors=errors, error_values=values),
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def new_request_id() -> str:
    """A short id that ties a 5xx answer to its log line."""
    return uuid.uuid4().hex[:12]


def unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """503 with Retry-After: the database is unreachable, restarting or too slow now."""
    request_id = new_request_id()
    log.warning(
        "database unavailable %s on %s %s: %s: %s",
        request_id,
        request.method,
        request.url.path,
        type(exc).__name__,
        exc,
    )
    message = (
        "The query took too long and was cancelled"
        if isinstance(exc, asyncpg.QueryCanceledError)
        else "The database is unavailable, try again later"
    )
    response = error_response(503, message, request_id=request_id)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    response = error_response(exc.status, exc.message, exc.values)
    if (wait := getattr(exc, "retry_after", None)) is not None:
        response.headers["Retry-After"] = str(wait)
    return response


def validation_error(_: Request[Any, Any, Any], exc: ValidationException) -> Response[ErrorBody]:
    return error_response(400, _validation_message(exc), exc.extra or None)


def _validation_message(exc: ValidationException) -> str:
    detail = exc.detail or "Invalid request"
    extra = exc.extra if isinstance(exc.extra, list) else []
    parts = []
    for item in extra:
        if isinstance(item, dict):
            key = item.get("key")
            msg = item.get("message")
            parts.append(f"{key}: {msg}" if key else str(msg))
    return f"{detail}: {'; '.join(parts)}" if parts else detail


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    status = exc.status_code
    if status >= 500:
        request_id = new_request_id()
        log.error("error %s %s on %s %s", status, request_id, request.method, request.url.path)
        return error_response(status, "Internal server error", request_id=request_id)
    return error_response(status, exc.detail or "Request failed")


def unique_violation(
    _: Request[Any, Any, Any], exc: asyncpg.UniqueViolationError
) -> Response[ErrorBody]:
    return error_response(409, f"Object already exists ({exc.constraint_name})")


def integrity_error(
    _: Request[Any, Any, Any], exc: asyncpg.IntegrityConstraintViolationError
) -> Response[ErrorBody]:
    return error_response(400, f"Constraint violated ({exc.constraint_name or 'integrity'})")


def bad_value(_: Request[Any, Any, Any], exc: asyncpg.DataError) -> Response[ErrorBody]:
    return error_response(400, "Invalid value in request")


def too_long(
    _: Request[Any, Any, Any], exc: asyncpg.ProgramLimitExceededError
) -> Response[ErrorBody]:
    # e.g. a 1 MB name: a btree index row holds at most ~2.7 kB.
    return error_response(400, "A value in the request is too long")


def too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[ErrorBody]:
    # msgspec refuses JSON nested deeper than the interpreter's recursion limit this way.
    log.warning("recursion limit on %s %s", request.method, request.url.path)
    return error_response(400, "The request body is nested too deeply")


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    request_id = new_request_id()
    log.error(
        "unhandled error %s on %s %s", request_id, request.method, request.url.path, exc_info=exc
    )
    message = f"Internal server error (request {request_id})"
    return error_response(500, message, request_id=request_id)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    asyncpg.UniqueViolationError: unique_violation,
    asyncpg.IntegrityConstraintViolationError: integrity_error,
    asyncpg.DataError: bad_value,
    asyncpg.ProgramLimitExceededError: too_long,
    RecursionError: too_deep,
    **dict.fromkeys(UNAVAILABLE, unavailable),
    Exception: unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "error_response", "new_request_id", "unavailable"]
