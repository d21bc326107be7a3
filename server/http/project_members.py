"""Project members: ``/api/project/{id}/user…``, managers, member lists and activity."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Response, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import BulkResult, DataMessage, Message, Page
from contracts.errors import Invalid
from server.db.listing import ListParams
from server.db.store import project_members as members
from server.db.store.project_members import (
    ActivitySummary,
    Invitation,
    MemberActivity,
    MemberUser,
    OnlineUser,
)
from server.http.deps import Conn, Lists, Me
from server.params import as_id, flag

# Activity columns are empty until activity is recorded: sorting on them keeps id order.
_EMPTY_SORTS = {"lastImageName": "id", "lastConnection": "id", "frequency": "id"}


def _ok() -> DataMessage:
    return DataMessage(data=Message(message="OK"))


def _split_ids(users: str) -> tuple[list[int], list[str]]:
    """Well-formed ids and the malformed parts of ``users=1,2,x``."""
    good, bad = [], []
    for part in (p.strip() for p in users.split(",")):
        if (number := as_id(part)) is not None:
            good.append(number)
        elif part:
            bad.append(part)
    return good, bad


def _bulk(project_id: FromPath[int], bad: list[str]) -> Response[BulkResult]:
    """Cytomine's answer to a bulk change: 206 with a message when some ids were wrong."""
    if not bad:
        return Response(BulkResult(data={"message": "OK"}, status=200), status_code=200)
    message = f"{','.join(bad)} are not well formatted ids or unknown users (project {project_id})"
    return Response(
        BulkResult(data={"message": message}, status=206),
        status_code=206,
        media_type=MediaType.JSON,
    )


class ProjectMemberController(Controller):
    """Who belongs to a project, and with which role."""

    path = "/api/project/{project_id:int}"
    tags = ["Project member"]

    @get("/user")
    async def list_members(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        list_params: Lists,
        sort_column: Annotated[str | None, QueryParameter(name="sortColumn")] = None,
        sort_direction: Annotated[str | None, QueryParameter(name="sortDirection")] = None,
        online: FromQuery[str | None] = None,
    ) -> Page[MemberUser]:
        """Members, each with its role; ``online=true`` keeps those active in the last 5 min."""
        if flag(online, name="online"):
            return await members.users(conn, me, project_id, "online", list_params)
        params: ListParams = list_params
        if sort_column:
            sort = _EMPTY_SORTS.get(sort_column, sort_column)
            params = msgspec.structs.replace(
                params, sort=sort, order=sort_direction or params.order
            )
        return await members.users(conn, me, project_id, "member", params)

    @get("/admin")
    async def list_managers(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[MemberUser]:
        """Managers of the project."""
        return await members.users(conn, me, project_id, "admin", list_params)

    @get("/creator")
    async def list_creator(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[MemberUser]:
        """The creator of the project, as a list of one user."""
        return await members.users(conn, me, project_id, "creator", list_params)

    @get("/users/representative")
    async def list_representative_users(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[MemberUser]:
        """Representatives of the project, as users."""
        return await members.users(conn, me, project_id, "representative", list_params)

    @get("/userlayer")
    async def list_layers(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[MemberUser]:
        """Users whose annotation layers the caller may display in the project."""
        return await members.users(conn, me, project_id, "layer", list_params)

    @post("/user/{user_id:int}", status_code=200)
    async def add_member(
        self, conn: Conn, me: Me, project_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Add a user as contributor."""
        await members.require_user(conn, user_id)
        await members.add(conn, me, project_id, [user_id], manager=False)
        return _ok()

    @delete("/user/{user_id:int}", status_code=200)
    async def remove_member(
        self, conn: Conn, me: Me, project_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Remove a user from the project."""
        await members.require_user(conn, user_id)
        await members.remove(conn, me, project_id, [user_id])
        return _ok()

    @post("/user/{user_id:int}/admin", status_code=200)
    async def add_manager(
        self, conn: Conn, me: Me, project_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Make a user a manager of the project."""
        await members.require_user(conn, user_id)
        await members.add(conn, me, project_id, [user_id], manager=True)
        return _ok()

    @delete("/user/{user_id:int}/admin", status_code=200)
    async def remove_manager(
        self, conn: Conn, me: Me, project_id: FromPath[int], user_id: FromPath[int]
    ) -> DataMessage:
        """Drop the manager right; the user stays contributor."""
        await members.require_user(conn, user_id)
        await members.drop_manager(conn, me, project_id, user_id)
        return _ok()

    @post("/user", status_code=200)
    async def add_members(
        self, conn: Conn, me: Me, project_id: FromPath[int], users: FromQuery[str]
    ) -> Response[BulkResult]:
        """Add several users as contributors (``users=1,2,3``)."""
        good, bad = _split_ids(users)
        known = await members.existing_users(conn, good)
        await members.add(conn, me, project_id, sorted(known), manager=False)
        return _bulk(project_id, bad + [str(i) for i in good if i not in known])

    @delete("/user", status_code=200)
    async def remove_members(
        self, conn: Conn, me: Me, project_id: FromPath[int], users: FromQuery[str]
    ) -> Response[BulkResult]:
        """Remove several users (``users=1,2,3``)."""
        good, bad = _split_ids(users)
        known = await members.existing_users(conn, good)
        await members.remove(conn, me, project_id, sorted(known))
        return _bulk(project_id, bad + [str(i) for i in good if i not in known])

    @get("/usersActivity")
    async def users_activity(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[MemberActivity]:
        """Members with their last connection and connection counts."""
        return await members.activity(conn, me, project_id, list_params)

    @get("/online/user")
    async def online_users(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[OnlineUser]:
        """Members active in the project now, with the image they look at."""
        return await members.online(conn, me, project_id, list_params)

    @get("/resumeActivity/{user_id:int}")
    async def resume_activity(
        self, conn: Conn, me: Me, project_id: FromPath[int], user_id: FromPath[int]
    ) -> ActivitySummary:
        """Activity summary of one member."""
        return await members.resume(conn, me, project_id, user_id)

    @get("/user/download")
    async def download(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        format_: Annotated[str, QueryParameter(name="format")],
    ) -> Response[bytes]:
        """The member list as a report; only CSV is produced."""
        if format_.lower() != "csv":
            raise Invalid(f"Unsupported report format {format_!r}: only csv is available")
        body = await members.members_csv(conn, me, project_id)
        return Response(
            body,
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="users_project_{project_id}.csv"'
            },
        )


class InvitationController(Controller):
    """Accounts created for new people by invitation."""

    path = "/api"
    tags = ["Project member"]

    @post("/project/{project_id:int}/invitation", status_code=200)
    async def invite_to_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], data: JSONBody[Invitation]
    ) -> c.User:
        """Create an account and add it to the project as contributor (managers only)."""
        return await members.invite(conn, me, data, project_id)

    @post("/user/invitation", status_code=200)
    async def invite(self, conn: Conn, me: Me, data: JSONBody[Invitation]) -> c.User:
        """Create an account for a new person, outside any project (legacy route)."""
        return await members.invite(conn, me, data)


ROUTES = [ProjectMemberController, InvitationController]
