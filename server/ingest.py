"""Image ingest: stream uploads to the storage root, read them with large-image, record them.

``receive_form`` streams the file parts of any multipart upload (images, attached files) to
``<storage root>/.incoming`` and keeps its small text fields.

Files live under ``settings.storage_dir`` as ``<storage>/<uploaded file>/<name>``; the
database keeps that relative path. Metadata reading is blocking, so it runs in a thread
under the runtime's ``ingest_limiter``; ``prepare_storage`` readies the storage root.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Any, cast

import anyio
import asyncpg
import msgspec
from multipart import (  # type: ignore[import-untyped]
    MultipartError,
    PushMultipartParser,
    parse_options_header,
)

from contracts import _generated as c
from contracts.errors import DomainError, Invalid
from server.db.store import image_instances, image_servers, images, properties, uploads
from server.principal import Principal
from server.settings import Settings
from server.stored_files import Received, discard, remove_stored, safe_name
from tiling import config, convert, metadata
from tiling.errors import UnreadableImage

ERROR_DEPLOYMENT = 41
FILE_FIELDS = ("files[]", "files", "file")
_WRITE_CHUNK = 1 << 20
_FIELD_LIMIT = 64 * 1024  # bytes of one text field of a form


class Form(msgspec.Struct, kw_only=True):
    """Text fields and the files of one multipart body."""

    fields: dict[str, str] = {}
    files: list[Received] = []


class UploadTarget(msgspec.Struct, frozen=True, kw_only=True):
    """Where an upload goes: its storage, the projects to add it to, its properties."""

    storage_id: int
    projects: tuple[int, ...] = ()
    properties: dict[str, str] = {}


class UploadedImage(msgspec.Struct, kw_only=True):
    """An abstract image made by an upload and its instances in projects."""

    image: c.AbstractImage
    image_instances: list[c.ImageInstance] = msgspec.field(name="imageInstances")


class UploadResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One element of the ``/upload`` answer, as Cytomine's image server shapes it."""

    status: int
    name: str
    size: int
    uploaded_file: c.UploadedFile = msgspec.field(name="uploadedFile")
    images: list[UploadedImage]
    error: str | None = None


async def prepare_storage(settings: Settings, pool: asyncpg.Pool) -> Path:
    """The storage root (created), large-image configured, and the server URL recorded."""
    root = Path(settings.storage_dir).resolve()
    await anyio.to_thread.run_sync(lambda: (root / ".incoming").mkdir(parents=True, exist_ok=True))
    config.configure()
    async with pool.acquire() as conn:
        await image_servers.set_public_url(cast("asyncpg.Connection", conn), settings.base_url)
    return root


def boundary_of(content_type: str) -> str:
    """The multipart boundary of a request (400 when it is not multipart)."""
    mime, options = parse_options_header(content_type or "")
    if mime != "multipart/form-data" or not options.get("boundary"):
        raise Invalid("The upload must be multipart/form-data with a files[] field")
    return str(options["boundary"])


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


async def store(
    conn: asyncpg.Connection, me: Principal, item: Received, target: UploadTarget, root: Path
) -> int:
    """Record the upload and move its bytes to their place; returns the uploaded file id."""
    name = safe_name(item.original_filename)
    ext = PurePosixPath(name).suffix.lstrip(".").lower() or None
    new = uploads.NewUpload(
        storage_id=target.storage_id,
        original_filename=item.original_filename,
        filename=name,
        ext=ext,
        content_type=item.content_type,
        size=item.size,
        projects=target.projects,
    )
    uploaded_file_id = await uploads.insert(conn, me, new)
    relative = f"{target.storage_id}/{uploaded_file_id}/{name}"
    await anyio.to_thread.run_sync(_move, item.temp_path, root / relative)
    await uploads.set_status(conn, uploaded_file_id, uploads.DETECTING_FORMAT, path=relative)
    return uploaded_file_id


