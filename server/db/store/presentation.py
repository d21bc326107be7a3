"""Reads behind IIIF Presentation manifests and annotation pages (``server.http.presentation``).

Every read takes the reader (``user_id``, ``bypass`` for admins) and decides access in SQL:
a missing object is NotFound, an unreadable one Forbidden, and annotation layers follow the
project's layer rules, as the annotation listing does.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts.errors import Forbidden, NotFound
from server.db import queries as q


class Canvas(msgspec.Struct, frozen=True, kw_only=True):
    """One image instance as a canvas: size, name (None in blind mode) and file version."""

    id: int
    project_id: int
    name: str | None
    width: int
    height: int
    version: str


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """One annotation in canvas coordinates (y down) with its term names."""

    id: int
    svg: str
    wkt: str
    terms: list[str]


def _canvas(row: asyncpg.Record) -> Canvas:
    return Canvas(**{name: row[name] for name in Canvas.__struct_fields__})


async def image(conn: asyncpg.Connection, image_id: int, user_id: int, bypass: bool) -> Canvas:
    """One readable image instance."""
    row = await conn.fetchrow(q.PRESENTATION_IMAGES, None, image_id, user_id, bypass)
    if row is None:
        raise NotFound("ImageInstance", image_id)
    if not row["allowed"]:
        raise Forbidden(f"You don't have the right to read image {image_id}")
    return _canvas(row)


async def project(
    conn: asyncpg.Connection, project_id: int, user_id: int, bypass: bool
) -> tuple[str, list[Canvas]]:
    """A readable project's name and its images, by id."""
    row = await conn.fetchrow(q.PRESENTATION_PROJECT, project_id, user_id, bypass)
    if row is None:
        raise NotFound("Project", project_id)
    if not row["allowed"]:
        raise Forbidden(f"You don't have the right to read or modify project {project_id}")
    rows = await conn.fetch(q.PRESENTATION_IMAGES, project_id, None, user_id, bypass)
    return row["name"], [_canvas(r) for r in rows]


async def targets(
    conn: asyncpg.Connection,
    image_id: int,
    user_id: int,
    bypass: bool,
    after: int | None,
    limit: int,
) -> list[Target]:
    """Up to ``limit`` visible user annotations of an image with ids above ``after``."""
    rows = await conn.fetch(q.PRESENTATION_ANNOTATIONS, image_id, user_id, bypass, after, limit)
    return [Target(id=r["id"], svg=r["svg"], wkt=r["wkt"], terms=list(r["terms"])) for r in rows]


__all__ = ["Canvas", "Target", "image", "project", "targets"]
