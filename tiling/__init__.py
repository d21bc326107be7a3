"""Synchronous facade over large-image: tiles, thumbnails and regions as bytes."""

from __future__ import annotations

__all__: list[str] = []
