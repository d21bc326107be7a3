"""Software parameters: the inputs a software declares, templates of its jobs' parameters.

Any caller reads one parameter or a software's parameters; the full list is for admins, as
in Cytomine. Declaring, changing and deleting follow the software's editors (its creator
or an admin): the value keys and flags shape the command line the server runs.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import software
from server.db.store.commands import delete_row, record
from server.principal import Principal

TYPES = ("String", "Boolean", "Number", "Date", "List", "ListDomain", "Domain")


Scalar = str | bool | int | float


class ParameterBody(c.SoftwareParameterInput, kw_only=True):
    """A parameter body. Clients of the 2.x line send the default as ``defaultValue``, and
    as the JSON value they hold (a number, a boolean): it is stored as text."""

    default_param_value: Scalar | None = msgspec.field(  # type: ignore[assignment]
        default=None, name="defaultParamValue"
    )
    default_value: Scalar | None = msgspec.field(default=None, name="defaultValue")


def as_text(value: Scalar | None) -> str | None:
    """A default as Cytomine stores it (booleans as ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


async def list_all(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[c.SoftwareParameter]:
    """Every parameter of every software (admins)."""
    if not me.is_admin:
        raise Forbidden("Only an admin may list every software parameter")
    return await fetch_page(
        conn, q.SOFTWARE_PARAMETER_LIST, params, c.SoftwareParameter, default_sort="id"
    )


async def list_by_software(
    conn: asyncpg.Connection,
    me: Principal,
    software_id: int,
    params: ListParams,
    *,
    with_set_by_server: bool = False,
) -> Page[c.SoftwareParameter]:
    """A software's parameters by index; those the server fills only when asked."""
    await software.find(conn, me, software_id)
    if params.sort is None:
        params = msgspec.structs.replace(params, sort="index", order=params.order or "asc")
    return await fetch_page(
        conn,
        q.SOFTWARE_PARAMETER_LIST_BY_SOFTWARE,
        params,
        c.SoftwareParameter,
        software_id,
        with_set_by_server,
    )


async def _find(
    conn: asyncpg.Connection, me: Principal, parameter_id: int
) -> tuple[c.SoftwareParameter, bool]:
    row = await conn.fetchrow(q.SOFTWARE_PARAMETER_BY_ID, parameter_id, me.id, me.is_admin)
    if row is None:
        raise NotFound("SoftwareParameter", parameter_id)
    return rows.one(row["obj"], c.SoftwareParameter), bool(row["can_edit"])


async def get(conn: asyncpg.Connection, me: Principal, parameter_id: int) -> c.SoftwareParameter:
    """One software parameter."""
    return (await _find(conn, me, parameter_id))[0]


async def _editable(
    conn: asyncpg.Connection, me: Principal, parameter_id: int
) -> c.SoftwareParameter:
    obj, can_edit = await _find(conn, me, parameter_id)
    if not can_edit:
        raise Forbidden(
            f"Only the creator of software {obj.software} or an admin may change its parameters"
        )
    return obj


def _values(body: ParameterBody) -> list[Any]:
    """Stored columns after ``software_id``, checked and with Cytomine's defaults."""
    name = (body.name or "").strip()
    missing = [k for k, v in (("name", name), ("type", body.type)) if not v]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    if body.type not in TYPES:
        raise Invalid(f"type must be one of {', '.join(TYPES)}, not {body.type!r}", {"type": TYPES})
    default = as_text(body.default_value) or as_text(body.default_param_value)
    return [
        name,
        body.type,
        default,
        bool(body.required),
        body.index,
        body.uri,
        body.uri_print_attribut,
        body.uri_sort_attribut,
        bool(body.set_by_server),
        bool(body.server_parameter),
        body.human_name or name,
        body.value_key or f"[{name.upper()}]",
        body.command_line_flag,
    ]


def _conflict(name: str, software_id: int) -> Conflict:
    return Conflict(f"Parameter {name} already exist for software {software_id}")


async def create(
    conn: asyncpg.Connection, me: Principal, body: ParameterBody
) -> tuple[c.SoftwareParameter, int]:
    """Declare a parameter of a software the caller may change."""
    if body.software is None:
        raise Invalid("software not set", {"missing": ["software"]})
    values = _values(body)
    await software.editable(conn, me, body.software)
    async with conn.transaction():
        try:
            new_id = await conn.fetchval(q.SOFTWARE_PARAMETER_INSERT, body.software, *values)
        except asyncpg.UniqueViolationError as exc:
            raise _conflict(values[0], body.software) from exc
        obj = await get(conn, me, new_id)
        command = await record(conn, user_id=me.id, action="ADD", obj=obj)
    return obj, command


async def update(
    conn: asyncpg.Connection, me: Principal, parameter_id: int, body: ParameterBody
) -> tuple[c.SoftwareParameter, int]:
    """Change a parameter (the body carries the full object; its software stays)."""
    before = await _editable(conn, me, parameter_id)
    values = _values(body)
    async with conn.transaction():
        try:
            await conn.execute(q.SOFTWARE_PARAMETER_UPDATE, parameter_id, *values)
        except asyncpg.UniqueViolationError as exc:
            raise _conflict(values[0], before.software or 0) from exc
        obj = await get(conn, me, parameter_id)
        command = await record(conn, user_id=me.id, action="EDIT", obj=obj)
    return obj, command


async def delete(
    conn: asyncpg.Connection, me: Principal, parameter_id: int
) -> tuple[c.SoftwareParameter, int]:
    """Delete a parameter; answer it as it was."""
    obj = await _editable(conn, me, parameter_id)
    async with conn.transaction():
        await delete_row(conn, q.SOFTWARE_PARAMETER_DELETE, parameter_id, kind="SoftwareParameter")
        command = await record(conn, user_id=me.id, action="DELETE", obj=obj)
    return obj, command


__all__ = [
    "TYPES",
    "ParameterBody",
    "as_text",
    "create",
    "delete",
    "get",
    "list_all",
    "list_by_software",
]
