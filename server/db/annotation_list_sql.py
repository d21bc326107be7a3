"""The annotation listing statements, composed once at import from ``sql/annotation_list/``.

Every statement is ``statement.sql`` with the access check of the ids the query names
(``access.sql``), a source (how candidate rows are found) and every filter of ``filters/``
ANDed; they differ only where a plan needs it:

- ``annotation_list_bbox``: the viewer's image(s) + bbox window, image and envelope always
  bound so the GiST (image_id, location) index serves every plan; one materialized scan
  feeds the count and the page;
- ``annotation_list_bbox_viewer``: the same for a request showing only the viewer's item
  groups (default, WKT, GIS, terms): the other groups' subqueries are left out, which saves
  a quarter of the planning every custom plan of the window pays;
- ``annotation_list_by_term``: term(s) without noTerm, the term links drive a semi-join (it
  takes the place of the terms filter);
- ``annotation_list``: the rest, every filter an optional arm.

A new filter is one fragment in ``filters/`` (its parameters declared in its header, named
after the ``AnnotationQuery`` fields that hold their values) and one field declared with
``wire(...)``, which the HTTP layer reads with no code of its own: every statement gets it.
A filter naming objects says which kind (``wire(..., refers="image")``), so that
``check_references`` answers 404/403 for an id the caller cannot read; only a new kind of
object needs more (its line in ``annotation_list_refs.sql``).
"""

from __future__ import annotations

from server.db.composed import Fragment, Statement, compose, read
from server.db.queries import SQL_DIR

_DIR = SQL_DIR / "annotation_list"
_SKELETON = read(_DIR / "statement.sql")
_ACCESS = read(_DIR / "access.sql")
_MORE_GROUPS = read(_DIR / "items_more.sql")
_FILTERS = {path.stem: read(path) for path in sorted((_DIR / "filters").glob("*.sql"))}


def listing(
    name: str,
    sources: tuple[str, ...],
    *,
    materialized: bool,
    replaces: tuple[str, ...] = (),
    viewer_groups: bool = False,
    extra: tuple[Fragment, ...] = (),
) -> Statement:
    """The skeleton with these ``source_<name>.sql`` fragments, every filter not replaced and
    the ``extra`` filters (a filter tried before its file joins ``filters/``); with
    ``viewer_groups``, without the item groups past the viewer's (``items_more.sql``)."""
    source: list[Fragment] = [read(_DIR / f"source_{s}.sql") for s in sources]
    filters = [fragment for stem, fragment in _FILTERS.items() if stem not in replaces]
    filters += extra
    return compose(
        name,
        _SKELETON,
        {
            "access": [_ACCESS],
            "more_groups": [] if viewer_groups else [_MORE_GROUPS],
            "materialized": "MATERIALIZED" if materialized else "NOT MATERIALIZED",
            "source": source,
            "filters": filters,
        },
    )


ANNOTATION_LIST = listing("annotation_list", ("images",), materialized=False)
ANNOTATION_LIST_BBOX = listing("annotation_list_bbox", ("window",), materialized=True)
ANNOTATION_LIST_BBOX_VIEWER = listing(
    "annotation_list_bbox_viewer", ("window",), materialized=True, viewer_groups=True
)
ANNOTATION_LIST_BY_TERM = listing(
    "annotation_list_by_term", ("terms", "images"), materialized=False, replaces=("terms",)
)
STATEMENTS = (
    ANNOTATION_LIST,
    ANNOTATION_LIST_BBOX,
    ANNOTATION_LIST_BBOX_VIEWER,
    ANNOTATION_LIST_BY_TERM,
)
VIEWER_GROUPS = frozenset({"basic", "meta", "wkt", "gis", "term"})
"""The item groups of ``annotation_list_bbox_viewer``."""
# The access check on its own, for listings that run other statements first (k-means, the
# plane rank of beforeSlice/afterSlice).
ANNOTATION_LIST_REFS = compose("annotation_list_refs", _ACCESS, {})

__all__ = [
    "ANNOTATION_LIST",
    "ANNOTATION_LIST_BBOX",
    "ANNOTATION_LIST_BBOX_VIEWER",
    "ANNOTATION_LIST_BY_TERM",
    "ANNOTATION_LIST_REFS",
    "STATEMENTS",
    "VIEWER_GROUPS",
    "listing",
]
