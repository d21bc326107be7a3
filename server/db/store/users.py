"""Accounts as the API shows them: listing, profile edits, lock, password, deletion."""

from __future__ import annotations

import asyncpg
import msgspec

import contracts._generated as c
from contracts.envelopes import CurrentUser, Page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.credentials_channel import announce
from server.db.listing import ListParams, fetch_page
from server.db.store import commands
from server.db.store.accounts import create_account
from server.passwords import hash_password, verify_password
from server.principal import Principal


def ascending_by_default(params: ListParams) -> ListParams:
    """Cytomine sorts users by username, ascending, unless told otherwise."""
    return msgspec.structs.replace(
        params, sort=params.sort or "username", order=params.order or "asc"
    )


def require_admin(me: Principal) -> None:
    """Refuse callers without admin rights in force."""
    if not me.is_admin:
        raise Forbidden("You must be an administrator to do this")


def require_self_or_admin(me: Principal, user_id: int) -> None:
    """Refuse changes to another account unless the caller is an admin (guests never write)."""
    if me.is_guest or (me.id != user_id and not me.is_admin):
        raise Forbidden(f"You cannot change user {user_id}")


async def current(conn: asyncpg.Connection, me: Principal) -> CurrentUser:
    """The caller's own account, with keys and role flags."""
    text = await conn.fetchval(q.USER_CURRENT, me.id)
    if text is None:
        raise NotFound("User", me.id)
    return rows.one(text, CurrentUser)


async def list_users(
    conn: asyncpg.Connection, me: Principal, params: ListParams, *, with_roles: bool
) -> Page[c.User]:
    """Every account; others' e-mail only for admins; ``role`` with ``with_roles``."""
    return await fetch_page(
        conn,
        q.USER_LIST_VISIBLE,
        ascending_by_default(params),
        c.User,
        me.id,
        me.is_admin,
        with_roles,
    )


async def by_public_key(conn: asyncpg.Connection, me: Principal, public_key: str) -> c.User:
    """The account owning an API key."""
    text = await conn.fetchval(q.USER_BY_PUBLIC_KEY, public_key, me.id, me.is_admin)
    if text is None:
        raise NotFound("User", public_key)
    return rows.one(text, c.User)


async def get(conn: asyncpg.Connection, me: Principal, user_id: int) -> c.User:
    """One account as the caller may see it."""
    text = await conn.fetchval(q.USER_BY_ID, user_id, me.id, me.is_admin)
    if text is None:
        raise NotFound("User", user_id)
    return rows.one(text, c.User)


async def get_by_username(conn: asyncpg.Connection, me: Principal, username: str) -> c.User:
    """One account by user name, as the caller may see it."""
    text = await conn.fetchval(q.USER_BY_USERNAME, username, me.id, me.is_admin)
    if text is None:
        raise NotFound("User", username)
    return rows.one(text, c.User)


async def create(conn: asyncpg.Connection, me: Principal, body: c.UserInput) -> tuple[c.User, int]:
    """Create an account (admin) with its default storage; returns it and the command id."""
    require_admin(me)
    if not body.username or not body.username.strip():
        raise Invalid("Missing required field(s): username", {"missing": ["username"]})
    async with conn.transaction():
        account = await create_account(
            conn,
            username=body.username,
            password=body.password,
            firstname=body.firstname,
            lastname=body.lastname,
            email=body.email,
            language=body.language,
            creator_id=me.id,
            origin="ADMINISTRATOR",
        )
        if (body.is_developer, body.enabled, body.color) != (None, None, None):
            await _apply_profile(conn, account.id, body, keep_username=True)
        user = await get(conn, me, account.id)
        command = await commands.record(conn, user_id=me.id, action="ADD", obj=user)
        await announce(conn)
    return user, command


async def update(
    conn: asyncpg.Connection, me: Principal, user_id: int, body: c.UserInput
) -> tuple[c.User, int]:
    """Edit a profile (self or admin); ``password`` in the body changes it too."""
    await get(conn, me, user_id)
    require_self_or_admin(me, user_id)
    if not me.is_admin:
        body = msgspec.structs.replace(body, enabled=None)
    async with conn.transaction():
        await _apply_profile(conn, user_id, body, keep_username=False)
        if body.password:
            await conn.execute(q.USER_SET_PASSWORD, user_id, hash_password(body.password))
        user = await get(conn, me, user_id)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=user)
        await announce(conn)
    return user, command


