"""Annotation listing (``GET /api/annotation.json``, ``GET|POST /api/annotation/search.json``).

Three statements composed at import from the same fragments (``server/db/annotation_list_sql``):
``annotation_list_bbox`` for the viewer's image(s) + bbox window, ``annotation_list_by_term`` for
term filters elsewhere and ``annotation_list`` for the rest; every filter is a bound
``($x IS NULL OR ...)`` arm named after the ``AnnotationQuery`` field holding its value.
PostgreSQL builds the page's JSON in runs of items, joined here with one copy; a hidden
``show*``/``hide*`` group costs nothing there. Parameters come from the query string and, for
search, a JSON body (numbers, booleans, lists or comma-joined strings).

Filters: project, image(s), slice(s), user(s) (``username`` too, as the web UI sends it),
term(s), noTerm, multipleTerm, usersForTerm, track(s), noTrack, multipleTrack, with track(s)
beforeSlice/afterSlice (a slice id: annotations on planes ranked before/after it; sliceDimension
is read and unused, as in Cytomine), tag(s), noTag, reviewed (Cytomine's reviewed listing: the
validated copies, with reviewUser and parentIdent), includeAlgo (the algo listing), reviewUsers,
notReviewedOnly, bbox (WKT or
``minx,miny,maxx,maxy``), bboxAnnotation, baseAnnotation (id or WKT) with
maxDistanceBaseAnnotation, excludedAnnotation, afterThan/beforeThan (epoch ms, exclusive).
Job filters (see annotation_job_filters): job, jobForTermAlgo, userForTermAlgo, suggestedTerm,
noAlgoTerm.
Projects hiding users' or admins' layers show a non-manager only the layers allowed.

Order: newest first; with track(s), by plane rank first, as Cytomine.

Clusters: with ``kmeans=true`` over an image + bbox window, Cytomine's k-means rows (id, location,
term, count, ratio) replace the annotations when Cytomine's rules say so, and, past them, when
the overview cells say the window holds more user annotations than the server's row budget
(``LAMINA_WINDOW_ROW_BUDGET``); see ``annotation_overview``.

Paging: ``max``/``offset`` as Cytomine (``size`` counts every match). Keyset paging, a Lamina
extension for big lists: ``afterId=<last id of the previous page>`` returns the next ``max``
annotations with smaller ids (newest first) without counting the whole match: ``size`` and
``perPage`` are then the length of this page, ``offset`` 0 and ``totalPages`` 1; the list is
done when a page holds fewer than ``max`` items.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, get_args, get_type_hints

import asyncpg
import msgspec

import spatial
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import annotation_list_sql as listing_sql
from server.db import queries as q
from server.db.composed import Statement
from server.db.store import annotation_job_filters, annotation_overview
from server.params import as_id, flag
from server.params import ids as id_values
from server.principal import Principal

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
        "reviewUser",
        "parentIdent",
        "cropURL",
        "smallCropURL",
        "url",
        "imageURL",
    ),
    "wkt": ("location", "geometryCompression"),
    "gis": ("area", "areaUnit", "perimeter", "perimeterUnit", "centroid"),
    "term": ("term", "userByTerm", "rate"),
    "track": ("track", "annotationTrack"),
    "image": ("originalFilename", "instanceFilename"),
    "slice": ("channel", "zStack", "time"),
    "user": ("creator", "name", "firstname", "lastname"),
    "imageGroup": ("imageGroup",),
    "group": ("group", "annotationLink"),
}
DEFAULT_GROUPS = ("basic", "meta", "term")
# show<Suffix>/hide<Suffix> -> group (showLink is the "group" group, as in Cytomine).
_FLAG_GROUP = {name.lower(): name for name in GROUPS if name != "group"} | {"link": "group"}


def wire(*names: str) -> msgspec.Meta:
    """A filter field read from these request parameters, by its type: a list of ids, one id
    (or an object's ``id``) or a boolean flag. Its value is bound to the listing statements
    under the field's name (``$users_for_term`` in a fragment)."""
    return msgspec.Meta(extra={"wire": names})


class AnnotationQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed annotation listing request (None: no such filter)."""

    project: Annotated[int | None, wire("project")] = None
    images: Annotated[list[int] | None, wire("image", "images")] = None
    slices: Annotated[list[int] | None, wire("slice", "slices")] = None
    users: Annotated[list[int] | None, wire("user", "users", "username")] = None
    terms: Annotated[list[int] | None, wire("term", "terms")] = None
    no_term: Annotated[bool, wire("noTerm")] = False
    multiple_term: Annotated[bool, wire("multipleTerm")] = False
    users_for_term: Annotated[list[int] | None, wire("usersForTerm")] = None
    tracks: Annotated[list[int] | None, wire("track", "tracks")] = None
    no_track: Annotated[bool, wire("noTrack")] = False
    multiple_track: Annotated[bool, wire("multipleTrack")] = False
    tags: Annotated[list[int] | None, wire("tag", "tags")] = None
    no_tag: Annotated[bool, wire("noTag")] = False
    reviewed: Annotated[bool, wire("reviewed")] = False
    algo: Annotated[bool, wire("includeAlgo")] = False
    before_slice: int | None = None
    after_slice: int | None = None
    review_users: Annotated[list[int] | None, wire("reviewUsers")] = None
    not_reviewed_only: Annotated[bool, wire("notReviewedOnly")] = False
    bbox: spatial.Bbox | None = None
    bbox_annotation: int | None = None
    base_geometry: bytes | None = None
    base_annotation: int | None = None
    max_distance: float | None = None
    excluded: int | None = None
    after_than: datetime | None = None
    before_than: datetime | None = None
    after_id: int | None = None
    groups: list[str] = msgspec.field(default_factory=lambda: list(DEFAULT_GROUPS))
    max: int = 0
    offset: int = 0
    kmeans: bool = False
    # Job filters: job and jobForTermAlgo name jobs, resolved to their user jobs before the
    # statement runs (algo_term_user then holds jobForTermAlgo's or userForTermAlgo's).
    job: Annotated[int | None, wire("job")] = None
    job_for_term_algo: Annotated[int | None, wire("jobForTermAlgo")] = None
    algo_term_user: Annotated[int | None, wire("userForTermAlgo")] = None
    suggested_term: Annotated[int | None, wire("suggestedTerm")] = None
    no_algo_term: Annotated[bool, wire("noAlgoTerm")] = False

    @property
    def kind(self) -> str:
        """The annotation kind listed: reviewed=true wins over includeAlgo, as in Cytomine."""
        return "reviewed" if self.reviewed else "algo" if self.algo else "user"


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
        found += id_values(value, name=name)
    return sorted(set(found)) if present else None


def _one(params: dict[str, Any], name: str) -> int | None:
    """One id (or an object's ``id``), or None when absent."""
    value = params.get(name)
    found = _ids({name: value.get("id") if isinstance(value, dict) else value}, name)
    return found[0] if found else None


def _number(params: dict[str, Any], name: str) -> float | None:
    """A number parameter, or None when absent."""
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{name} must be a number, not {value!r}") from exc


def _int(params: dict[str, Any], name: str, default: int) -> int:
    """A non-negative integer parameter."""
    number = _number(params, name)
    if number is None:
        return default
    if number < 0 or number != int(number):
        raise Invalid(f"{name} must be a non-negative integer, not {params[name]!r}")
    return int(number)


def _date(params: dict[str, Any], name: str) -> datetime | None:
    """An epoch-milliseconds date parameter."""
    ms = _number(params, name)
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC)


def _truthy(value: Any, name: str) -> bool:
    """A boolean as either client sends it (JSON bodies may hold true, "true" or 1)."""
    return flag(value if value is None or isinstance(value, bool) else str(value), name=name)


def _flag(params: dict[str, Any], name: str) -> bool:
    return _truthy(params.get(name), name)


def shown_groups(params: dict[str, Any]) -> list[str]:
    """Cytomine's rule: showX picks groups (none or showDefault: basic, meta, term), hideX drops."""
    shown: set[str] = set()
    hidden: set[str] = set()
    for key, value in params.items():
        prefix = key[:4]
        group = _FLAG_GROUP.get(key[4:].lower()) if prefix in ("show", "hide") else None
        if group is not None and _truthy(value, key):
            (shown if prefix == "show" else hidden).add(group)
    if not shown or _flag(params, "showDefault"):
        shown |= set(DEFAULT_GROUPS)
    return sorted((shown - hidden) | {"basic"})


def hidden_keys(params: dict[str, Any]) -> list[str]:
    """Keys of the groups not shown."""
    keep = {key for group in shown_groups(params) for key in GROUPS[group]}
    return sorted({key for keys in GROUPS.values() for key in keys} - keep)


def _base(params: dict[str, Any]) -> tuple[bytes | None, int | None, float | None]:
    """baseAnnotation (an id or a WKT) and maxDistanceBaseAnnotation."""
    value = params.get("baseAnnotation")
    distance = _number(params, "maxDistanceBaseAnnotation")
    if distance is None:
        return None, None, None
    if value is None or value == "":
        raise Invalid("maxDistanceBaseAnnotation needs a baseAnnotation (annotation id or WKT)")
    if (ident := as_id(value)) is not None:
        return None, ident, distance
    if isinstance(value, int) or str(value).strip().lstrip("-").isdecimal():
        raise Invalid(f"baseAnnotation must be an annotation id or a WKT, not {value!r}")
    return spatial.to_wkb(spatial.parse_location(str(value))), None, distance


def _wired() -> dict[str, tuple[type[Any], tuple[str, ...]]]:
    """The filter fields of ``AnnotationQuery``: field name -> (value type, parameter names)."""
    found = {}
    for name, hint in get_type_hints(AnnotationQuery, include_extras=True).items():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, msgspec.Meta) and meta.extra and "wire" in meta.extra:
                kind = get_args(hint)[0]
                if kind not in (list[int] | None, int | None, bool):
                    raise TypeError(f"{name}: a wired filter is ids, an id or a flag, not {kind}")
                found[name] = (kind, meta.extra["wire"])
    return found


