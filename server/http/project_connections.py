"""Project connection service: users entering projects, connection history and frequencies."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid
from server.db.store import project_connections as store
from server.db.store.project_connections import (
    Connection,
    Frequency,
    LastConnection,
    ProjectTotal,
    Share,
    UserFrequency,
)
from server.db.store.project_members import slice_page as sliced
from server.http.activity_params import DEPENDENCIES, Frequencies, SpanQuery, WindowQuery
from server.http.deps import Conn, Lists, Me
from server.http.image_consultations import Total

AfterThan = Annotated[int | None, QueryParameter(name="afterThan")]
BeforeThan = Annotated[int | None, QueryParameter(name="beforeThan")]


class Entering(msgspec.Struct, kw_only=True):
    """What the Web UI posts when it opens a project (``project`` repeats the path)."""

    project: int | None = None
    os: str | None = None
    browser: str | None = None
    browser_version: str | None = msgspec.field(default=None, name="browserVersion")


def _csv_only(export: str | None) -> bool:
    """Whether ``export`` asks for CSV (the only report format)."""
    if export is None:
        return False
    if export.lower() != "csv":
        raise Invalid(f"Unsupported export format {export!r}: only csv is available")
    return True


class ProjectConnectionController(Controller):
    """Who entered which project, when, and what they did there."""

    path = "/api"
    tags = ["Project connection"]
    dependencies = DEPENDENCIES  # noqa: RUF012

    @post("/project/{project_id:int}/userconnection", status_code=200)
    async def add(
        self, conn: Conn, me: Me, project_id: FromPath[int], data: JSONBody[Entering]
    ) -> c.PersistentProjectConnection:
        """Record that the caller entered the project: body {os, browser, browserVersion}."""
        return await store.add(conn, me, project_id, data.os, data.browser, data.browser_version)

    @get("/project/{project_id:int}/userconnection/count")
    async def count(self, conn: Conn, me: Me, project_id: FromPath[int], span: SpanQuery) -> Total:
        """Number of connections to the project (startDate, endDate in epoch ms)."""
        return Total(total=await store.count(conn, me, project_id, span.start, span.end))

    @get(
        [
            "/project/{project_id:int}/userconnection/{user_id:int}",
            "/project/{project_id:int}/connectionHistory/{user_id:int}",
        ]
    )
    async def history(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        user_id: FromPath[int],
        list_params: Lists,
        export: FromQuery[str | None] = None,
    ) -> Page[Connection] | Response[bytes]:
        """A user's connections to the project, newest first, with their counters;
        export=csv for a file."""
        if _csv_only(export):
            body = await store.history_csv(conn, me, project_id, user_id)
            name = f"user_{user_id}_connections_project_{project_id}.csv"
            return Response(
                body,
                media_type="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return await store.history(conn, me, project_id, user_id, list_params)

    @get(
        [
            "/project/{project_id:int}/lastConnection",
            "/project/{project_id:int}/lastConnection/{user_id:int}",
        ]
    )
    async def last(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        list_params: Lists,
        user_id: FromPath[int | None] = None,
    ) -> Page[LastConnection]:
        """Last connection of each user (or of one), latest first."""
        return sliced(await store.last_connections(conn, me, project_id, user_id), list_params)

    @get(
        [
            "/project/{project_id:int}/connectionFrequency",
            "/project/{project_id:int}/connectionFrequency/{user_id:int}",
        ]
    )
    async def frequency(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        list_params: Lists,
        frequency: Frequencies,
        user_id: FromPath[int | None] = None,
    ) -> Page[Frequency] | Page[UserFrequency]:
        """Connections per period (period, afterThan; heatmap: per hour), else per user; of
        everyone or of one user."""
        period = "hour" if frequency.heatmap else frequency.period
        if period is None:
            by_user = await store.frequency_by_user(conn, me, project_id, user_id)
            return sliced(by_user, list_params)
        items = await store.frequency_in_project(
            conn, me, project_id, user_id, period, frequency.after
        )
        return sliced(items, list_params)

    @get("/connectionFrequency")
    async def frequency_everywhere(
        self, conn: Conn, me: Me, list_params: Lists, window: WindowQuery
    ) -> Page[Frequency]:
        """Connections to every project per hour, day or week (admins)."""
        w = window
        items = await store.frequency_everywhere(conn, me, w.period, w.after, w.before)
        return sliced(items, list_params)

    @get("/averageConnections")
    async def average(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        window: WindowQuery,
        project: FromQuery[int | None] = None,
        user: FromQuery[int | None] = None,
    ) -> Page[Share]:
        """Share of connections per hour of day, day of month or week of year."""
        w = window
        items = await store.average(
            conn, me, w.period, w.after, w.before, project or None, user or None
        )
        return sliced(items, list_params)

    @get("/projectConnection/{connection_id:int}")
    async def consultations(
        self,
        conn: Conn,
        me: Me,
        connection_id: FromPath[int],
        list_params: Lists,
        export: FromQuery[str | None] = None,
    ) -> Page[c.PersistentImageConsultation]:
        """Images opened during one connection, newest first."""
        if _csv_only(export):
            raise Invalid("The images of a connection are not available as csv")
        return await store.consultations(conn, me, connection_id, list_params)

    @get("/total/project/connections")
    async def totals(self, conn: Conn, me: Me, list_params: Lists) -> Page[ProjectTotal]:
        """Number of connections to each project (admins)."""
        return sliced(await store.totals_by_project(conn, me), list_params)


ROUTES = [ProjectConnectionController]
