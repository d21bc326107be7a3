"""Pure geometry: WKT parsing and validation, bbox and tile maths (no I/O)."""

from __future__ import annotations

__all__: list[str] = []