_WIRED = _wired()


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    """The id-list, id and boolean filters, each read as its field's type says."""
    found: dict[str, Any] = {}
    for field, (kind, names) in _WIRED.items():
        if kind == list[int] | None:
            found[field] = _ids(params, *names)
        elif kind == int | None:
            found[field] = _one(params, names[0])
        else:
            found[field] = _flag(params, names[0])
    return found


def _slice_order(params: dict[str, Any], filters: dict[str, Any]) -> dict[str, Any]:
    """beforeSlice/afterSlice, read only with a track filter (Cytomine ignores them otherwise)."""
    if filters["tracks"] is None:
        return {}
    return {"before_slice": _one(params, "beforeSlice"), "after_slice": _one(params, "afterSlice")}


def parse_query(params: dict[str, Any]) -> AnnotationQuery:
    """Validate the listing parameters (query string merged with a JSON body)."""
    bbox = params.get("bbox")
    base_geometry, base_annotation, max_distance = _base(params)
    filters = _filters(params)
    return AnnotationQuery(
        **filters,
        **_slice_order(params, filters),
        bbox=spatial.parse_bbox(str(bbox)) if bbox not in (None, "") else None,
        bbox_annotation=_one(params, "bboxAnnotation"),
        base_geometry=base_geometry,
        base_annotation=base_annotation,
        max_distance=max_distance,
        excluded=_one(params, "excludedAnnotation"),
        after_than=_date(params, "afterThan"),
        before_than=_date(params, "beforeThan"),
        after_id=_one(params, "afterId"),
        groups=shown_groups(params),
        max=_int(params, "max", 0),
        offset=_int(params, "offset", 0),
        kmeans=_flag(params, "kmeans"),
    )


