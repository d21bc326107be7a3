"""Files received from a form and kept under the storage root: names, moves and removals.

A leaf module the store may import; the upload service (``server.ingest``) streams forms into
``Received`` files and deploys them as images.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import anyio
import msgspec

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class Received(msgspec.Struct, frozen=True, kw_only=True):
    """One uploaded file, streamed to a temporary path under the storage root."""

    original_filename: str
    content_type: str | None
    size: int
    temp_path: str


async def discard(received: list[Received]) -> None:
    """Remove temporary files that were not moved into a storage."""
    for item in received:
        await anyio.Path(item.temp_path).unlink(missing_ok=True)


def safe_name(original: str) -> str:
    """A file name safe to put on disk, keeping the extension readers rely on."""
    cleaned = _UNSAFE.sub("_", original).strip(" .") or "upload"
    return cleaned[-200:]


async def remove_stored(root: Path, relative: str | None) -> None:
    """Delete the directory holding a stored file (no-op for a missing path)."""
    if not relative:
        return
    folder = (root / relative).parent
    if root not in folder.parents:
        return
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))


__all__ = ["Received", "discard", "remove_stored", "safe_name"]
