"""Every failure becomes JSON in Cytomine's error shape, with the right status.

One mapping table; unexpected exceptions are logged with a request id and answered with a
generic 500 that never carries exception text (it could leak SQL).
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

log = logging.getLogger("lamina.errors")


def error_response(status: int, message: str, values: Any = None) -> Response[ErrorBody]:
    """A JSON error in Cytomine's shape."""
    return Response(
        ErrorBody(errors={"message": message}, error_values=values),
        status_code=status,
        media_type=MediaType.JSON,
    )


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    return error_response(exc.status, exc.message, exc.values)


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


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    status = exc.status_code
    if status >= 500:
        return error_response(status, "Internal server error")
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


def query_canceled(
    _: Request[Any, Any, Any], exc: asyncpg.QueryCanceledError
) -> Response[ErrorBody]:
    return error_response(503, "The query took too long and was cancelled")


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    request_id = uuid.uuid4().hex[:12]
    log.error(
        "unhandled error %s on %s %s", request_id, request.method, request.url.path, exc_info=exc
    )
    return error_response(500, f"Internal server error (request {request_id})")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    asyncpg.UniqueViolationError: unique_violation,
    asyncpg.IntegrityConstraintViolationError: integrity_error,
    asyncpg.DataError: bad_value,
    asyncpg.ProgramLimitExceededError: too_long,
    RecursionError: too_deep,
    asyncpg.QueryCanceledError: query_canceled,
    Exception: unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "error_response"]
