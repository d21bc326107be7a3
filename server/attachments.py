"""Multipart forms carrying a file and text fields (attached files), streamed to disk.

The file parts go to ``<storage root>/.incoming`` as ``server.ingest`` streams image uploads;
small text fields (``domainIdent``, ``filename``...) are kept, as Cytomine reads request
parameters from the query or the form alike. Attached files then live under
``<storage root>/attachedfile/<id>/<safe name>``.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
import msgspec
from multipart import MultipartError, PushMultipartParser  # type: ignore[import-untyped]

from contracts.errors import Invalid
from server.ingest import FILE_FIELDS, Received, discard, safe_name

_FIELD_LIMIT = 64 * 1024
_WRITE_CHUNK = 1 << 20
FOLDER = "attachedfile"


class Form(msgspec.Struct, kw_only=True):
    """Text fields and the files of one multipart body."""

    fields: dict[str, str] = {}
    files: list[Received] = []


async def receive_form(
    chunks: AsyncIterator[bytes], boundary: str, root: Path, names: tuple[str, ...] = FILE_FIELDS
) -> Form:
    """Stream the file parts named ``names`` to disk, keep the text fields (400 without a file)."""
    form = Form(fields={}, files=[])
    state: dict[str, Any] = {"names": names}
    try:
        with PushMultipartParser(boundary) as parser:
            async for chunk in chunks:
                for event in parser.parse(chunk):
                    await _on_event(event, state, root, form)
            for event in parser.parse(b""):
                await _on_event(event, state, root, form)
    except BaseException as exc:
        if state.get("file") is not None:
            await state["file"].aclose()
            await anyio.Path(state["temp"]).unlink(missing_ok=True)
        await discard(form.files)
        if isinstance(exc, MultipartError):
            raise Invalid("The multipart body is malformed or incomplete") from exc
        raise
    if not form.files:
        raise Invalid(f"No file in the upload: send it in the {names[0]} field")
    return form


async def _on_event(event: Any, state: dict[str, Any], root: Path, form: Form) -> None:
    if event is None:
        await _close(state, form)
        names = state["names"]
        state.clear()
        state["names"] = names
    elif isinstance(event, (bytes, bytearray)):
        if state.get("skip"):
            return
        buffer = state.setdefault("buffer", bytearray())
        buffer += event
        if state.get("file") is None:
            if len(buffer) > _FIELD_LIMIT:
                raise Invalid(f"Form field {state['segment'].name!r} is too long")
        elif len(buffer) >= _WRITE_CHUNK:
            await state["file"].write(bytes(buffer))
            buffer.clear()
    else:
        # Files under other names are skipped, as Cytomine reads only the named part.
        state.update(segment=event, buffer=bytearray(), skip=False)
        if event.filename and event.name not in state["names"]:
            state["skip"] = True
        elif event.filename:
            state["temp"] = root / ".incoming" / uuid.uuid4().hex
            state["file"] = await anyio.open_file(state["temp"], "wb")


async def _close(state: dict[str, Any], form: Form) -> None:
    segment = state.get("segment")
    if segment is None or state.get("skip"):
        return
    if state.get("file") is None:
        form.fields.setdefault(segment.name, bytes(state["buffer"]).decode("utf-8", "replace"))
        return
    await state["file"].write(bytes(state["buffer"]))
    await state["file"].aclose()
    form.files.append(
        Received(
            original_filename=PurePosixPath(segment.filename.replace("\\", "/")).name or "upload",
            content_type=segment.content_type,
            size=segment.size,
            temp_path=str(state["temp"]),
        )
    )


def relative_path(file_id: int, filename: str) -> str:
    """Where an attached file's bytes live, relative to the storage root."""
    return f"{FOLDER}/{file_id}/{safe_name(filename)}"


async def keep(item: Received, root: Path, relative: str) -> None:
    """Move a received file to its place under the storage root."""

    def move() -> None:
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        Path(item.temp_path).replace(destination)

    await anyio.to_thread.run_sync(move)


async def remove(root: Path, relative: str) -> None:
    """Delete an attached file's folder (nothing outside the attachment folder)."""
    folder = (root / relative).parent
    if (root / FOLDER) not in folder.parents:
        return
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))


__all__ = ["FOLDER", "Form", "keep", "receive_form", "relative_path", "remove"]
