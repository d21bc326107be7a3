"""Configure large-image once, explicitly: in-process cache sized from memory, no ICC."""

from __future__ import annotations

import large_image  # type: ignore[import-untyped]
import psutil  # type: ignore[import-untyped]

_MB = 1024 * 1024
_TILE_BYTES = 256 * 256 * 4 * 2  # large-image's own estimate of one cached tile
_state: dict[str, int | None] = {}


def _portion(cache_mb: int | None) -> int:
    """large-image sizes its python cache as 1/portion of the total memory."""
    total = int(psutil.virtual_memory().total)
    if cache_mb is None:
        return 32
    return max(3, total // max(1, cache_mb * _MB))


def configure(cache_mb: int | None = None) -> None:
    """Set large-image's cache backend and colour policy; later calls change nothing.

    The cache backend is fixed to the in-process ``python`` LRU: left unset, large-image
    silently adopts memcached or redis when one happens to answer on localhost. ICC
    correction is off because it forces a decode and re-encode of every tile, which defeats
    the copy-through of stored JPEG tiles. ``cache_mb`` bounds the tile cache (default: 1/32
    of the physical memory, as measured by psutil).
    """
    if "portion" in _state:
        return
    portion = _portion(cache_mb)
    set_config = large_image.config.setConfig
    set_config("cache_backend", "python")
    set_config("cache_python_memory_portion", portion)
    set_config("cache_tilesource_memory_portion", max(portion, 16))
    set_config("icc_correction", False)
    set_config("default_encoding", "JPEG")
    _state["portion"] = portion


def cache_items() -> int:
    """Approximate number of tiles the configured cache holds."""
    portion = _state.get("portion") or 32
    return max(2, int(psutil.virtual_memory().total) // portion // _TILE_BYTES)


__all__ = ["cache_items", "configure"]
