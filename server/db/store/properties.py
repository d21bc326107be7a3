"""Key/value properties of any domain object (project, image, annotation, abstract image...)."""

from __future__ import annotations

from typing import TypeVar

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Conflict, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import domains
from server.db.store.commands import delete_row, record
from server.principal import Principal
from spatial.bbox import parse_bbox
from tiling.metadata import ImageMetadata

T = TypeVar("T")


class PropertyKey(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A property key in use, and who uses it when asked (``user=true``)."""

    key: str
    user: int | None = None


class AnnotationPosition(msgspec.Struct, kw_only=True):
    """Centre of an annotation and its value for one property key."""

    id_annotation: int = msgspec.field(name="idAnnotation")
    x: float
    y: float
    value: str | None


async def list_for(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, params: ListParams
) -> Page[c.Property]:
    """Properties of an object the caller may read."""
    await domains.readable(conn, me, class_name, ident)
    return await fetch_page(conn, q.PROPERTY_LIST_BY_DOMAIN, params, c.Property, ident)


async def _fetch(conn: asyncpg.Connection, ident: int, property_id: int) -> c.Property:
    text = await conn.fetchval(q.PROPERTY_BY_ID, property_id, ident)
    if text is None:
        raise NotFound("Property", property_id)
    return rows.one(text, c.Property)


async def get(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, property_id: int
) -> c.Property:
    """One property of an object the caller may read."""
    await domains.readable(conn, me, class_name, ident)
    return await _fetch(conn, ident, property_id)


async def get_by_key(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, key: str
) -> c.Property:
    """The property of an object with this key."""
    await domains.readable(conn, me, class_name, ident)
    text = await conn.fetchval(q.PROPERTY_BY_KEY, ident, key)
    if text is None:
        raise NotFound("Property", f"{ident}, key={key}")
    return rows.one(text, c.Property)


def _key(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("Property key must not be empty", {"missing": ["key"]})
    return value.strip()


def _value(value: str | None) -> str:
    if value is None:
        raise Invalid("Property value is missing", {"missing": ["value"]})
    return value


def _duplicate(key: str, ident: int) -> Conflict:
    return Conflict(f"Property {key} already exists for object {ident}")


async def create(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, body: c.PropertyInput
) -> tuple[c.Property, int]:
    """Add a property to an object whose metadata the caller may change."""
    key, value = _key(body.key), _value(body.value)
    target = await domains.writable(conn, me, class_name, ident)
    async with conn.transaction():
        try:
            property_id = await conn.fetchval(
                q.PROPERTY_INSERT, target.class_name, ident, key, value
            )
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(key, ident) from exc
        obj = await _fetch(conn, ident, property_id)
        command = await record(
            conn, user_id=me.id, action="ADD", obj=obj, project_id=target.project_id
        )
    return obj, command


async def create_from_body(
    conn: asyncpg.Connection, me: Principal, body: c.PropertyInput
) -> tuple[c.Property, int]:
    """``POST /api/property.json``: the object is named in the body."""
    class_name, ident = domains.from_body(body.domain_class_name, body.domain_ident)
    return await create(conn, me, class_name, ident, body)


async def update(
    conn: asyncpg.Connection,
    me: Principal,
    class_name: str,
    ident: int,
    property_id: int,
    body: c.PropertyInput,
) -> tuple[c.Property, int]:
    """Change a property's key or value; absent fields keep theirs."""
    target = await domains.writable(conn, me, class_name, ident)
    current = await _fetch(conn, ident, property_id)
    key = current.key if body.key is None else _key(body.key)
    value = current.value if body.value is None else body.value
    async with conn.transaction():
        try:
            await conn.execute(q.PROPERTY_UPDATE, property_id, key, value)
        except asyncpg.UniqueViolationError as exc:
            raise _duplicate(key, ident) from exc
        obj = await _fetch(conn, ident, property_id)
        command = await record(
            conn, user_id=me.id, action="EDIT", obj=obj, project_id=target.project_id
        )
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, class_name: str, ident: int, property_id: int
) -> tuple[c.Property, int]:
    """Delete a property; answer it as it was."""
    target = await domains.writable(conn, me, class_name, ident)
    async with conn.transaction():
        obj = await _fetch(conn, ident, property_id)
        await delete_row(conn, q.PROPERTY_DELETE, property_id, kind="Property")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=target.project_id
        )
    return obj, command


async def put_many(
    conn: asyncpg.Connection, class_name: str, ident: int, values: dict[str, str]
) -> None:
    """Store properties without a permission check (ingest); existing keys keep their value."""
    pairs = [(k.strip(), v) for k, v in values.items() if k.strip() and v is not None]
    keys = [k for k, _ in pairs]
    await conn.execute(q.PROPERTY_INSERT_MANY, class_name, ident, keys, [v for _, v in pairs])


async def clear(conn: asyncpg.Connection, ident: int) -> None:
    """Delete every property of an object (no permission check)."""
    await conn.execute(q.PROPERTY_DELETE_BY_DOMAIN, ident)


def _paged(items: list[T], params: ListParams) -> Page[T]:
    end = params.offset + params.max if params.max > 0 else None
    return page(items[params.offset : end], size=len(items), offset=params.offset, max_=params.max)


