"""Annotation listing (``GET /api/annotation.json``, ``GET|POST /api/annotation/search.json``).

Statements composed from the same fragments (``server/db/annotation_list_sql``), in four shapes:
``annotation_list_bbox`` for the viewer's image(s) + bbox window (``annotation_list_bbox_viewer``
when only the viewer's item groups are shown), ``annotation_list_by_term`` for
term filters elsewhere and ``annotation_list`` for the rest; every filter is a bound
``($x IS NULL OR ...)`` arm named after the ``AnnotationQuery`` field holding its value, and
a request's statement holds only the filters it uses.
PostgreSQL builds the page's JSON in runs of items, joined here with one copy; a hidden
``show*``/``hide*`` group costs nothing there. Parameters come from the query string and, for
search, a JSON body (numbers, booleans, lists or comma-joined strings); the HTTP layer reads
them into an ``AnnotationQuery`` (``server.http.annotation_query``).

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

import functools
from datetime import datetime
from typing import Annotated, Any, get_type_hints

import asyncpg
import msgspec

import spatial
from contracts.errors import Forbidden, NotFound
from server.db import annotation_list_sql as listing_sql
from server.db import queries as q
from server.db.store import annotation_job_filters, annotation_overview
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


def wire(*names: str, refers: str | None = None) -> msgspec.Meta:
    """A filter field read from these request parameters, by its type: a list of ids, one id
    (or an object's ``id``) or a boolean flag. Its value is bound to the listing statements
    under the field's name (``$users_for_term`` in a fragment). ``refers``: the kind of
    object its ids name (see ``refers``)."""
    extra = {"wire": names} if refers is None else {"wire": names, **_refers(refers)}
    return msgspec.Meta(extra=extra)


REFERENCE_KINDS = ("annotation", "project", "image", "slice", "term", "track", "user", "tag")
"""The kinds of object a listing may name, in the order ``annotation_list_refs`` takes them."""


def refers(kind: str) -> msgspec.Meta:
    """A field holding ids of ``kind`` (one of REFERENCE_KINDS): each must exist (else 404)
    and be readable by the caller (else 403) before the listing runs."""
    return msgspec.Meta(extra=_refers(kind))


def _refers(kind: str) -> dict[str, str]:
    if kind not in REFERENCE_KINDS:
        raise ValueError(f"refers names one of {', '.join(REFERENCE_KINDS)}, not {kind!r}")
    return {"refers": kind}


@functools.cache
def references(query_type: type[AnnotationQuery]) -> dict[str, tuple[str, ...]]:
    """The fields of a query type naming objects, by kind (every kind of REFERENCE_KINDS)."""
    found: dict[str, tuple[str, ...]] = dict.fromkeys(REFERENCE_KINDS, ())
    for name, hint in get_type_hints(query_type, include_extras=True).items():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, msgspec.Meta) and meta.extra and "refers" in meta.extra:
                found[meta.extra["refers"]] += (name,)
    return found


class AnnotationQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed annotation listing request (None: no such filter)."""

    project: Annotated[int | None, wire("project", refers="project")] = None
    images: Annotated[list[int] | None, wire("image", "images", refers="image")] = None
    slices: Annotated[list[int] | None, wire("slice", "slices", refers="slice")] = None
    users: Annotated[list[int] | None, wire("user", "users", "username", refers="user")] = None
    terms: Annotated[list[int] | None, wire("term", "terms", refers="term")] = None
    no_term: Annotated[bool, wire("noTerm")] = False
    multiple_term: Annotated[bool, wire("multipleTerm")] = False
    users_for_term: Annotated[list[int] | None, wire("usersForTerm", refers="user")] = None
    tracks: Annotated[list[int] | None, wire("track", "tracks", refers="track")] = None
    no_track: Annotated[bool, wire("noTrack")] = False
    multiple_track: Annotated[bool, wire("multipleTrack")] = False
    tags: Annotated[list[int] | None, wire("tag", "tags", refers="tag")] = None
    no_tag: Annotated[bool, wire("noTag")] = False
    reviewed: Annotated[bool, wire("reviewed")] = False
    algo: Annotated[bool, wire("includeAlgo")] = False
    before_slice: Annotated[int | None, refers("slice")] = None
    after_slice: Annotated[int | None, refers("slice")] = None
    review_users: Annotated[list[int] | None, wire("reviewUsers", refers="user")] = None
    not_reviewed_only: Annotated[bool, wire("notReviewedOnly")] = False
    bbox: spatial.Bbox | None = None
    bbox_annotation: Annotated[int | None, refers("annotation")] = None
    base_geometry: bytes | None = None
    base_annotation: Annotated[int | None, refers("annotation")] = None
    max_distance: float | None = None
    excluded: Annotated[int | None, refers("annotation")] = None
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
    algo_term_user: Annotated[int | None, wire("userForTermAlgo", refers="user")] = None
    suggested_term: Annotated[int | None, wire("suggestedTerm", refers="term")] = None
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


def values(me: Principal, query: AnnotationQuery, slice_rank: int | None) -> dict[str, Any]:
    """Every named value of the listing statements: the query's fields under their own names
    (the filters), and what is derived from the caller and the query."""
    box = query.bbox
    envelope: tuple[float | None, ...] = box.envelope if box is not None else (None,) * 4
    area = spatial.to_wkb(box.polygon) if box is not None and box.polygon is not None else None
    return (
        msgspec.structs.asdict(query)
        | referenced_ids(query)
        | {
            "user_id": me.id,
            "bypass": me.is_admin,
            "kind": query.kind,
            **dict(
                zip(("bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy"), envelope, strict=True)
            ),
            "bbox_area": area,
            "count": query.after_id is None,  # keyset pages are not counted
            "limit": query.max or None,
            "offset": 0 if query.after_id is not None else query.offset,
            "slice_rank": slice_rank,  # the plane to order by (beforeSlice/afterSlice)
            "before": query.before_slice is not None,
        }
    )


def shape(query: AnnotationQuery) -> listing_sql.Listing:
    """The shape of listing statement whose plan fits ``query``."""
    if query.bbox is not None and query.images is not None:
        if listing_sql.VIEWER_GROUPS.issuperset(query.groups):
            return listing_sql.ANNOTATION_LIST_BBOX_VIEWER
        return listing_sql.ANNOTATION_LIST_BBOX
    if query.terms is not None and not query.no_term:
        return listing_sql.ANNOTATION_LIST_BY_TERM
    return listing_sql.ANNOTATION_LIST


def arguments(
    me: Principal, query: AnnotationQuery, slice_rank: int | None = None
) -> tuple[str, list[Any]]:
    """The statement text for ``query`` and its bound values (slice_rank: the plane to order by)."""
    named = values(me, query, slice_rank)
    chosen = shape(query).statement(named)
    return chosen.text, chosen.bind(named)


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


def referenced_ids(query: AnnotationQuery) -> dict[str, list[int]]:
    """The ids the query names, by kind (``$ref_<kind>s``): what the caller must be able to
    read (``access.sql``); the fields come from their ``refers`` declarations."""
    named = references(type(query))
    return {
        f"ref_{kind}s": _listed(*(getattr(query, f) for f in named[kind]))
        for kind in REFERENCE_KINDS
    }


def _refuse(kind: str, object_id: int, found: bool) -> None:
    """404 for an id that does not exist, 403 for one the caller cannot read."""
    if not found:
        raise NotFound(kind, object_id)
    raise Forbidden(f"You don't have the right to read {kind} {object_id}")


async def check_references(conn: asyncpg.Connection, me: Principal, query: AnnotationQuery) -> None:
    """The listing statements' access check on its own, for what runs before them.

    404 for an id the listing names that does not exist, 403 for one the caller cannot read:
    checked like reading the object (see ``access.sql``).
    """
    check = listing_sql.ANNOTATION_LIST_REFS
    values = referenced_ids(query) | {"user_id": me.id, "bypass": me.is_admin}
    row = await conn.fetchrow(check.text, *check.bind(values))
    if row is not None:
        _refuse(row["kind"], row["id"], row["found"])


async def list_annotations(
    conn: asyncpg.Connection, me: Principal, query: AnnotationQuery, *, budget: int = 0
) -> ListingPage:
    """One page of the annotations the caller reads, newest first.

    With ``kmeans=true``, Cytomine's clusters instead when its rules say so or when the window
    holds more than ``budget`` annotations (the server's row budget; 0: none).
    """
    query = await annotation_job_filters.resolve(conn, me, query)
    if query.kmeans or query.before_slice is not None or query.after_slice is not None:
        # Statements run before the listing's: the ids are checked first, on their own.
        await check_references(conn, me, query)
    if query.kmeans and query.kind == "user":
        clusters = await annotation_overview.kmeans(conn, me, query, budget=budget)
        if clusters is not None:
            n = clusters.size
            raw = msgspec.Raw(clusters.items)
            return ListingPage(collection=raw, offset=0, per_page=n, size=n, total_pages=1)
    statement, values = arguments(me, query, await _slice_rank(conn, query))
    rows = await conn.fetch(statement, *values)
    if rows and rows[0]["refused"] is not None:
        _refuse(rows[0]["refused"], rows[0]["refused_id"], rows[0]["refused_found"])
    size = rows[0]["size"] if rows and rows[0]["items"] is None else None
    runs = [row["items"] for row in rows if row["items"] is not None]
    found = sum(row["found"] for row in rows if row["items"] is not None)
    return _page(_collection(runs), size, found, query)


__all__ = [
    "AnnotationQuery",
    "ListingPage",
    "DEFAULT_GROUPS",
    "GROUPS",
    "list_annotations",
    "refers",
    "references",
    "wire",
]
