"""List endpoints: paging, ``sort``/``order`` and generic ``field[op]=value`` filters in SQL.

Every list statement has the same static shape, so the text never varies per request and
all user input is bound as values. Parameters ``$1``..``$6`` are fixed, the endpoint's own
parameters follow from ``$7``::

    -- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
    -- $5 limit bigint (NULL = all), $6 offset bigint, $7 ... endpoint parameters
    -- -> size bigint, items text (JSON array of wire objects)
    SELECT size, items
    FROM api_page(
        ARRAY(
            SELECT to_jsonb(v)
            FROM api_project AS v
            WHERE <endpoint conditions and ACL, using $7...>
        ),
        $1::jsonpath, $2::jsonb, $3, $4, $5, $6
    )

``api_page`` (``repeatable/0180_api_page.sql``) filters the documents, counts them and
returns the requested slice ordered by the sort key's jsonb value, NULLs last, then id
descending; an optional eighth argument names keys that exist only to filter and sort on
and are removed from the answer (``ARRAY['currentUserRole']``).

Filters become a SQL/JSON path over the wire object, e.g. ``name[ilike]=acc`` ->
``$ ? (@."name" like_regex "acc" flag "i")``: field names are checked against the
contract type, values travel in ``$2``. jsonb ordering sorts numbers numerically and
strings lexically (dates are 13-digit epoch strings, so they sort correctly too).
Use it for the small domains (users, projects, ontologies...), not for annotations.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, get_args

import asyncpg
import msgspec

from contracts.envelopes import Page, page
from contracts.errors import Invalid
from server.db import rows

T = TypeVar("T")

OPERATORS = ("equals", "nequals", "like", "ilike", "lte", "gte", "in")
_COMPARE = {"equals": "==", "nequals": "!=", "lte": "<=", "gte": ">="}


class ListParams(msgspec.Struct, frozen=True, kw_only=True):
    """What a list request asked for, before it is checked against a contract type."""

    max: int = 0
    offset: int = 0
    sort: str | None = None
    order: str | None = None
    filters: tuple[tuple[str, str, str], ...] = ()


class CompiledList(msgspec.Struct, frozen=True, kw_only=True):
    """The six leading bound values of a list statement."""

    path: str
    variables: str
    sort: str
    descending: bool
    limit: int | None
    offset: int

    def args(self) -> tuple[Any, ...]:
        """``$1``..``$6`` in order."""
        return (self.path, self.variables, self.sort, self.descending, self.limit, self.offset)


def _field_types(item_type: type[Any]) -> dict[str, Any]:
    return {f.encode_name: f.type for f in msgspec.structs.fields(item_type)}


def _base_kind(annotation: Any) -> type[Any]:
    for arg in get_args(annotation) or (annotation,):
        if arg in (int, float, bool, str):
            return arg  # type: ignore[no-any-return]
    return str


def _typed(value: str, kind: type[Any], field: str) -> Any:
    if kind is str:
        return value
    if kind is bool:
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise Invalid(f"{field} filter needs true or false, not {value!r}")
        return lowered == "true"
    try:
        return kind(value)
    except ValueError as exc:
        raise Invalid(f"{field} filter needs a number, not {value!r}") from exc


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _condition(field: str, op: str, value: str, kind: type[Any], variables: dict[str, Any]) -> str:
    target = f"@.{_quoted(field)}"
    if op in ("like", "ilike"):
        pattern = re.sub(r"([^A-Za-z0-9 ])", r"\\\1", value)
        flag = ' flag "i"' if op == "ilike" else ""
        return f"{target} like_regex {_quoted(pattern)}{flag}"
    names = []
    for item in value.split(",") if op == "in" else [value]:
        if op == "in" and item.strip() == "null" and kind is not str:
            # Cytomine reads ``field[in]=null,3`` as "no value, or 3".
            names.append(f"{target} == null")
            continue
        name = f"v{len(variables)}"
        variables[name] = _typed(item.strip() if op == "in" else item, kind, field)
        names.append(f"{target} == ${name}" if op == "in" else f"{target} {_COMPARE[op]} ${name}")
    return "(" + " || ".join(names) + ")"


def compile_list(
    params: ListParams, item_type: type[Any], *, default_sort: str = "created"
) -> CompiledList:
    """Check ``params`` against the wire fields of ``item_type`` and bind them."""
    fields = _field_types(item_type)
    variables: dict[str, Any] = {}
    conditions = []
    for field, op, value in params.filters:
        if field not in fields:
            raise Invalid(f"Unknown filter field {field!r}", {"fields": sorted(fields)})
        if op not in OPERATORS:
            raise Invalid(f"Unknown filter operator {op!r}", {"operators": list(OPERATORS)})
        conditions.append(_condition(field, op, value, _base_kind(fields[field]), variables))
    sort = params.sort or default_sort
    if sort not in fields:
        raise Invalid(f"Cannot sort on {sort!r}", {"fields": sorted(fields)})
    order = (params.order or "desc").lower()
    if order not in ("asc", "desc"):
        raise Invalid(f"order must be asc or desc, not {params.order!r}")
    path = "$ ? (" + " && ".join(conditions) + ")" if conditions else "$"
    return CompiledList(
        path=path,
        variables=msgspec.json.encode(variables).decode(),
        sort=sort,
        descending=order == "desc",
        limit=params.max or None,
        offset=params.offset,
    )


async def fetch_page(
    conn: asyncpg.Connection,
    sql: str,
    params: ListParams,
    item_type: type[T],
    *args: Any,
    default_sort: str = "created",
) -> Page[T]:
    """Run a list statement of the shape above and wrap its rows in Cytomine's envelope."""
    compiled = compile_list(params, item_type, default_sort=default_sort)
    row = await conn.fetchrow(sql, *compiled.args(), *args)
    assert row is not None
    items = rows.many(row["items"], item_type)
    return page(items, size=int(row["size"]), offset=params.offset, max_=params.max)


__all__ = [
    "OPERATORS",
    "CompiledList",
    "ListParams",
    "compile_list",
    "fetch_page",
]
