"""Image filters (processed by the image server) and the ones each project enables."""

from __future__ import annotations

from typing import TypeVar

import asyncpg

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, commands
from server.principal import Principal

T = TypeVar("T")


async def list_filters(conn: asyncpg.Connection, params: ListParams) -> Page[c.ImageFilter]:
    """Every image filter."""
    return await fetch_page(conn, q.IMAGE_FILTER_LIST, params, c.ImageFilter)


async def _one(conn: asyncpg.Connection, sql: str, ident: int, type_: type[T]) -> T:
    text = await conn.fetchval(sql, ident)
    if text is None:
        raise NotFound(type_.__name__, ident)
    return rows.one(text, type_)


async def _filter(conn: asyncpg.Connection, filter_id: int) -> c.ImageFilter:
    return await _one(conn, q.IMAGE_FILTER_BY_ID, filter_id, c.ImageFilter)


async def create_filter(
    conn: asyncpg.Connection, me: Principal, body: c.ImageFilterInput
) -> tuple[c.ImageFilter, int]:
    """Register a filter (admins)."""
    if not me.is_admin:
        raise Forbidden("Only administrators may register image filters")
    if body.name is None or not body.name.strip():
        raise Invalid("Image filter name must not be empty", {"missing": ["name"]})
    available = True if body.available is None else body.available
    async with conn.transaction():
        try:
            filter_id = await conn.fetchval(
                q.IMAGE_FILTER_INSERT, body.name.strip(), body.method, available
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"ImageFilter {body.name.strip()} already exist!") from exc
        obj = await _filter(conn, filter_id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def list_enabled(
    conn: asyncpg.Connection, me: Principal, params: ListParams, project_id: int | None = None
) -> Page[c.ImageFilterProject]:
    """Filters enabled in the projects the caller reads, or in one project."""
    if project_id is not None:
        await acl.readable(conn, me, project_id)
    return await fetch_page(
        conn,
        q.IMAGE_FILTER_PROJECT_LIST,
        params,
        c.ImageFilterProject,
        me.id,
        me.is_admin,
        project_id,
    )


async def _enabled(conn: asyncpg.Connection, link_id: int) -> c.ImageFilterProject:
    return await _one(conn, q.IMAGE_FILTER_PROJECT_BY_ID, link_id, c.ImageFilterProject)


async def enable(
    conn: asyncpg.Connection, me: Principal, body: c.ImageFilterProjectInput
) -> tuple[c.ImageFilterProject, int]:
    """Enable a filter in a project the caller manages."""
    given = (("imageFilter", body.image_filter), ("project", body.project))
    missing = [wire for wire, value in given if value is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.image_filter is not None and body.project is not None
    await acl.project_access(conn, me, body.project)
    image_filter = await _filter(conn, body.image_filter)
    await acl.manageable(conn, me, body.project)
    async with conn.transaction():
        try:
            link_id = await conn.fetchval(
                q.IMAGE_FILTER_PROJECT_INSERT, image_filter.id, body.project
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(
                f"ImageFilter {image_filter.name} already linked to project {body.project}"
            ) from exc
        obj = await _enabled(conn, link_id)
        command = await commands.record(
            conn, user_id=me.id, action="ADD", obj=obj, project_id=obj.project
        )
    return obj, command


async def disable(
    conn: asyncpg.Connection, me: Principal, link_id: int
) -> tuple[c.ImageFilterProject, int]:
    """Disable a filter in a project the caller manages."""
    obj = await _enabled(conn, link_id)
    await acl.manageable(conn, me, obj.project)
    async with conn.transaction():
        await commands.delete_row(
            conn, q.IMAGE_FILTER_PROJECT_DELETE, link_id, kind="ImageFilterProject"
        )
        command = await commands.record(
            conn, user_id=me.id, action="DELETE", obj=obj, project_id=obj.project
        )
    return obj, command


__all__ = ["create_filter", "disable", "enable", "list_enabled", "list_filters"]
