"""Cytomine's array POST of plain objects: all created in one transaction, or none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from contracts.envelopes import BulkResult
from contracts.errors import DomainError
from server.principal import Principal

B = TypeVar("B")
Create = Callable[[asyncpg.Connection, Principal, B], Awaitable[tuple[Any, int]]]


async def create_all(
    conn: asyncpg.Connection, me: Principal, bodies: Sequence[B], create: Create[B], plural: str
) -> BulkResult:
    """Create every object with ``create`` or, when one is refused, none (status inside)."""
    try:
        async with conn.transaction():
            ids = [str((await create(conn, me, body))[0].id) for body in bodies]
    except DomainError as exc:
        errors = [{"message": exc.message, "errorValues": exc.values}]
        data = {"success": False, "message": "No entry saved", "errors": errors}
        return BulkResult(data=data, status=exc.status)
    return BulkResult(data={"message": f"{plural} {','.join(ids)} added"}, status=200)


__all__ = ["create_all"]
