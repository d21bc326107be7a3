"""The annotation listing's request parameters read into an ``AnnotationQuery``.

Parameters come from the query string and, for search, a JSON body (numbers, booleans, lists
or comma-joined strings). The id, id-list and flag filters are read as the ``wire`` metadata
of their ``AnnotationQuery`` field says, so a new filter is declared once, on its field.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any, get_args, get_type_hints

import msgspec

import spatial
from contracts.errors import Invalid
from server.db.store.annotation_listing import DEFAULT_GROUPS, GROUPS, AnnotationQuery
from server.params import as_id, flag
from server.params import ids as id_values

# show<Suffix>/hide<Suffix> -> group (showLink is the "group" group, as in Cytomine).
_FLAG_GROUP = {name.lower(): name for name in GROUPS if name != "group"} | {"link": "group"}


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


@functools.cache
def wired(into: type[AnnotationQuery]) -> dict[str, tuple[type[Any], tuple[str, ...]]]:
    """The filter fields of a query type: field name -> (value type, parameter names)."""
    found = {}
    for name, hint in get_type_hints(into, include_extras=True).items():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, msgspec.Meta) and meta.extra and "wire" in meta.extra:
                kind = get_args(hint)[0]
                if kind not in (list[int] | None, int | None, bool):
                    raise TypeError(f"{name}: a wired filter is ids, an id or a flag, not {kind}")
                found[name] = (kind, meta.extra["wire"])
    return found


def _filters(params: dict[str, Any], into: type[AnnotationQuery]) -> dict[str, Any]:
    """The id-list, id and boolean filters, each read as its field's type says."""
    found: dict[str, Any] = {}
    for field, (kind, names) in wired(into).items():
        if kind == list[int] | None:
            found[field] = _ids(params, *names)
        elif kind == int | None:
            found[field] = _one(params, _given(params, names))
        else:
            found[field] = _flag(params, _given(params, names))
    return found


def _given(params: dict[str, Any], names: tuple[str, ...]) -> str:
    """The first of ``names`` the request gives a value under (else the first name)."""
    return next((name for name in names if params.get(name) not in (None, "")), names[0])


def _slice_order(params: dict[str, Any], filters: dict[str, Any]) -> dict[str, Any]:
    """beforeSlice/afterSlice, read only with a track filter (Cytomine ignores them otherwise)."""
    if filters["tracks"] is None:
        return {}
    return {"before_slice": _one(params, "beforeSlice"), "after_slice": _one(params, "afterSlice")}


def parse_query(
    params: dict[str, Any], into: type[AnnotationQuery] = AnnotationQuery
) -> AnnotationQuery:
    """Validate the listing parameters (query string merged with a JSON body).

    ``into``: the query type to build, ``AnnotationQuery`` or a subclass declaring more
    wired filters (read like the others, with no code here).
    """
    bbox = params.get("bbox")
    base_geometry, base_annotation, max_distance = _base(params)
    filters = _filters(params, into)
    return into(
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


__all__ = ["hidden_keys", "parse_query", "shown_groups", "wired"]