def values(me: Principal, query: AnnotationQuery, slice_rank: int | None) -> dict[str, Any]:
    """Every named value of the listing statements: the query's fields under their own names
    (the filters), and what is derived from the caller and the query."""
    box = query.bbox
    envelope: tuple[float | None, ...] = box.envelope if box is not None else (None,) * 4
    area = spatial.to_wkb(box.polygon) if box is not None and box.polygon is not None else None
    return msgspec.structs.asdict(query) | {
        "user_id": me.id,
        "bypass": me.is_admin,
        "kind": query.kind,
        **dict(zip(("bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy"), envelope, strict=True)),
        "bbox_area": area,
        "count": query.after_id is None,  # keyset pages are not counted
        "limit": query.max or None,
        "offset": 0 if query.after_id is not None else query.offset,
        "slice_rank": slice_rank,  # the plane to order by (beforeSlice/afterSlice)
        "before": query.before_slice is not None,
    }


def statement(query: AnnotationQuery) -> Statement:
    """The listing statement whose plan fits ``query``."""
    if query.bbox is not None and query.images is not None:
        return listing_sql.ANNOTATION_LIST_BBOX
    if query.terms is not None and not query.no_term:
        return listing_sql.ANNOTATION_LIST_BY_TERM
    return listing_sql.ANNOTATION_LIST


