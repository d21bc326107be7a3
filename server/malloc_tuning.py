"""Keep the memory freed by picture buffers and response bodies in a serving process (glibc).

Every uncached tile allocates its bytes (a stored tile copied through is ~10-40 KB) and the
picture cache frees the oldest ones as it takes new ones. With glibc's default trim threshold
(128 KB, raised only by frees of large ``mmap``ed blocks), freed memory at the top of the
heap goes back to the system and the next allocations take it back, page by page: that cost
a third of the CPU of an uncached tile request (``python -m tests.bench.tiles_cpu``: 31-46 µs
against 23-26 µs with a high threshold). Setting one threshold stops glibc's own adjustment
of the other, so both are set: blocks up to ``MMAP_THRESHOLD_BYTES`` (the largest threshold
glibc would reach itself) come from the heap, not from a fresh ``mmap`` per block; a
10k-row listing's body (~15 MB) would otherwise be mapped and faulted in on every request.
The process keeps up to ``TRIM_THRESHOLD_BYTES`` of freed memory; the picture cache bounds
what it holds (64 MB by default).
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter numbers."""
TRIM_THRESHOLD_BYTES = 256 * 1024 * 1024
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
ENVIRONMENT_SETTINGS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
"""glibc's own settings of the same thresholds: when the environment gives one, both are
left as glibc has them."""


def keep_freed_memory() -> bool:
    """Raise the trim and mmap thresholds of glibc's malloc; False when it is not glibc's (or
    the environment sets a threshold itself) and nothing was changed."""
    if any(name in os.environ for name in ENVIRONMENT_SETTINGS):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    if not mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES):
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))


__all__ = ["MMAP_THRESHOLD_BYTES", "TRIM_THRESHOLD_BYTES", "keep_freed_memory"]