def _move(source: str, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    Path(source).replace(destination)


async def deploy(
    conn: asyncpg.Connection,
    me: Principal,
    uploaded_file_id: int,
    target: UploadTarget,
    root: Path,
    limiter: anyio.CapacityLimiter,
) -> UploadResult:
    """Read the stored file's metadata and create its images; failures end in an error status.

    A flat or untiled image is first converted to a pyramidal TIFF beside the original: the
    copy is a child uploaded file (CONVERTING, then DEPLOYED) that the image is served from,
    while the original (CONVERTING, then CONVERTED) stays what downloads give.
    """
    upload = await uploads.get(conn, me, uploaded_file_id)
    path = root / (upload.path or "")
    served: list[c.UploadedFile] = []
    try:
        meta = await _read(conn, me, upload, (root, path), limiter, served)
        made = await _create_images(
            conn, me, upload, served[-1] if served else upload, meta, target
        )
    except (UnreadableImage, DomainError, asyncpg.PostgresError) as exc:
        status, message = _failure(exc)
        for child in served:
            await uploads.set_status(conn, child.id, status, message=message)
        return await _fail(conn, me, upload, status, message, root)
    done = await uploads.get(conn, me, uploaded_file_id)
    return UploadResult(
        status=200,
        name=done.original_filename or "",
        size=done.size,
        uploaded_file=done,
        images=[made],
    )


def _failure(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, UnreadableImage):
        return exc.upload_status, exc.message
    if isinstance(exc, DomainError):
        return ERROR_DEPLOYMENT, exc.message
    return ERROR_DEPLOYMENT, "The image could not be registered"


async def _read(
    conn: asyncpg.Connection,
    me: Principal,
    upload: c.UploadedFile,
    stored: tuple[Path, Path],
    limiter: anyio.CapacityLimiter,
    served: list[c.UploadedFile],
) -> metadata.ImageMetadata:
    """The metadata of the file images are served from, converting the upload when needed.

    ``stored``: the storage root and the upload's path under it."""
    root, path = stored
    if not await anyio.to_thread.run_sync(convert.needs_pyramid, str(path), limiter=limiter):
        meta = await anyio.to_thread.run_sync(metadata.read_metadata, str(path), limiter=limiter)
        await uploads.set_format(conn, upload.id, metadata.format_of(str(path), meta))
        return meta
    await uploads.set_format(conn, upload.id, metadata.format_of(str(path)))
    target = convert.pyramid_path(path)
    relative = str(target.relative_to(root))
    child_id = await uploads.insert_converted(conn, upload.id, target.name, relative)
    await uploads.set_status(conn, upload.id, uploads.CONVERTING)
    served.append(await uploads.get(conn, me, child_id))
    await anyio.to_thread.run_sync(convert.to_pyramid, str(path), str(target), limiter=limiter)
    meta = await anyio.to_thread.run_sync(
        metadata.read_metadata, str(target), str(path), limiter=limiter
    )
    size = (await anyio.Path(target).stat()).st_size
    await uploads.set_format(conn, child_id, metadata.format_of(str(target), meta), size)
    return meta


async def _create_images(
    conn: asyncpg.Connection,
    me: Principal,
    upload: c.UploadedFile,
    served: c.UploadedFile,
    meta: metadata.ImageMetadata,
    target: UploadTarget,
) -> UploadedImage:
    async with conn.transaction():
        name = upload.original_filename or upload.filename or ""
        image_id = await images.insert(conn, served.id, name, meta, target.properties)
        await properties.put_image_metadata(conn, image_id, meta, target.properties)
        added = [
            (await image_instances.add(conn, me, image_id, project_id))[0]
            for project_id in target.projects
        ]
        await uploads.set_status(conn, served.id, uploads.DEPLOYED)
        if served.id != upload.id:
            await uploads.set_status(conn, upload.id, uploads.CONVERTED)
        image = await images.get(conn, me, image_id)
    return UploadedImage(image=image, image_instances=added)


async def _fail(
    conn: asyncpg.Connection,
    me: Principal,
    upload: c.UploadedFile,
    status: int,
    message: str,
    root: Path,
) -> UploadResult:
    await remove_stored(root, upload.path)
    await uploads.set_status(conn, upload.id, status, message=message)
    failed = await uploads.get(conn, me, upload.id)
    return UploadResult(
        status=400,
        name=failed.original_filename or "",
        size=failed.size,
        uploaded_file=failed,
        images=[],
        error=message,
    )


__all__ = [
    "ERROR_DEPLOYMENT",
    "FILE_FIELDS",
    "Form",
    "Received",
    "UploadResult",
    "UploadTarget",
    "UploadedImage",
    "boundary_of",
    "deploy",
    "discard",
    "prepare_storage",
    "receive_form",
    "remove_stored",
    "safe_name",
    "store",
]
