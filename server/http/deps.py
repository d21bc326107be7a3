"""Names of the app-wide dependencies, as handlers annotate them."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from litestar.di import NamedDependency

from server.db.listing import ListParams
from server.principal import Principal
from server.runtime import Runtime

Conn: TypeAlias = NamedDependency[asyncpg.Connection]
"""``conn``: one pooled connection for an authenticated request."""
AnonymousConn: TypeAlias = NamedDependency[asyncpg.Connection]
"""``anonymous_conn``: a connection for routes that need no credentials (login...)."""
Me: TypeAlias = NamedDependency[Principal]
"""``me``: the authenticated caller (401 when there is none)."""
RuntimeDep: TypeAlias = NamedDependency[Runtime]
"""``runtime``: what the worker shares between requests (``server.runtime``)."""
Lists: TypeAlias = NamedDependency[ListParams]
"""``list_params``: ``max``, ``offset``, ``sort``, ``order`` and ``field[op]`` filters."""

__all__ = ["AnonymousConn", "Conn", "Lists", "Me", "RuntimeDep"]
