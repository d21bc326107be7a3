"""Projects: create, read, update, delete and the project lists."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Conflict, Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, commands, project_members
from server.principal import Principal


class ProjectBody(c.ProjectInput, kw_only=True):
    """A project create/update body: the settings plus the optional member lists.

    An absent ``ontology`` keeps the current one on update; ``null`` removes it.
    Member lists replace the current ones only when present (Cytomine semantics).
    """

    # Widened on purpose: absent (keep) and null (detach) mean different things on update.
    ontology: int | None | UnsetType = UNSET  # type: ignore[assignment]
    users: list[int] | None | UnsetType = UNSET
    admins: list[int] | None | UnsetType = UNSET
    representatives: list[int] | None | UnsetType = UNSET


class CurrentUserRoles(msgspec.Struct, kw_only=True):
    """``currentUserRoles`` of a project list row."""

    admin: bool
    representative: bool


class ProjectRow(c.Project, kw_only=True):
    """A project list row: the project plus the extras the query asked for."""

    members_count: int | UnsetType = msgspec.field(default=UNSET, name="membersCount")
    last_activity: str | None | UnsetType = msgspec.field(default=UNSET, name="lastActivity")
    description: str | UnsetType = UNSET
    current_user_roles: CurrentUserRoles | UnsetType = msgspec.field(
        default=UNSET, name="currentUserRoles"
    )
    # Only filtered and sorted on (``currentUserRole[in]=manager``); never in the answer.
    current_user_role: str | UnsetType = msgspec.field(default=UNSET, name="currentUserRole")


class ListExtras(msgspec.Struct, frozen=True, kw_only=True):
    """Which extra fields a project list adds."""

    members_count: bool = False
    last_activity: bool = False
    description: bool = False
    current_user_roles: bool = False


def given(value: Any) -> Any:
    """``None`` for an absent or null body field, else the value."""
    return None if value is UNSET else value


async def fetch(
    conn: asyncpg.Connection, project_id: int, viewer: Principal | None = None
) -> c.Project:
    """The project as the API shows it, without permission checks; its annotation count is
    the one ``viewer`` sees (the stored total without a viewer)."""
    viewer_id, is_admin = (viewer.id, viewer.is_admin) if viewer is not None else (None, False)
    text = await conn.fetchval(q.PROJECT_GET, project_id, viewer_id, is_admin)
    if text is None:
        raise NotFound("Project", project_id)
    return rows.one(text, c.Project)


async def get(conn: asyncpg.Connection, me: Principal, project_id: int) -> c.Project:
    """One project the caller may read."""
    await acl.readable(conn, me, project_id)
    return await fetch(conn, project_id, me)


async def _check_ontology(conn: asyncpg.Connection, me: Principal, ontology_id: int) -> None:
    readable = await conn.fetchval(q.PROJECT_ONTOLOGY_ACCESS, ontology_id, me.id, me.is_admin)
    if readable is None:
        raise NotFound("Ontology", ontology_id)
    if not readable:
        raise Forbidden(f"You don't have the right to read ontology {ontology_id}")


def _flags(body: ProjectBody) -> tuple[bool | None, ...]:
    return (
        body.blind_mode,
        body.is_read_only,
        body.is_restricted,
        body.hide_users_layers,
        body.hide_admins_layers,
        body.are_images_downloadable,
        body.is_closed,
    )


async def create(
    conn: asyncpg.Connection, me: Principal, body: ProjectBody
) -> tuple[c.Project, int]:
    """Create a project; the caller becomes its manager and representative."""
    if me.is_guest:
        raise Forbidden("Guests cannot create projects")
    name = (body.name or "").strip()
    if not name:
        raise Invalid("Project name must not be empty")
    ontology = given(body.ontology)
    async with conn.transaction():
        if ontology is not None:
            await _check_ontology(conn, me, ontology)
        try:
            project_id = await conn.fetchval(q.PROJECT_INSERT, name, ontology, me.id, *_flags(body))
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Project {name} already exist!") from exc
        await project_members.add_initial(
            conn, me, project_id, given(body.users) or [], given(body.admins) or []
        )
        project = await fetch(conn, project_id)
        command = await commands.record(
            conn, user_id=me.id, action="ADD", obj=project, project_id=project_id
        )
    return project, command


async def update(
    conn: asyncpg.Connection, me: Principal, project_id: int, body: ProjectBody
) -> tuple[c.Project, int]:
    """Change a project's settings (managers); member lists in the body replace the current."""
    async with conn.transaction():
        access = await acl.manageable(conn, me, project_id)
        ontology = given(body.ontology)
        if ontology is not None and ontology != access.ontology_id:
            await _check_ontology(conn, me, ontology)
        name = body.name.strip() if body.name is not None else None
        if name == "":
            raise Invalid("Project name must not be empty")
        try:
            await conn.fetchval(
                q.PROJECT_UPDATE,
                project_id,
                name,
                body.ontology is not UNSET,
                ontology,
                *_flags(body),
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict(f"Project {name} already exist!") from exc
        await project_members.replace_lists(
            conn,
            me,
            project_id,
            users=given(body.users),
            admins=given(body.admins),
            representatives=given(body.representatives),
        )
        project = await fetch(conn, project_id)
        command = await commands.record(
            conn, user_id=me.id, action="EDIT", obj=project, project_id=project_id
        )
    return project, command


async def delete(conn: asyncpg.Connection, me: Principal, project_id: int) -> tuple[c.Project, int]:
    """Delete a project and its content (managers)."""
    async with conn.transaction():
        await acl.manageable(conn, me, project_id)
        project = await fetch(conn, project_id)
        await commands.delete_row(conn, q.PROJECT_DELETE, project_id, kind="Project")
        # The project row is gone, so the command keeps no project link.
        command = await commands.record(conn, user_id=me.id, action="DELETE", obj=project)
    return project, command


async def list_page(
    conn: asyncpg.Connection,
    me: Principal,
    params: ListParams,
    extras: ListExtras,
    *,
    member_id: int | None = None,
    ontology_id: int | None = None,
) -> Page[ProjectRow]:
    """Projects the caller sees (all of them while an admin), optionally narrowed."""
    if params.sort == "lastActivity" and not extras.last_activity:
        raise Invalid("Cannot sort on lastActivity without argument withLastActivity")
    if params.sort == "membersCount" and not extras.members_count:
        raise Invalid("Cannot sort on membersCount without argument withMembersCount")
    return await fetch_page(
        conn,
        q.PROJECT_LIST,
        params,
        ProjectRow,
        member_id,
        me.id,
        me.is_admin,
        extras.members_count,
        extras.last_activity,
        extras.description,
        extras.current_user_roles,
        ontology_id,
    )


async def bounds(conn: asyncpg.Connection, me: Principal, with_members_count: bool) -> msgspec.Raw:
    """Min/max of project fields over the visible projects."""
    text = await conn.fetchval(q.PROJECT_BOUNDS, me.id, me.is_admin, with_members_count)
    return msgspec.Raw(text.encode())


class OpenedProject(msgspec.Struct, kw_only=True):
    """A row of the last-opened list."""

    id: int
    date: str | None
    opened: bool


async def last_opened(
    conn: asyncpg.Connection, me: Principal, params: ListParams
) -> Page[OpenedProject]:
    """Projects the caller opened last (padded with the newest ones; 5 by default)."""
    limit = params.max or 5
    text = await conn.fetchval(q.PROJECT_LAST_OPENED, me.id, me.is_admin, limit)
    items = rows.many(text, OpenedProject)
    return page(items, size=len(items), offset=0, max_=0)


class NamedProject(msgspec.Struct, kw_only=True):
    """A row of the light project lists."""

    id: int
    name: str


async def light_by_user(
    conn: asyncpg.Connection, me: Principal, user_id: int, role: str, params: ListParams
) -> Page[NamedProject]:
    """Compact list of a user's projects; only that user or an admin may ask."""
    if not await conn.fetchval(q.PROJECT_MEMBER_USER_EXISTS, user_id):
        raise NotFound("User", user_id)
    if user_id != me.id and not me.is_admin:
        raise Forbidden(
            "You don't have the right to read this resource! You must be the same user!"
        )
    items = rows.many(
        await conn.fetchval(q.PROJECT_LIST_LIGHT_BY_USER, user_id, role), NamedProject
    )
    return project_members.slice_page(items, params)


__all__ = [
    "ListExtras",
    "NamedProject",
    "OpenedProject",
    "ProjectBody",
    "ProjectRow",
    "bounds",
    "create",
    "delete",
    "fetch",
    "get",
    "given",
    "last_opened",
    "light_by_user",
    "list_page",
    "update",
]
