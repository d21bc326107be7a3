"""Application roles and the roles each user holds."""

from __future__ import annotations

import asyncpg
import msgspec

import contracts._generated as c
from contracts.envelopes import Page, page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import commands
from server.db.store.users import get as get_user
from server.db.store.users import require_admin
from server.principal import ADMIN, SUPER_ADMIN, Principal


def _by_id(params: ListParams) -> ListParams:
    return msgspec.structs.replace(params, sort=params.sort or "id", order=params.order or "asc")


async def list_roles(conn: asyncpg.Connection, params: ListParams) -> Page[c.SecRole]:
    """The four application roles."""
    return await fetch_page(conn, q.ROLE_LIST, _by_id(params), c.SecRole)


async def get_role(conn: asyncpg.Connection, role_id: int) -> c.SecRole:
    """One role."""
    text = await conn.fetchval(q.ROLE_BY_ID, role_id)
    if text is None:
        raise NotFound("SecRole", role_id)
    return rows.one(text, c.SecRole)


async def _role_rank(conn: asyncpg.Connection, role_id: int) -> int:
    rank = await conn.fetchval(q.ROLE_RANK_BY_ID, role_id)
    if rank is None:
        raise NotFound("SecRole", role_id)
    return int(rank)


async def user_roles(
    conn: asyncpg.Connection, me: Principal, user_id: int, params: ListParams
) -> Page[c.SecUserSecRole]:
    """The role links of a user."""
    await get_user(conn, me, user_id)
    return await fetch_page(conn, q.USER_ROLE_LIST, _by_id(params), c.SecUserSecRole, user_id)


async def highest(conn: asyncpg.Connection, me: Principal, user_id: int) -> Page[c.SecRole]:
    """The highest role of a user, as a one-item list of roles (as Cytomine answers)."""
    await get_user(conn, me, user_id)
    text = await conn.fetchval(q.USER_ROLE_HIGHEST, user_id)
    items = [] if text is None else [rows.one(text, c.SecRole)]
    return page(items, size=len(items), offset=0, max_=0)


async def get_link(
    conn: asyncpg.Connection, me: Principal, user_id: int, role_id: int
) -> c.SecUserSecRole:
    """One user-role link."""
    await get_user(conn, me, user_id)
    await _role_rank(conn, role_id)
    text = await conn.fetchval(q.USER_ROLE_BY_IDS, user_id, role_id)
    if text is None:
        raise NotFound("SecUserSecRole", f"user={user_id}, role={role_id}")
    return rows.one(text, c.SecUserSecRole)


async def _check_grant(
    conn: asyncpg.Connection, me: Principal, user_id: int, role_rank: int
) -> None:
    """Admins change roles; only super admins touch ROLE_SUPER_ADMIN or super admins."""
    require_admin(me)
    target_rank = await conn.fetchval(q.USER_RANK_BY_ID, user_id)
    if (role_rank >= SUPER_ADMIN or (target_rank or 0) >= SUPER_ADMIN) and not me.is_super_admin:
        raise Forbidden("Only a super administrator may change super administrator roles")


async def add_link(
    conn: asyncpg.Connection, me: Principal, user_id: int, body: c.SecUserSecRoleInput
) -> tuple[c.SecUserSecRole, int]:
    """Give a role to a user (path user wins over body user)."""
    if body.role is None:
        raise Invalid("Missing required field(s): role", {"missing": ["role"]})
    await get_user(conn, me, user_id)
    rank = await _role_rank(conn, body.role)
    await _check_grant(conn, me, user_id, rank)
    async with conn.transaction():
        try:
            await conn.execute(q.USER_ROLE_INSERT, user_id, body.role)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"User {user_id} has already role {body.role}") from exc
        link = await get_link(conn, me, user_id, body.role)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=link)
    return link, command


async def delete_link(
    conn: asyncpg.Connection, me: Principal, user_id: int, role_id: int
) -> tuple[c.SecUserSecRole, int]:
    """Remove a role from a user; nobody removes their own roles but ROLE_SUPER_ADMIN."""
    link = await get_link(conn, me, user_id, role_id)
    rank = await _role_rank(conn, role_id)
    await _check_grant(conn, me, user_id, rank)
    if user_id == me.id and rank != SUPER_ADMIN:
        raise Forbidden("You cannot remove a role from yourself")
    async with conn.transaction():
        await commands.delete_row(conn, q.USER_ROLE_DELETE, user_id, role_id, kind="SecUserSecRole")
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=link)
    return link, command


async def define(
    conn: asyncpg.Connection, me: Principal, user_id: int, role_id: int
) -> Page[c.SecRole]:
    """Make a user hold exactly ``role_id`` and the roles below it; answers the roles held."""
    await get_user(conn, me, user_id)
    rank = await _role_rank(conn, role_id)
    await _check_grant(conn, me, user_id, rank)
    if user_id == me.id and rank < ADMIN:
        raise Forbidden("You cannot remove a role from yourself")
    async with conn.transaction():
        await conn.execute(q.USER_ROLE_DEFINE, user_id, rank)
        items = rows.many(await conn.fetchval(q.USER_ROLE_ROLES, user_id), c.SecRole)
    return page(items, size=len(items), offset=0, max_=0)


__all__ = [
    "add_link",
    "define",
    "delete_link",
    "get_link",
    "get_role",
    "highest",
    "list_roles",
    "user_roles",
]
