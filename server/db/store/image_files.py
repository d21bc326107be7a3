"""Resolve an image, slice or abstract image id to its stored file, with the read check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import asyncpg
import msgspec

from contracts.errors import Forbidden, NotFound
from server.db import queries as q

Kind = Literal["imageinstance", "sliceinstance", "abstractimage", "abstractslice"]

# Statements are read when they run (``queries.use_overrides`` may replace them).
_QUERIES: dict[str, tuple[Callable[[], str], str]] = {
    "imageinstance": (lambda: q.IMAGE_FILE_BY_INSTANCE, "ImageInstance"),
    "sliceinstance": (lambda: q.IMAGE_FILE_BY_SLICE, "SliceInstance"),
    "abstractimage": (lambda: q.IMAGE_FILE_BY_ABSTRACT, "AbstractImage"),
    "abstractslice": (lambda: q.IMAGE_FILE_BY_ABSTRACT_SLICE, "AbstractSlice"),
}


class ImageFile(msgspec.Struct, frozen=True, kw_only=True):
    """Where an image's pixels live (relative to the storage root) and their version."""

    path: str
    width: int
    height: int
    version: str
    filename: str
    original_path: str
    """The file as uploaded (differs from ``path`` when the image was converted)."""
    downloadable: bool = False
    """Whether the caller may download the original (areImagesDownloadable, managers)."""


async def resolve(
    conn: asyncpg.Connection, kind: Kind, object_id: int, user_id: int, bypass: bool
) -> ImageFile:
    """The file of ``kind`` ``object_id``; NotFound, or Forbidden when the caller cannot read."""
    query, class_name = _QUERIES[kind]
    row = await conn.fetchrow(query(), object_id, user_id, bypass)
    if row is None or row["path"] is None:
        raise NotFound(class_name, object_id)
    if not row["allowed"]:
        raise Forbidden(f"You don't have the right to read {class_name} {object_id}")
    return ImageFile(
        path=row["path"],
        width=row["width"],
        height=row["height"],
        version=row["version"],
        filename=row["filename"],
        original_path=row["original_path"],
        downloadable=row["downloadable"],
    )


__all__ = ["ImageFile", "Kind", "resolve"]
