"""Project permissions: what the caller may do in a project, from one SQL statement.

Cytomine semantics: admins (admin session open) read and change everything; members read;
managers administer; read-only projects let only managers write; in restricted projects
contributors only edit their own data; guests only read. Other resources (images,
annotations...) reuse ``project_access`` and the ``require_*`` checks::

    access = await acl.project_access(conn, me, project_id)
    access.require_write()
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts.errors import Forbidden, NotFound
from server.db import queries as q
from server.principal import Principal


class ProjectAccess(msgspec.Struct, frozen=True, kw_only=True):
    """The caller's rights in one project, and the project flags that shape them."""

    project_id: int
    user_id: int
    is_member: bool
    is_manager: bool
    can_read: bool
    can_write: bool
    can_manage: bool
    is_read_only: bool
    is_restricted: bool
    blind_mode: bool
    hide_users_layers: bool
    hide_admins_layers: bool
    ontology_id: int | None

    def require_read(self) -> ProjectAccess:
        """Refuse callers that cannot see the project."""
        if not self.can_read:
            raise Forbidden(f"You don't have the right to read or modify project {self.project_id}")
        return self

    def require_write(self) -> ProjectAccess:
        """Refuse callers that cannot add or change data in the project."""
        self.require_read()
        if not self.can_write:
            raise Forbidden(f"You don't have the right to write in project {self.project_id}")
        return self

    def require_manage(self) -> ProjectAccess:
        """Refuse callers that cannot administer the project (settings, members)."""
        self.require_read()
        if not self.can_manage:
            raise Forbidden(f"You must be a manager of project {self.project_id}")
        return self

    def may_edit(self, owner_id: int | None) -> bool:
        """Whether the caller may change an object of ``owner_id`` in this project."""
        if self.can_manage:
            return True
        return self.can_write and (not self.is_restricted or owner_id == self.user_id)

    def require_edit(self, owner_id: int | None) -> ProjectAccess:
        """Refuse changes to someone else's data where the project does not allow them."""
        self.require_write()
        if not self.may_edit(owner_id):
            raise Forbidden(f"Project {self.project_id} is restricted: edit only your own data")
        return self


async def project_access(conn: asyncpg.Connection, me: Principal, project_id: int) -> ProjectAccess:
    """The caller's rights in ``project_id``; NotFound when the project does not exist."""
    row = await conn.fetchrow(q.PROJECT_ACCESS, project_id, me.id, me.is_admin, me.is_guest)
    if row is None:
        raise NotFound("Project", project_id)
    return ProjectAccess(user_id=me.id, **dict(row))


async def readable(conn: asyncpg.Connection, me: Principal, project_id: int) -> ProjectAccess:
    """``project_access`` that refuses callers who cannot read."""
    return (await project_access(conn, me, project_id)).require_read()


async def writable(conn: asyncpg.Connection, me: Principal, project_id: int) -> ProjectAccess:
    """``project_access`` that refuses callers who cannot write."""
    return (await project_access(conn, me, project_id)).require_write()


async def manageable(conn: asyncpg.Connection, me: Principal, project_id: int) -> ProjectAccess:
    """``project_access`` that refuses callers who cannot administer."""
    return (await project_access(conn, me, project_id)).require_manage()


__all__ = ["ProjectAccess", "manageable", "project_access", "readable", "writable"]
