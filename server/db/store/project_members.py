"""Project membership: contributors, managers, member lists and their activity."""

from __future__ import annotations

import csv
import io
from typing import Literal, TypeVar

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl
from server.db.store.accounts import create_account
from server.principal import Principal

T = TypeVar("T")

UserKind = Literal["member", "admin", "representative", "creator", "layer", "online"]


class MemberUser(c.User, kw_only=True):
    """A user in a project listing; ``role`` is representative, manager or contributor."""

    # Only filtered on (``projectRole[in]=manager``); never in the answer.
    project_role: str | UnsetType = msgspec.field(default=UNSET, name="projectRole")


class MemberActivity(msgspec.Struct, kw_only=True):
    """A row of ``usersActivity``."""

    id: int
    username: str
    name: str | None
    full_name: str | None = msgspec.field(name="fullName")
    last_image_id: int | None = msgspec.field(name="lastImageId")
    last_image_name: str | None = msgspec.field(name="lastImageName")
    last_connection: str | None = msgspec.field(name="lastConnection")
    frequency: int


class ActivitySummary(msgspec.Struct, kw_only=True):
    """``resumeActivity``: one member's activity in a project."""

    first_connection: str | None = msgspec.field(name="firstConnection")
    last_connection: str | None = msgspec.field(name="lastConnection")
    total_annotations: int = msgspec.field(name="totalAnnotations")
    total_connections: int = msgspec.field(name="totalConnections")
    total_consultations: int = msgspec.field(name="totalConsultations")
    total_annotation_selections: int = msgspec.field(name="totalAnnotationSelections")


class Invitation(msgspec.Struct, kw_only=True):
    """Body of an invitation: the new account's user name, names and e-mail address."""

    name: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    mail: str | None = None


class OnlinePosition(msgspec.Struct, kw_only=True, rename="camel"):
    """A slice an online member looked at in the last 30 seconds."""

    id: int
    image: int
    slice: int
    filename: str | None
    original_filename: str | None
    date: str


class OnlineUser(msgspec.Struct, kw_only=True):
    """A member currently active in a project, with the images they look at."""

    id: int
    position: list[OnlinePosition]


def slice_page(items: list[T], params: ListParams) -> Page[T]:
    """One page of a short list computed in full."""
    end = params.offset + params.max if params.max else None
    return page(items[params.offset : end], size=len(items), offset=params.offset, max_=params.max)


async def require_user(conn: asyncpg.Connection, user_id: int) -> None:
    """NotFound unless the account exists."""
    if not await conn.fetchval(q.PROJECT_MEMBER_USER_EXISTS, user_id):
        raise NotFound("User", user_id)


async def existing_users(conn: asyncpg.Connection, user_ids: list[int]) -> set[int]:
    """Which of ``user_ids`` are accounts."""
    return {r["id"] for r in await conn.fetch(q.PROJECT_MEMBER_EXISTING_USERS, user_ids)}


async def ensure_representative(conn: asyncpg.Connection, me: Principal, project_id: int) -> None:
    """A project always has a representative: the caller steps in when none is left."""
    if await conn.fetchval(q.PROJECT_REPRESENTATIVE_COUNT, project_id):
        return
    await conn.execute(q.PROJECT_MEMBER_ADD, project_id, [me.id], True)
    await conn.fetchval(q.PROJECT_REPRESENTATIVE_INSERT, project_id, me.id)


async def add_initial(
    conn: asyncpg.Connection, me: Principal, project_id: int, users: list[int], admins: list[int]
) -> None:
    """Members of a new project: the creator manages and represents it (unknown ids skipped)."""
    await conn.execute(q.PROJECT_MEMBER_ADD, project_id, [me.id], True)
    await conn.execute(q.PROJECT_MEMBER_ADD, project_id, users, False)
    await conn.execute(q.PROJECT_MEMBER_ADD, project_id, admins, True)
    await conn.fetchval(q.PROJECT_REPRESENTATIVE_INSERT, project_id, me.id)


async def replace_lists(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    *,
    users: list[int] | None,
    admins: list[int] | None,
    representatives: list[int] | None,
) -> None:
    """Replace member, manager and representative lists given in an update (the editor stays)."""
    if users is not None:
        keep = list({*users, *(admins or []), me.id})
        await conn.execute(q.PROJECT_MEMBER_REMOVE_OTHERS, project_id, keep, admins is None)
        await conn.execute(q.PROJECT_MEMBER_ADD, project_id, keep, False)
    if admins is not None:
        managers = list({*admins, me.id})
        await conn.execute(q.PROJECT_MEMBER_ADD, project_id, managers, True)
        await conn.execute(q.PROJECT_MEMBER_MANAGERS_ONLY, project_id, managers)
    if representatives is not None:
        wanted = set(representatives)
        kept = await conn.fetch(q.PROJECT_REPRESENTATIVE_REPLACE, project_id, list(wanted))
        if len(kept) != len(wanted):
            raise Invalid(f"Every representative must be a member of project {project_id}")
    await ensure_representative(conn, me, project_id)


