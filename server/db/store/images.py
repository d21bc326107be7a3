"""Abstract images (one per stored file) and their abstract slices."""

from __future__ import annotations

from pathlib import PurePosixPath

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, commands, storages, uploads, users
from server.principal import Principal
from tiling.metadata import ImageMetadata


class AbstractImageFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Extra conditions of the abstract image list."""

    project: int | None = None
    unused_only: bool = False
    uploaded_file: int | None = None


async def insert(
    conn: asyncpg.Connection,
    uploaded_file_id: int,
    original_filename: str,
    meta: ImageMetadata,
    upload_properties: dict[str, str],
) -> int:
    """Store the abstract image of a file and its slices; returns the image id."""
    suffix = PurePosixPath(original_filename).suffix.lower()
    mime = "image/tiff" if suffix in (".tif", ".tiff") else None
    return int(
        await conn.fetchval(
            q.ABSTRACT_IMAGE_INSERT,
            uploaded_file_id,
            original_filename,
            meta.width,
            meta.height,
            meta.depth,
            meta.duration,
            meta.channels,
            meta.extrinsic_channels,
            meta.physical_size_x,
            meta.physical_size_y,
            meta.magnification,
            meta.bit_per_sample,
            meta.sample_per_pixel,
            meta.colorspace,
            meta.tile_width,
            meta.levels,
            list(meta.associated),
            msgspec.json.encode(meta.properties).decode(),
            msgspec.json.encode(upload_properties).decode(),
            list(meta.channel_names),
            mime,
        )
    )


async def get(conn: asyncpg.Connection, me: Principal, image_id: int) -> c.AbstractImage:
    """One abstract image the caller may read (storage, project holding it, or admin)."""
    text = await conn.fetchval(q.ABSTRACT_IMAGE_GET, image_id, me.id, me.is_admin)
    if text is None:
        if await conn.fetchval(q.ABSTRACT_IMAGE_EXISTS, image_id) is not None:
            raise Forbidden(f"You don't have the right to read abstract image {image_id}")
        raise NotFound("AbstractImage", image_id)
    return rows.one(text, c.AbstractImage)


async def storage_of(conn: asyncpg.Connection, image_id: int) -> int:
    """The storage holding an abstract image (NotFound if none)."""
    storage_id = await conn.fetchval(q.ABSTRACT_IMAGE_EXISTS, image_id)
    if storage_id is None:
        raise NotFound("AbstractImage", image_id)
    return int(storage_id)


async def list_images(
    conn: asyncpg.Connection, me: Principal, params: ListParams, where: AbstractImageFilter
) -> Page[c.AbstractImage]:
    """Abstract images of the storages the caller reads (every one for admins)."""
    storages.require_user(me)
    return await fetch_page(
        conn,
        q.ABSTRACT_IMAGE_LIST,
        params,
        c.AbstractImage,
        me.id,
        me.is_admin,
        where.project,
        where.unused_only,
        where.uploaded_file,
    )


async def update(
    conn: asyncpg.Connection, me: Principal, image_id: int, body: c.AbstractImageInput
) -> tuple[c.AbstractImage, int]:
    """Change the optics (resolution, magnification...) of an abstract image."""
    await storages.readable(conn, me, await storage_of(conn, image_id))
    if body.magnification is not None and body.magnification <= 0:
        raise Invalid("magnification must be positive")
    async with conn.transaction():
        await conn.execute(
            q.ABSTRACT_IMAGE_UPDATE,
            image_id,
            body.physical_size_x,
            body.physical_size_y,
            body.physical_size_z,
            body.magnification,
            body.fps,
            body.original_filename,
        )
        image = await get(conn, me, image_id)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=image)
    return image, command


async def slice_get(conn: asyncpg.Connection, me: Principal, slice_id: int) -> c.AbstractSlice:
    """One abstract slice the caller may read."""
    text = await conn.fetchval(q.ABSTRACT_SLICE_GET, slice_id, me.id, me.is_admin)
    if text is None:
        raise NotFound("AbstractSlice", slice_id)
    return rows.one(text, c.AbstractSlice)


async def slices_of_image(
    conn: asyncpg.Connection, me: Principal, image_id: int, params: ListParams
) -> Page[c.AbstractSlice]:
    """Abstract slices of an abstract image the caller may read."""
    await get(conn, me, image_id)
    return await fetch_page(
        conn, q.ABSTRACT_SLICE_LIST, _by_rank(params), c.AbstractSlice, image_id, None
    )


async def slices_of_upload(
    conn: asyncpg.Connection, me: Principal, uploaded_file_id: int, params: ListParams
) -> Page[c.AbstractSlice]:
    """Abstract slices made from an uploaded file (its storage must be readable)."""
    await uploads.get(conn, me, uploaded_file_id)
    return await fetch_page(
        conn, q.ABSTRACT_SLICE_LIST, _by_rank(params), c.AbstractSlice, None, uploaded_file_id
    )


async def delete(
    conn: asyncpg.Connection, me: Principal, image_id: int
) -> tuple[c.AbstractImage, int]:
    """Delete an abstract image unused by projects (its storage must be readable)."""
    await storages.readable(conn, me, await storage_of(conn, image_id))
    image = await get(conn, me, image_id)
    async with conn.transaction():
        try:
            await commands.delete_row(conn, q.ABSTRACT_IMAGE_DELETE, image_id, kind="AbstractImage")
        except asyncpg.ForeignKeyViolationError as exc:
            raise Forbidden(
                f"Abstract image {image_id} is used in projects: remove it from them first"
            ) from exc
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=image)
    return image, command


async def uploader(conn: asyncpg.Connection, me: Principal, image_id: int) -> c.User:
    """The user who uploaded the file behind an abstract image."""
    await get(conn, me, image_id)
    return await users.get(conn, me, int(await conn.fetchval(q.ABSTRACT_IMAGE_UPLOADER, image_id)))


async def companion_files(
    conn: asyncpg.Connection,
    me: Principal,
    params: ListParams,
    *,
    image_id: int | None = None,
    uploaded_file_id: int | None = None,
) -> Page[c.CompanionFile]:
    """Companion files of an abstract image or an uploaded file the caller may read."""
    if image_id is not None:
        await get(conn, me, image_id)
    if uploaded_file_id is not None:
        await uploads.get(conn, me, uploaded_file_id)
    return await fetch_page(
        conn, q.COMPANION_FILE_LIST, params, c.CompanionFile, image_id, uploaded_file_id
    )


def _check_new_image(body: c.AbstractImageInput) -> None:
    """Refuse a new abstract image without a file or with impossible dimensions."""
    missing = [
        wire
        for wire, value in (
            ("uploadedFile", body.uploaded_file),
            ("width", body.width),
            ("height", body.height),
        )
        if value is None
    ]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    for wire, value in (
        ("width", body.width),
        ("height", body.height),
        ("depth", body.depth),
        ("duration", body.duration),
        ("channels", body.channels),
        ("magnification", body.magnification),
    ):
        if value is not None and value <= 0:
            raise Invalid(f"{wire} must be positive")


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.AbstractImageInput
) -> tuple[c.AbstractImage, int]:
    """Register the abstract image of an uploaded file (its storage must be readable)."""
    _check_new_image(body)
    assert body.uploaded_file is not None
    upload = await uploads.get(conn, me, body.uploaded_file)
    if upload.storage is not None:
        await storages.readable(conn, me, upload.storage)
    async with conn.transaction():
        try:
            image_id = await conn.fetchval(
                q.ABSTRACT_IMAGE_CREATE,
                upload.id,
                body.original_filename or upload.original_filename,
                body.width,
                body.height,
                body.depth or 1,
                body.duration or 1,
                body.channels or 1,
                body.physical_size_x,
                body.physical_size_y,
                body.physical_size_z,
                body.fps,
                body.magnification,
                body.bit_per_sample,
                body.sample_per_pixel,
                body.colorspace,
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"Uploaded file {upload.id} already has an abstract image",
                {"uploadedFile": upload.id},
            ) from exc
        image = await get(conn, me, image_id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=image)
    return image, command


async def list_by_project(
    conn: asyncpg.Connection, me: Principal, params: ListParams, project_id: int
) -> Page[c.AbstractImage]:
    """Abstract images used in a project the caller reads."""
    await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn, q.ABSTRACT_IMAGE_LIST_BY_PROJECT, params, c.AbstractImage, project_id
    )


def _by_rank(params: ListParams) -> ListParams:
    return msgspec.structs.replace(params, sort=params.sort or "rank", order=params.order or "asc")


__all__ = [
    "AbstractImageFilter",
    "companion_files",
    "create",
    "delete",
    "get",
    "insert",
    "list_by_project",
    "list_images",
    "slice_get",
    "slices_of_image",
    "slices_of_upload",
    "storage_of",
    "update",
    "uploader",
]