async def _apply_profile(
    conn: asyncpg.Connection, user_id: int, body: c.UserInput, *, keep_username: bool
) -> None:
    username = None if keep_username or body.username is None else body.username.strip()
    if username == "":
        raise Invalid("username must not be empty")
    try:
        await conn.execute(
            q.USER_UPDATE,
            user_id,
            username,
            body.firstname,
            body.lastname,
            body.email,
            body.language,
            body.is_developer,
            body.enabled,
            body.color,
        )
    except asyncpg.UniqueViolationError as exc:
        raise Conflict(f"User {username} already exists") from exc


async def delete(conn: asyncpg.Connection, me: Principal, user_id: int) -> tuple[c.User, int]:
    """Delete an account (admin, never oneself) and the storages it owns."""
    user = await get(conn, me, user_id)
    require_admin(me)
    if user_id == me.id:
        raise Forbidden("You cannot delete your own account")
    async with conn.transaction():
        try:
            await commands.cascade(conn, await conn.fetchrow(q.STORAGE_DELETE_BY_OWNER, user_id))
            await commands.delete_row(conn, q.USER_DELETE, user_id, kind="User")
        except asyncpg.ForeignKeyViolationError as exc:
            raise Invalid(f"User {user_id} still owns data and cannot be deleted") from exc
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=user)
        await announce(conn)
    return user, command


async def set_enabled(
    conn: asyncpg.Connection, me: Principal, user_id: int, *, enabled: bool
) -> tuple[c.User, int]:
    """Lock (``enabled=False``) or unlock an account (admin)."""
    user = await get(conn, me, user_id)
    require_admin(me)
    if user.enabled == enabled:
        raise Invalid(f"User already {'unlocked' if enabled else 'locked'} !")
    async with conn.transaction():
        await conn.execute(q.USER_SET_ENABLED, user_id, enabled)
        user = await get(conn, me, user_id)
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=user)
        await announce(conn)
    return user, command


async def set_password(
    conn: asyncpg.Connection, me: Principal, user_id: int, password: str | None
) -> tuple[c.User, int]:
    """Change a password (self or admin); the old one is not asked, as in Cytomine."""
    user = await get(conn, me, user_id)
    require_self_or_admin(me, user_id)
    if not password:
        raise Invalid("password must not be empty")
    async with conn.transaction():
        await conn.execute(q.USER_SET_PASSWORD, user_id, hash_password(password))
        command = await commands.record(conn, user_id=me.id, action="EDIT", obj=user)
    return user, command


async def password_matches(conn: asyncpg.Connection, me: Principal, password: str) -> bool:
    """Whether ``password`` is the caller's password."""
    row = await conn.fetchrow(q.ACCOUNT_BY_USERNAME, me.username)
    return row is not None and verify_password(row["password_hash"], password)


async def friends(
    conn: asyncpg.Connection,
    me: Principal,
    user_id: int,
    project_id: int | None,
    params: ListParams,
) -> Page[c.User]:
    """Users sharing a project with ``user_id`` (self or admin), optionally one project."""
    await get(conn, me, user_id)
    if me.id != user_id and not me.is_admin:
        raise Forbidden(f"You cannot list the contacts of user {user_id}")
    if project_id is not None:
        is_member = await conn.fetchval(q.USER_PROJECT_ACCESS, project_id, me.id)
        if is_member is None:
            raise NotFound("Project", project_id)
        if not is_member and not me.is_admin:
            raise Forbidden(f"You don't have the right to read project {project_id}")
    return await fetch_page(
        conn,
        q.USER_FRIENDS,
        ascending_by_default(params),
        c.User,
        user_id,
        project_id,
        me.id,
        me.is_admin,
    )


__all__ = [
    "by_public_key",
    "create",
    "current",
    "delete",
    "friends",
    "get",
    "get_by_username",
    "list_users",
    "password_matches",
    "require_admin",
    "set_enabled",
    "set_password",
    "update",
]