async def add(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_ids: list[int], *, manager: bool
) -> None:
    """Add accounts as contributors, or as managers (managers and admins only)."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        await conn.execute(q.PROJECT_MEMBER_ADD, project_id, user_ids, manager)


async def remove(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_ids: list[int]
) -> None:
    """Remove members (managers and admins; anyone may leave a project they read)."""
    async with conn.transaction():
        access = await acl.readable(conn, me, project_id)
        if set(user_ids) - {me.id}:
            access.require_manage()
        await conn.execute(q.PROJECT_MEMBER_REMOVE, project_id, user_ids)
        await ensure_representative(conn, me, project_id)


async def drop_manager(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int
) -> None:
    """Take the manager right back; the user stays a contributor."""
    async with conn.transaction():
        access = await acl.readable(conn, me, project_id)
        if user_id != me.id:
            access.require_manage()
        await conn.execute(q.PROJECT_MEMBER_SET_MANAGER, project_id, [user_id], False)


async def users(
    conn: asyncpg.Connection, me: Principal, project_id: int, kind: UserKind, params: ListParams
) -> Page[MemberUser]:
    """Users of a project of one kind (members, managers, creator, representatives, layers)."""
    access = await acl.readable(conn, me, project_id)
    all_layers = access.can_manage or not (access.hide_admins_layers or access.hide_users_layers)
    return await fetch_page(
        conn,
        q.PROJECT_USER_LIST,
        params,
        MemberUser,
        project_id,
        kind,
        me.id,
        all_layers,
        access.hide_admins_layers,
        access.hide_users_layers,
    )


async def activity(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[MemberActivity]:
    """Members with their last image, last connection and number of connections."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.PROJECT_USER_ACTIVITY, project_id)
    return slice_page(rows.many(text, MemberActivity), params)


async def online(
    conn: asyncpg.Connection, me: Principal, project_id: int, params: ListParams
) -> Page[OnlineUser]:
    """Members active in the project in the last 5 minutes, with what they look at."""
    await acl.readable(conn, me, project_id)
    text = await conn.fetchval(q.PROJECT_USER_ONLINE, project_id)
    return slice_page(rows.many(text, OnlineUser), params)


async def resume(
    conn: asyncpg.Connection, me: Principal, project_id: int, user_id: int
) -> ActivitySummary:
    """One member's activity summary; the member or a manager may ask."""
    await require_user(conn, user_id)
    access = await acl.readable(conn, me, project_id)
    if user_id != me.id and not access.can_manage:
        raise Forbidden(
            "You don't have the right to read this resource! You must be the same user!"
        )
    row = await conn.fetchrow(q.PROJECT_USER_RESUME, project_id, user_id)
    assert row is not None
    return ActivitySummary(**dict(row))


async def members_csv(conn: asyncpg.Connection, me: Principal, project_id: int) -> bytes:
    """The member list as CSV (username, name)."""
    await acl.readable(conn, me, project_id)
    members = rows.many(await conn.fetchval(q.PROJECT_USER_ACTIVITY, project_id), MemberActivity)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["username", "name"])
    for member in members:
        writer.writerow([member.username, member.full_name or member.name or ""])
    return out.getvalue().encode()


async def invite(
    conn: asyncpg.Connection, me: Principal, body: Invitation, project_id: int | None = None
) -> c.User:
    """Create an account for a new person (password chosen at first login), into a project."""
    if me.is_guest:
        raise Forbidden("Guests cannot invite users")
    if not (body.name or "").strip():
        raise Invalid("Missing required field(s): name", {"missing": ["name"]})
    async with conn.transaction():
        if project_id is not None:
            await acl.manageable(conn, me, project_id)
        account = await create_account(
            conn,
            username=body.name or "",
            firstname=body.firstname or "firstname",
            lastname=body.lastname or "lastname",
            email=body.mail,
            creator_id=me.id,
        )
        if project_id is not None:
            await conn.execute(q.PROJECT_MEMBER_ADD, project_id, [account.id], False)
        text = await conn.fetchval(q.PROJECT_INVITATION_USER, account.id)
    return rows.one(text, c.User)


__all__ = [
    "ActivitySummary",
    "Invitation",
    "MemberActivity",
    "MemberUser",
    "OnlinePosition",
    "OnlineUser",
    "UserKind",
    "activity",
    "add",
    "add_initial",
    "drop_manager",
    "ensure_representative",
    "invite",
    "existing_users",
    "members_csv",
    "online",
    "remove",
    "replace_lists",
    "require_user",
    "resume",
    "slice_page",
    "users",
]
