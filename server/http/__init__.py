"""HTTP controllers, one module per Cytomine resource; ``ROUTES`` is every route handler."""

from __future__ import annotations

from typing import Any

from server.http import health, users

ROUTES: list[Any] = [*health.ROUTES, *users.ROUTES]

__all__ = ["ROUTES"]
