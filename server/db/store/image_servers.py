"""Image servers: this process is the one server, listed for legacy clients."""

from __future__ import annotations

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page


async def list_servers(conn: asyncpg.Connection, params: ListParams) -> Page[c.ImageServer]:
    """Every registered image server."""
    return await fetch_page(conn, q.IMAGE_SERVER_LIST, params, c.ImageServer)


async def get(conn: asyncpg.Connection, server_id: int) -> c.ImageServer:
    """One image server."""
    text = await conn.fetchval(q.IMAGE_SERVER_GET, server_id)
    if text is None:
        raise NotFound("ImageServer", server_id)
    return rows.one(text, c.ImageServer)


async def set_public_url(conn: asyncpg.Connection, url: str) -> None:
    """Record the base URL that thumb and preview URLs (and the commands keeping them) use."""
    await conn.execute(q.IMAGE_SERVER_SET_URL, url)


async def urls(conn: asyncpg.Connection) -> list[str]:
    """Base URLs of the available image servers."""
    found = await list_servers(conn, ListParams(sort="id", order="asc"))
    return [server.url for server in found.collection if server.available]


__all__ = ["get", "list_servers", "urls"]
