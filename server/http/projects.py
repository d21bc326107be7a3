"""Project service: ``/api/project…`` and the project lists of users and ontologies."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.replicas import REPLICA
from server.db.store import projects
from server.db.store.projects import (
    ListExtras,
    NamedProject,
    OpenedProject,
    ProjectBody,
    ProjectRow,
)
from server.http.common import envelope, required
from server.http.deps import Conn, Lists, Me
from server.params import flag


class ProjectController(Controller):
    """Projects: CRUD, the caller's project list, bounds and recently opened projects."""

    path = "/api"
    tags = ["Project"]

    @get("/project", opt=REPLICA)
    async def list_projects(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        with_members_count: Annotated[str | None, QueryParameter(name="withMembersCount")] = None,
        with_last_activity: Annotated[str | None, QueryParameter(name="withLastActivity")] = None,
        with_description: Annotated[str | None, QueryParameter(name="withDescription")] = None,
        with_current_user_roles: Annotated[
            str | None, QueryParameter(name="withCurrentUserRoles")
        ] = None,
    ) -> Page[ProjectRow]:
        """Projects the caller is member of (every project while an admin)."""
        extras = ListExtras(
            members_count=flag(with_members_count),
            last_activity=flag(with_last_activity),
            description=flag(with_description),
            current_user_roles=flag(with_current_user_roles),
        )
        return await projects.list_page(conn, me, list_params, extras)

    @post("/project", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[ProjectBody]) -> c.ProjectEnvelope:
        """Create a project; the caller manages it."""
        required(data)
        obj, command = await projects.create(conn, me, data)
        return envelope(c.ProjectEnvelope, obj, action="ADD", command=command)

    @get("/project/{project_id:int}", opt=REPLICA)
    async def show(self, conn: Conn, me: Me, project_id: FromPath[int]) -> c.Project:
        """One project."""
        return await projects.get(conn, me, project_id)

    @put("/project/{project_id:int}")
    async def update(
        self, conn: Conn, me: Me, project_id: FromPath[int], data: JSONBody[ProjectBody]
    ) -> c.ProjectEnvelope:
        """Change a project's settings and, when given, its member lists."""
        obj, command = await projects.update(conn, me, project_id, data)
        return envelope(c.ProjectEnvelope, obj, action="EDIT", command=command)

    @delete("/project/{project_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, project_id: FromPath[int]) -> c.ProjectEnvelope:
        """Delete a project and its content."""
        obj, command = await projects.delete(conn, me, project_id)
        return envelope(c.ProjectEnvelope, obj, action="DELETE", command=command)

    @get("/bounds/project")
    async def bounds(
        self,
        conn: Conn,
        me: Me,
        with_members_count: Annotated[str | None, QueryParameter(name="withMembersCount")] = None,
    ) -> msgspec.Raw:
        """Min/max of project fields, for the list filters of the Web UI."""
        return await projects.bounds(conn, me, flag(with_members_count))

    @get("/project/method/lastopened")
    async def last_opened(self, conn: Conn, me: Me, list_params: Lists) -> Page[OpenedProject]:
        """Projects the caller opened last, padded with the newest ones."""
        return await projects.last_opened(conn, me, list_params)

    @get("/ontology/{ontology_id:int}/project")
    async def by_ontology(
        self, conn: Conn, me: Me, ontology_id: FromPath[int], list_params: Lists
    ) -> Page[ProjectRow]:
        """Projects using an ontology, among those the caller sees."""
        return await projects.list_page(
            conn, me, list_params, ListExtras(), ontology_id=ontology_id
        )

    @get("/user/{user_id:int}/project")
    async def by_user(
        self, conn: Conn, me: Me, user_id: FromPath[int], list_params: Lists
    ) -> Page[ProjectRow]:
        """Projects a user belongs to, among those the caller sees."""
        return await projects.list_page(conn, me, list_params, ListExtras(), member_id=user_id)

    @get("/user/{user_id:int}/project/light")
    async def light_by_user(
        self,
        conn: Conn,
        me: Me,
        user_id: FromPath[int],
        list_params: Lists,
        creator: FromQuery[str | None] = None,
        admin: FromQuery[str | None] = None,
    ) -> Page[NamedProject]:
        """Id and name of a user's projects (``creator``/``admin`` narrow by role)."""
        role = "creator" if flag(creator) else "admin" if flag(admin) else "user"
        return await projects.light_by_user(conn, me, user_id, role, list_params)


ROUTES = [ProjectController]
