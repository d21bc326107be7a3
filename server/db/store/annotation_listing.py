"""Annotation listing (``GET /api/annotation.json``, ``GET|POST /api/annotation/search.json``).

Two static statements: ``annotation_list_bbox`` for the viewer's image(s) + bbox window (image
and envelope always bound, so the GiST (image_id, location) index serves every plan) and
``annotation_list`` for everything else. PostgreSQL builds the JSON page; the hidden
``show*``/``hide*`` groups are removed there too. Parameters come from the query string and,
for search, a JSON body (numbers, booleans, lists or comma-joined strings).
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

import spatial
from contracts.errors import Invalid
from server.auth.principal import Principal
from server.db import queries as q
from server.db.store import acl
from server.params import flag

GROUPS: dict[str, tuple[str, ...]] = {
    "basic": ("id", "class"),
    "meta": (
        "created",
        "updated",
        "image",
        "slice",
        "project",
        "user",
        "nbComments",
        "countReviewedAnnotations",
        "reviewed",
        "cropURL",
        "smallCropURL",
        "url",
        "imageURL",
    ),
    "wkt": ("location", "geometryCompression"),
    "gis": ("area", "areaUnit", "perimeter", "perimeterUnit", "centroid"),
    "term": ("term", "userByTerm"),
    "track": ("track",),
}
DEFAULT_GROUPS = ("basic", "meta", "term")
_FLAG_GROUP = {name.lower(): name for name in GROUPS}


class AnnotationQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed annotation listing request."""

    project: int | None = None
    images: list[int] | None = None
    slices: list[int] | None = None
    users: list[int] | None = None
    terms: list[int] | None = None
    no_term: bool = False
    bbox: spatial.Bbox | None = None
    hidden: list[str] = []
    max: int = 0
    offset: int = 0


class ListingPage(msgspec.Struct, kw_only=True):
    """Cytomine's list envelope with the collection as JSON text built by PostgreSQL."""

    collection: msgspec.Raw
    offset: int
    per_page: int = msgspec.field(name="perPage")
    size: int
    total_pages: int = msgspec.field(name="totalPages")


def _ids(params: dict[str, Any], *names: str) -> list[int] | None:
    """Ids under any of ``names`` (number, list, or comma-joined string); None when absent."""
    found: list[int] = []
    present = False
    for name in names:
        value = params.get(name)
        if value is None or value == "":
            continue
        present = True
        items = value if isinstance(value, list) else str(value).split(",")
        try:
            found += [int(item) for item in items if str(item).strip()]
        except (TypeError, ValueError) as exc:
            raise Invalid(f"{name} must be a list of ids, not {value!r}") from exc
    return sorted(set(found)) if present else None


def _int(params: dict[str, Any], name: str, default: int) -> int:
    """A non-negative integer parameter."""
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{name} must be an integer, not {value!r}") from exc
    if number < 0:
        raise Invalid(f"{name} must not be negative, not {number}")
    return number


def hidden_keys(params: dict[str, Any]) -> list[str]:
    """Keys of the groups not shown: showX selects groups (default basic, meta, term)."""
    shown: set[str] = set()
    hidden: set[str] = set()
    for key, value in params.items():
        prefix = "show" if key.startswith("show") else "hide" if key.startswith("hide") else None
        group = _FLAG_GROUP.get(key[4:].lower()) if prefix else None
        if group is not None and flag(value, name=key):
            (shown if prefix == "show" else hidden).add(group)
    groups = (shown or set(DEFAULT_GROUPS)) - hidden or {"basic"}
    keep = {key for g in groups for key in GROUPS[g]}
    return sorted({key for keys in GROUPS.values() for key in keys} - keep)


def parse_query(params: dict[str, Any]) -> AnnotationQuery:
    """Validate the listing parameters (query string merged with a JSON body)."""
    bbox = params.get("bbox")
    project = _ids(params, "project")
    return AnnotationQuery(
        project=project[0] if project else None,
        images=_ids(params, "image", "images"),
        slices=_ids(params, "slice", "slices"),
        users=_ids(params, "user", "users"),
        terms=_ids(params, "term", "terms"),
        no_term=flag(params.get("noTerm"), name="noTerm"),
        bbox=spatial.parse_bbox(str(bbox)) if bbox not in (None, "") else None,
        hidden=hidden_keys(params),
        max=_int(params, "max", 0),
        offset=_int(params, "offset", 0),
    )


def arguments(me: Principal, query: AnnotationQuery) -> tuple[str, list[Any]]:
    """The statement for ``query`` and its bound values."""
    box = query.bbox
    envelope: tuple[float | None, ...] = box.envelope if box is not None else (None,) * 4
    polygon = spatial.to_wkb(box.polygon) if box is not None and box.polygon is not None else None
    values = [
        me.id,
        me.is_admin,
        query.project,
        query.images,
        query.slices,
        query.users,
        query.terms,
        query.no_term,
        *envelope,
        polygon,
        query.max or None,
        query.offset,
        query.hidden,
    ]
    hot = box is not None and query.images is not None
    return (q.ANNOTATION_LIST_BBOX if hot else q.ANNOTATION_LIST), values


async def list_annotations(
    conn: asyncpg.Connection, me: Principal, query: AnnotationQuery
) -> ListingPage:
    """One page of the annotations the caller reads, newest first."""
    if query.project is not None:
        await acl.readable(conn, me, query.project)
    statement, values = arguments(me, query)
    row = await conn.fetchrow(statement, *values)
    assert row is not None  # an aggregate query always answers one row
    size = int(row["size"])
    remaining = max(0, size - query.offset)
    per_page = min(query.max, remaining) if query.max else remaining
    return ListingPage(
        collection=msgspec.Raw((row["items"] or "[]").encode()),
        offset=query.offset,
        per_page=per_page,
        size=size,
        total_pages=-(-size // query.max) if query.max else min(size, 1),
    )


__all__ = ["AnnotationQuery", "ListingPage", "hidden_keys", "list_annotations", "parse_query"]
