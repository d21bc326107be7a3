"""The job runner: queue in PostgreSQL, jobs started through a small ``Launcher`` interface."""

from __future__ import annotations

__all__: list[str] = []
