"""The in-memory caches of the picture routes, shared by the Litestar handlers and the fast path.

- ``ByteLru``: encoded pictures keyed by their strong ETag, bounded in bytes;
- ``Decisions``: granted (caller, image) accesses, remembered for a few seconds;
- ``Served``: what the handlers answered a GET (path and query) about: the object, its file
  version, the picture's shape and extra headers, so ``server.fast_tiles`` can answer the
  same request again without routing it.
"""

from __future__ import annotations

import time
from collections import OrderedDict

import msgspec

from server.db.store.image_files import ImageFile, Kind
from server.tile_request import Shape

DECISION_SECONDS = 5.0
LRU_BYTES = 64 * 1024 * 1024
LRU_ITEM_BYTES = 1024 * 1024
SERVED_ENTRIES = 50_000


class ByteLru:
    """Encoded pictures keyed by ETag, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = LRU_BYTES, max_item: int = LRU_ITEM_BYTES) -> None:
        self.max_bytes, self.max_item, self.size = max_bytes, max_item, 0
        self._items: OrderedDict[str, tuple[bytes, str]] = OrderedDict()

    def get(self, key: str) -> tuple[bytes, str] | None:
        """The cached picture of an ETag, marked as recently used."""
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        return hit

    def put(self, key: str, value: tuple[bytes, str]) -> None:
        """Keep a picture unless it is too large; evict the least recently used."""
        if len(value[0]) > self.max_item or key in self._items:
            return
        self._items[key] = value
        self.size += len(value[0])
        while self.size > self.max_bytes:
            _, (data, _) = self._items.popitem(last=False)
            self.size -= len(data)


def decision_key(user: int, bypass: bool, kind: str, object_id: int) -> tuple[object, ...]:
    """The key of one access decision (user 0 with bypass for signed URLs)."""
    return (user, bypass, kind, object_id)


class Decisions:
    """Granted (caller, object) accesses, remembered for a few seconds."""

    def __init__(self, ttl: float = DECISION_SECONDS) -> None:
        self.ttl = ttl
        self._items: dict[tuple[object, ...], tuple[float, ImageFile]] = {}

    def get(self, key: tuple[object, ...]) -> ImageFile | None:
        """A still valid decision, else None."""
        hit = self._items.get(key)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, key: tuple[object, ...], file: ImageFile) -> None:
        """Remember a granted access."""
        if len(self._items) > 10_000:
            self._items.clear()
        self._items[key] = (time.monotonic() + self.ttl, file)

    def clear(self) -> None:
        """Forget every decision (after a change of keys, roles or lock state)."""
        self._items.clear()


class Answer(msgspec.Struct, frozen=True, gc=False):
    """What a picture handler answered one GET about: object, file version, shape, headers."""

    kind: Kind
    object_id: int
    version: str
    shape: Shape
    extra_headers: tuple[tuple[str, str], ...] = ()


class Served:
    """Answers of picture GETs keyed by (path, query string), oldest forgotten first."""

    def __init__(self, max_entries: int = SERVED_ENTRIES) -> None:
        self.max_entries = max_entries
        self._items: dict[tuple[str, bytes], Answer] = {}

    def get(self, path: str, query: bytes) -> Answer | None:
        """The answer given to this path and query, if remembered."""
        return self._items.get((path, query))

    def put(self, path: str, query: bytes, answer: Answer) -> None:
        """Remember an answer (insertion order makes eviction first-in first-out)."""
        key = (path, query)
        if key not in self._items and len(self._items) >= self.max_entries:
            del self._items[next(iter(self._items))]
        self._items[key] = answer


__all__ = ["Answer", "ByteLru", "Decisions", "Served", "decision_key"]
