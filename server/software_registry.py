"""Register a software from its descriptor, as the official client's descriptor reader does.

The software is found by name and version, or created; each input becomes a parameter
(updated when one of that name exists, created otherwise); with ``delete_missing`` the
parameters the descriptor no longer declares are deleted. Everything happens in one
transaction: a bad input leaves nothing half-registered.
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from server.db import queries as q
from server.db.listing import ListParams
from server.db.store import software, software_parameters
from server.descriptors import Descriptor
from server.principal import Principal


class Registered(msgspec.Struct, frozen=True, kw_only=True):
    """What registering a descriptor did."""

    software: c.Software
    created: bool
    added: list[str]
    updated: list[str]
    deleted: list[str]


async def _existing(conn: asyncpg.Connection, d: Descriptor) -> int | None:
    """The id of the software with the descriptor's name and version, if any."""
    wanted = (d.software.name, d.software.software_version)
    listed = await software.list_all(conn, ListParams(sort="id", order="asc"))
    for item in listed.collection:
        if (item.name, item.software_version or None) == wanted:
            return item.id
    return None


async def register(
    conn: asyncpg.Connection, me: Principal, d: Descriptor, *, delete_missing: bool = False
) -> Registered:
    """Create or update the descriptor's software and its parameters."""
    async with conn.transaction():
        software_id = await _existing(conn, d)
        created = software_id is None
        if software_id is None:
            obj, _ = await software.create(conn, me, d.software, d.raw)
            software_id = obj.id
        else:
            await software.update(conn, me, software_id, d.software)
            raw = msgspec.json.encode(d.raw).decode()
            await conn.execute(q.SOFTWARE_SET_DESCRIPTOR, software_id, raw)
        present = await software_parameters.list_by_software(
            conn, me, software_id, ListParams(), with_set_by_server=True
        )
        by_name = {p.name: p.id for p in present.collection}
        added: list[str] = []
        updated: list[str] = []
        for body in d.parameters:
            body = msgspec.structs.replace(body, software=software_id)
            name = body.name or ""
            if name in by_name:
                await software_parameters.update(conn, me, by_name[name], body)
                updated.append(name)
            else:
                await software_parameters.create(conn, me, body)
                added.append(name)
        deleted: list[str] = []
        declared = {p.name for p in d.parameters}
        if delete_missing:
            for name, parameter_id in by_name.items():
                if name not in declared:
                    await software_parameters.delete(conn, me, parameter_id)
                    deleted.append(name)
        final = await software.get(conn, me, software_id)
    return Registered(
        software=final, created=created, added=added, updated=updated, deleted=deleted
    )


__all__ = ["Registered", "register"]
