"""Command history and undo/redo: ``/api/commandhistory``, ``/api/command/…``, ``/api/commands``."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import Invalid
from server.db.listing import ListParams
from server.db.store import command_history as history
from server.db.store import undo
from server.http.deps import Conn, Lists, Me
from server.params import flag

Query = Annotated[str | None, QueryParameter()]


def _number(value: str | None, name: str, *, minimum: int | None = None) -> int | None:
    """An optional integer query value, or 400 naming the parameter."""
    if value is None or not value.strip() or value == "null":
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise Invalid(f"{name} must be an integer, not {value!r}", {name: value}) from exc
    if minimum is not None and number < minimum:
        raise Invalid(f"{name} must be at least {minimum}, not {number}", {name: value})
    return number


def _history_query(
    request: Request[Any, Any, Any], list_params: ListParams, project_id: int | None
) -> history.HistoryQuery:
    """``user``, ``startDate``, ``endDate`` and ``fullData`` of an activity-log request."""
    params = request.query_params
    return history.HistoryQuery(
        project_id=project_id,
        user_id=_number(params.get("user"), "user"),
        start=_number(params.get("startDate"), "startDate"),
        end=_number(params.get("endDate"), "endDate"),
        full_data=flag(params.get("fullData"), name="fullData"),
        max=list_params.max,
        offset=list_params.offset,
    )


def _results(items: list[dict[str, Any]]) -> Page[dict[str, Any]]:
    return page(items, size=len(items), offset=0, max_=0)


class CommandHistoryController(Controller):
    """What was done, by whom, in which project (Cytomine's activity logs)."""

    path = "/api"
    tags = ["Command"]

    @get("/commandhistory")
    async def actions(
        self, conn: Conn, me: Me, list_params: Lists, request: Request[Any, Any, Any]
    ) -> msgspec.Raw:
        """Actions newest first in the caller's projects (a bare JSON array, as Cytomine)."""
        return await history.actions(conn, me, _history_query(request, list_params, None))

    @get("/project/{project_id:int}/commandhistory")
    async def project_actions(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        request: Request[Any, Any, Any],
        project_id: FromPath[int],
    ) -> msgspec.Raw:
        """Actions newest first in one project."""
        return await history.actions(conn, me, _history_query(request, list_params, project_id))

    @get("/project/{project_id:int}/last/{max_actions:int}")
    async def last(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        max_actions: FromPath[int],
        list_params: Lists,
    ) -> Page[c.CommandHistory]:
        """The last actions of a project."""
        if max_actions < 0:
            raise Invalid(f"max must be at least 0, not {max_actions}")
        return await history.last_actions(conn, me, project_id, max_actions, list_params.offset)

    @get("/deletecommand")
    async def deleted(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        domain: Query = None,
        after: Query = None,
    ) -> Page[c.Command]:
        """Delete commands (administrators), by domain and time, oldest first."""
        return await history.delete_commands(
            conn, me, domain, _number(after, "after"), list_params.max, list_params.offset
        )

    @get("/commands")
    async def mine(
        self,
        conn: Conn,
        me: Me,
        page_no: Annotated[str | None, QueryParameter(name="page")] = None,
        size: Query = None,
        sort: Query = None,
    ) -> history.SpringPage:
        """The caller's commands, one page (``page`` from 0, ``sort=created,desc``)."""
        field, _, order = (sort or "created,desc").partition(",")
        if field != "created" or order.lower() not in {"", "asc", "desc"}:
            raise Invalid(f"sort must be created,asc or created,desc, not {sort!r}")
        return await history.my_commands(
            conn,
            me,
            _number(page_no, "page", minimum=0) or 0,
            _number(size, "size", minimum=1) or 20,
            order.lower() != "asc",
        )


class UndoController(Controller):
    """Undo and redo, the caller's last command or a given one."""

    path = "/api"
    tags = ["Command"]

    @get("/command/undo")
    async def undo_last(self, conn: Conn, me: Me) -> Page[dict[str, Any]]:
        """Undo the caller's last command."""
        return _results(await undo.reverse(conn, me, "UNDO", None))

    @get("/command/redo")
    async def redo_last(self, conn: Conn, me: Me) -> Page[dict[str, Any]]:
        """Redo the caller's last undone command."""
        return _results(await undo.reverse(conn, me, "REDO", None))

    @get("/command/{command_id:int}/undo")
    async def undo_one(self, conn: Conn, me: Me, command_id: FromPath[int]) -> Page[dict[str, Any]]:
        """Undo one of the caller's commands."""
        return _results(await undo.reverse(conn, me, "UNDO", command_id))

    @get("/command/{command_id:int}/redo")
    async def redo_one(self, conn: Conn, me: Me, command_id: FromPath[int]) -> Page[dict[str, Any]]:
        """Redo one of the caller's undone commands."""
        return _results(await undo.reverse(conn, me, "REDO", command_id))

    @post("/commands/undo/{command_id:int}", status_code=200)
    async def undo_v2(self, conn: Conn, me: Me, command_id: FromPath[int]) -> dict[str, Any]:
        """The history page's undo: one of the caller's commands."""
        results = await undo.reverse(conn, me, "UNDO", command_id)
        return history.undo_answer(command_id, results)


ROUTES = [CommandHistoryController, UndoController]