def arguments(
    me: Principal, query: AnnotationQuery, slice_rank: int | None = None
) -> tuple[str, list[Any]]:
    """The statement text for ``query`` and its bound values (slice_rank: the plane to order by)."""
    chosen = statement(query)
    return chosen.text, chosen.bind(values(me, query, slice_rank))


def _collection(runs: list[bytes]) -> bytes:
    """The JSON array of the page's runs of items (each already comma-joined), copied once."""
    parts = [b"["]
    for run in runs:
        parts += (run, b",")
    parts[-1] = b"]" if runs else b"[]"
    return b"".join(parts)


def _page(items: bytes, size: int | None, found: int, query: AnnotationQuery) -> ListingPage:
    """The envelope around the collection PostgreSQL built (``found`` items in this page)."""
    collection = msgspec.Raw(items)
    if size is None:  # keyset page: only this page is known
        return ListingPage(
            collection=collection, offset=0, per_page=found, size=found, total_pages=1
        )
    remaining = max(0, size - query.offset)
    return ListingPage(
        collection=collection,
        offset=query.offset,
        per_page=min(query.max, remaining) if query.max else remaining,
        size=size,
        total_pages=-(-size // query.max) if query.max else min(size, 1),
    )


async def _slice_rank(conn: asyncpg.Connection, query: AnnotationQuery) -> int | None:
    """The plane rank of beforeSlice (which wins, as in Cytomine) or afterSlice; 404 if absent."""
    slice_id = query.before_slice if query.before_slice is not None else query.after_slice
    if slice_id is None:
        return None
    rank = await conn.fetchval(q.ANNOTATION_SLICE_RANK, slice_id)
    if rank is None:
        raise NotFound("SliceInstance", slice_id)
    return int(rank)


def _listed(*groups: list[int] | int | None) -> list[int]:
    return sorted({i for g in groups if g is not None for i in ([g] if isinstance(g, int) else g)})


async def check_references(conn: asyncpg.Connection, me: Principal, query: AnnotationQuery) -> None:
    """404 for an id the listing names that does not exist, 403 for one the caller cannot read.

    Checked like reading the object: a filter on a foreign annotation's geometry would
    otherwise measure it, and a filter on a foreign id would tell whether it exists.
    """
    row = await conn.fetchrow(
        q.ANNOTATION_LIST_REFS,
        me.id,
        me.is_admin,
        _listed(query.bbox_annotation, query.base_annotation, query.excluded),
        _listed(query.project),
        _listed(query.images),
        _listed(query.slices, query.before_slice, query.after_slice),
        _listed(query.terms, query.suggested_term),
        _listed(query.tracks),
        _listed(query.users, query.users_for_term, query.review_users, query.algo_term_user),
        _listed(query.tags),
    )
    if row is None:
        return
    if not row["found"]:
        raise NotFound(row["kind"], row["id"])
    raise Forbidden(f"You don't have the right to read {row['kind']} {row['id']}")


async def list_annotations(
    conn: asyncpg.Connection, me: Principal, query: AnnotationQuery, *, budget: int = 0
) -> ListingPage:
    """One page of the annotations the caller reads, newest first.

    With ``kmeans=true``, Cytomine's clusters instead when its rules say so or when the window
    holds more than ``budget`` annotations (the server's row budget; 0: none).
    """
    query = await annotation_job_filters.resolve(conn, me, query)
    await check_references(conn, me, query)
    if query.kmeans and query.kind == "user":
        clusters = await annotation_overview.kmeans(conn, me, query, budget=budget)
        if clusters is not None:
            n = clusters.size
            raw = msgspec.Raw(clusters.items)
            return ListingPage(collection=raw, offset=0, per_page=n, size=n, total_pages=1)
    statement, values = arguments(me, query, await _slice_rank(conn, query))
    rows = await conn.fetch(statement, *values)
    size = rows[0]["size"] if rows and rows[0]["items"] is None else None
    runs = [row["items"] for row in rows if row["items"] is not None]
    found = sum(row["found"] for row in rows if row["items"] is not None)
    return _page(_collection(runs), size, found, query)


__all__ = [
    "AnnotationQuery",
    "ListingPage",
    "hidden_keys",
    "list_annotations",
    "parse_query",
    "shown_groups",
]
