"""Request bodies with a size limit, and bodies that are the file itself (not multipart).

``capped`` stops reading a body as soon as it passes its limit, so an oversized upload never
fills the disk before it is refused with 413.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import anyio

from contracts.errors import TooLarge
from server.ingest import Received

# A multipart body carries boundaries and part headers around the file.
MULTIPART_OVERHEAD = 64 * 1024


def too_large(limit: int) -> TooLarge:
    """The 413 error for a body or file over ``limit`` bytes."""
    return TooLarge(f"The file is larger than the limit of {limit} bytes", {"limit": limit})


async def capped(chunks: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    """The chunks of a body, refused (413) once more than ``limit`` bytes have come."""
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > limit:
            raise too_large(limit)
        yield chunk


async def receive_raw(
    chunks: AsyncIterator[bytes], root: Path, filename: str, content_type: str | None
) -> Received:
    """Stream a body that is the file itself to a temporary path under the storage root."""
    temp = root / ".incoming" / uuid.uuid4().hex
    size = 0
    try:
        async with await anyio.open_file(temp, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                await out.write(chunk)
    except BaseException:
        await anyio.Path(temp).unlink(missing_ok=True)
        raise
    return Received(
        original_filename=filename, content_type=content_type, size=size, temp_path=str(temp)
    )


__all__ = ["MULTIPART_OVERHEAD", "capped", "receive_raw", "too_large"]
