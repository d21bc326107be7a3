"""Keep the memory freed by short-lived picture buffers in a serving process (glibc malloc).

Every uncached tile allocates its bytes (a stored tile copied through is ~10-40 KB) and the
picture cache frees the oldest ones as it takes new ones. With glibc's default trim threshold
(128 KB, adjusted upwards only by large ``mmap`` frees), freed memory at the top of the heap
goes back to the system and the next allocations take it back, page by page: that cost a
third of the CPU of an uncached tile request (``python -m tests.bench.tiles_cpu``: 31-46 µs
against 23-26 µs with a high threshold). The process keeps up to ``TRIM_THRESHOLD_BYTES`` of
freed memory instead; the picture cache bounds what it holds (64 MB by default).
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1
"""glibc's ``mallopt`` parameter number of the trim threshold."""
TRIM_THRESHOLD_BYTES = 256 * 1024 * 1024
ENVIRONMENT_SETTING = "MALLOC_TRIM_THRESHOLD_"
"""glibc's own setting of the same threshold: when the environment gives it, it is kept."""


def keep_freed_memory() -> bool:
    """Raise the trim threshold of glibc's malloc; False when it is not glibc's (or the
    environment sets the threshold itself) and nothing was changed."""
    if ENVIRONMENT_SETTING in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))


__all__ = ["TRIM_THRESHOLD_BYTES", "keep_freed_memory"]
