"""What the health routes ask the database."""

from __future__ import annotations

import asyncpg

from server.db import queries as q


async def ping(conn: asyncpg.Connection, timeout: float) -> None:
    """Run the smallest statement; raises when the database does not answer in ``timeout``."""
    await conn.fetchval(q.SERVER_PING, timeout=timeout)


__all__ = ["ping"]
