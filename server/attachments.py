"""Where attached files live: ``<storage root>/attachedfile/<id>/<safe name>``.

Job data files are kept the same way under ``jobdata/`` (``folder=JOB_DATA``).

Uploads arrive through ``server.ingest.receive_form`` (files streamed to disk, text fields
kept, as Cytomine reads request parameters from the query or the form alike).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import anyio

from server.stored_files import Received, safe_name

FOLDER = "attachedfile"
JOB_DATA = "jobdata"


def relative_path(file_id: int, filename: str, folder: str = FOLDER) -> str:
    """Where an attached file's bytes live, relative to the storage root."""
    return f"{folder}/{file_id}/{safe_name(filename)}"


async def keep(item: Received, root: Path, relative: str) -> None:
    """Move a received file to its place under the storage root."""

    def move() -> None:
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        Path(item.temp_path).replace(destination)

    await anyio.to_thread.run_sync(move)


async def remove(root: Path, relative: str, folder: str = FOLDER) -> None:
    """Delete an attached file's folder (nothing outside ``folder``)."""
    own = (root / relative).parent
    if (root / folder) not in own.parents:
        return
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(own, ignore_errors=True))


__all__ = ["FOLDER", "JOB_DATA", "keep", "relative_path", "remove"]
