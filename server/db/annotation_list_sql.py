"""The annotation listing statements, composed from ``sql/annotation_list/``.

Every statement is ``statement.sql`` with the access check of the ids the query names
(``access.sql``), a source (how candidate rows are found) and the filters of ``filters/``
ANDed. Four shapes differ only where a plan needs it:

- ``annotation_list_bbox``: the viewer's image(s) + bbox window, image and envelope always
  bound so the GiST (image_id, location) index serves every plan; one materialized scan
  feeds the count and the page;
- ``annotation_list_bbox_viewer``: the same for a request showing only the viewer's item
  groups (default, WKT, GIS, terms): the other groups' subqueries are left out, which saves
  a quarter of the planning every custom plan of the window pays;
- ``annotation_list_by_term``: term(s) without noTerm, the term links drive a semi-join (it
  takes the place of the terms filter);
- ``annotation_list``: the rest.

A shape's statement for a request holds only the filters the request uses (``Listing.statement``):
a filter joins it when one of the parameters it declares holds a value (not NULL, not false);
so does the page's plane rank order (``page_ranked.sql``), for requests naming tracks.
Every filter holds for every row when its parameters are all NULL or false (its arms are
``($x IS NULL OR ...)``, ``(NOT $flag OR ...)``; a test checks each fragment), so leaving it
out changes no answer, and PostgreSQL, which makes a custom plan of the listing on every call,
no longer plans the arms of the fifteen filters the viewer does not use (planning was half of
the database's time at 100 rows). Each variant is composed from the same fragments on first
use, its text fixed by the set of filters it holds (the statement caches keep hitting), and a
bounded number of them is kept. ``full``, every filter, is the longest text a shape can take.

A new filter is one fragment in ``filters/`` (its parameters declared in its header, named
after the ``AnnotationQuery`` fields that hold their values, and holding for every row when
they are all NULL or false) and one field declared with ``wire(...)``, which the HTTP layer
reads with no code of its own: every shape gets it.
A filter naming objects says which kind (``wire(..., refers="image")``), so that
``check_references`` answers 404/403 for an id the caller cannot read; only a new kind of
object needs more (its line in ``annotation_list_refs.sql``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from server.db.composed import Fragment, Statement, compose, read
from server.db.queries import SQL_DIR

_DIR = SQL_DIR / "annotation_list"
_SKELETON = read(_DIR / "statement.sql")
_ACCESS = read(_DIR / "access.sql")
_MORE_GROUPS = read(_DIR / "items_more.sql")
_RANKED = read(_DIR / "page_ranked.sql")
_FILTERS = {path.stem: read(path) for path in sorted((_DIR / "filters").glob("*.sql"))}
VARIANTS_KEPT = 64
"""Variants kept per shape (2^20 sets of filters are possible; a request uses a few)."""


def _holds(value: Any) -> bool:
    """Whether a bound value makes its filter filter (NULL and false leave every row in)."""
    return value is not None and value is not False


class Listing:
    """One shape of listing statement: the skeleton with these ``source_<name>.sql`` fragments,
    the filters not replaced and the ``extra`` filters (a filter tried before its file joins
    ``filters/``); with ``viewer_groups``, without the item groups past the viewer's
    (``items_more.sql``). ``statement`` gives its variant for a request."""

    def __init__(
        self,
        name: str,
        sources: tuple[str, ...],
        *,
        materialized: bool,
        replaces: tuple[str, ...] = (),
        viewer_groups: bool = False,
        extra: tuple[Fragment, ...] = (),
    ) -> None:
        self.name = name
        self._source = tuple(read(_DIR / f"source_{s}.sql") for s in sources)
        filters = [fragment for stem, fragment in _FILTERS.items() if stem not in replaces]
        # What a variant may leave out: each filter, and the page's plane rank order.
        self._optional = (*(("filters", f) for f in (*filters, *extra)), ("ranked", _RANKED))
        self._slots = {
            "access": [_ACCESS],
            "more_groups": [] if viewer_groups else [_MORE_GROUPS],
            "materialized": "MATERIALIZED" if materialized else "NOT MATERIALIZED",
            "source": list(self._source),
        }
        self.full = self._compose(tuple(range(len(self._optional))))
        self._variant = functools.lru_cache(maxsize=VARIANTS_KEPT)(self._compose)

    def _compose(self, kept: tuple[int, ...]) -> Statement:
        """The shape with the optional fragments at these positions."""
        held = [self._optional[i] for i in kept]
        filters = [fragment for slot, fragment in held if slot == "filters"]
        names = ", ".join(fragment.path.removesuffix(".sql") for _, fragment in held)
        name = self.name if len(kept) == len(self._optional) else f"{self.name} [{names}]"
        return compose(
            name,
            _SKELETON,
            {
                **self._slots,
                "filters": filters or "true",
                "ranked": [fragment for slot, fragment in held if slot == "ranked"],
            },
        )

    def statement(self, values: Mapping[str, Any]) -> Statement:
        """The variant for these bound values: the optional fragments one of whose parameters
        holds a value, and the filters that declare none."""
        kept = tuple(
            i
            for i, (_, fragment) in enumerate(self._optional)
            if not fragment.types or any(_holds(values.get(p)) for p in fragment.types)
        )
        return self._variant(kept)


ANNOTATION_LIST = Listing("annotation_list", ("images",), materialized=False)
ANNOTATION_LIST_BBOX = Listing("annotation_list_bbox", ("window",), materialized=True)
ANNOTATION_LIST_BBOX_VIEWER = Listing(
    "annotation_list_bbox_viewer", ("window",), materialized=True, viewer_groups=True
)
ANNOTATION_LIST_BY_TERM = Listing(
    "annotation_list_by_term", ("terms", "images"), materialized=False, replaces=("terms",)
)
LISTINGS = (
    ANNOTATION_LIST,
    ANNOTATION_LIST_BBOX,
    ANNOTATION_LIST_BBOX_VIEWER,
    ANNOTATION_LIST_BY_TERM,
)
STATEMENTS = tuple(shape.full for shape in LISTINGS)
"""Each shape with every filter: its longest text."""
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
    "LISTINGS",
    "STATEMENTS",
    "VARIANTS_KEPT",
    "VIEWER_GROUPS",
    "Listing",
]