async def annotation_keys(
    conn: asyncpg.Connection,
    me: Principal,
    where: tuple[int | None, int | None],
    with_user: bool,
    params: ListParams,
) -> Page[PropertyKey]:
    """Keys used on the annotations of a project (``where[0]``) and/or an image (``where[1]``)."""
    project_id, image_id = where
    if project_id is None and image_id is None:
        raise Invalid("idProject or idImage is required", {"missing": ["idProject", "idImage"]})
    if project_id is not None:
        await domains.readable(conn, me, domains.PROJECT, project_id)
    if image_id is not None:
        await domains.readable(conn, me, domains.IMAGE_INSTANCE, image_id)
    found = await conn.fetch(q.PROPERTY_KEYS_ANNOTATION, project_id, image_id, with_user)
    return _paged([PropertyKey(key=r["key"], user=r["user_id"]) for r in found], params)


async def image_keys(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[str]:
    """Keys used on the images of a project."""
    await domains.readable(conn, me, domains.PROJECT, project_id)
    found = await conn.fetch(q.PROPERTY_KEYS_IMAGE, project_id)
    return _paged([r["key"] for r in found], params)


def _bbox(text: str | None) -> str | None:
    """WKT of the area a ``bbox`` (``minx,miny,maxx,maxy`` or WKT polygon) covers."""
    if text is None or not text.strip():
        return None
    return str(parse_bbox(text).geometry.wkt)


async def annotation_positions(
    conn: asyncpg.Connection,
    me: Principal,
    user_image: tuple[int, int],
    key: str | None,
    bbox: str | None,
    params: ListParams,
) -> Page[AnnotationPosition]:
    """Centres and values for ``key`` of one user's annotations on one image."""
    user_id, image_id = user_image
    if key is None or not key:
        raise Invalid("key is required", {"missing": ["key"]})
    area = _bbox(bbox)
    await domains.readable(conn, me, domains.IMAGE_INSTANCE, image_id)
    text = await conn.fetchval(q.PROPERTY_ANNOTATION_POSITIONS, image_id, user_id, key, area)
    return _paged(rows.many(text, AnnotationPosition), params)


class MetadataItem(msgspec.Struct, kw_only=True):
    """One raw metadata entry of an image file, as Cytomine's image server lists them."""

    key: str
    value: str
    type: str
    namespace: str


def vendor_properties(raw: dict[str, str]) -> dict[str, str]:
    """Raw file metadata under the names the vendor uses (``openslide.mpp-x``)."""
    # large-image nests OpenSlide's own property names under one "openslide" entry.
    wrapped = any(key.startswith("openslide.openslide.") for key in raw)
    return {_vendor_key(key, wrapped): value for key, value in raw.items()}


def _vendor_key(key: str, wrapped: bool) -> str:
    inner = key.removeprefix("openslide.")
    return inner if wrapped and inner != key and "." in inner else key


async def put_image_metadata(
    conn: asyncpg.Connection,
    image_id: int,
    meta: ImageMetadata,
    given: dict[str, str] | None = None,
) -> None:
    """Store upload-given pairs, then the file's vendor metadata, as abstract image properties.

    Keys already set keep their value, so given pairs win over the file's.
    """
    await put_many(conn, domains.ABSTRACT_IMAGE, image_id, given or {})
    await put_many(conn, domains.ABSTRACT_IMAGE, image_id, vendor_properties(meta.properties))


async def extract(conn: asyncpg.Connection, image_id: int, meta: ImageMetadata) -> None:
    """Refresh the optics and raw metadata of an abstract image from its file read again."""
    await conn.execute(
        q.IMAGE_PROPERTIES_EXTRACT,
        image_id,
        meta.physical_size_x,
        meta.physical_size_y,
        meta.magnification,
        meta.bit_per_sample,
        meta.sample_per_pixel,
        meta.colorspace,
        msgspec.json.encode(meta.properties).decode(),
    )


async def refresh_image(
    conn: asyncpg.Connection, image_id: int, meta: ImageMetadata | None, steps: frozenset[str]
) -> None:
    """Apply ``clear``, ``populate`` and ``extract`` (in that order) in one transaction."""
    async with conn.transaction():
        if "clear" in steps:
            await clear(conn, image_id)
        if meta is not None and "populate" in steps:
            await put_image_metadata(conn, image_id, meta)
        if meta is not None and "extract" in steps:
            await extract(conn, image_id, meta)


async def image_file(conn: asyncpg.Connection, image_id: int) -> tuple[str, dict[str, str]]:
    """Path (under the storage root) and stored raw metadata of an abstract image's file."""
    row = await conn.fetchrow(q.IMAGE_PROPERTIES_FILE, image_id)
    if row is None:
        raise NotFound("AbstractImage", image_id)
    return row["path"] or "", msgspec.json.decode(row["properties"], type=dict[str, str])


def _type_of(value: str) -> str:
    for kind, parse in (("INTEGER", int), ("DECIMAL", float)):
        try:
            parse(value)
        except ValueError:
            continue
        return kind
    return "BOOLEAN" if value.lower() in ("true", "false") else "STRING"


def metadata_items(raw: dict[str, str], params: ListParams) -> Page[MetadataItem]:
    """Raw metadata as ``{key, value, type, namespace}`` items, namespace upper case."""
    items = []
    for name, value in vendor_properties(raw).items():
        namespace, _, key = name.partition(".")
        if not key:
            namespace, key = "", namespace
        items.append(
            MetadataItem(key=key, value=value, type=_type_of(value), namespace=namespace.upper())
        )
    return _paged(items, params)


__all__ = [
    "AnnotationPosition",
    "MetadataItem",
    "extract",
    "image_file",
    "metadata_items",
    "put_image_metadata",
    "refresh_image",
    "vendor_properties",
    "PropertyKey",
    "annotation_keys",
    "annotation_positions",
    "image_keys",
    "clear",
    "create",
    "create_from_body",
    "delete",
    "get",
    "get_by_key",
    "list_for",
    "put_many",
    "update",
]
