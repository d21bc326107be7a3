"""Project statistics (activity page charts) and instance counters (admin dashboard)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import FromPath, FromQuery, QueryParameter

from contracts.envelopes import Page
from contracts.errors import NotFound
from server.db.store import project_stats as store
from server.db.store.project_members import slice_page as sliced
from server.db.store.project_stats import (
    CurrentStats,
    Period,
    ProjectCount,
    StorageStats,
    TermCount,
    TermImageCount,
    Total,
    Totals,
    UserCount,
    UserTerms,
)
from server.http.activity_params import DEPENDENCIES, EvolutionQuery, SpanQuery
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.params import flag

# Evolution charts by the last segment of their path.
_ANNOTATION_CHARTS: dict[str, store.AnnotationKind] = {
    "annotationevolution": "user",
    "algoannotationevolution": "algo",
    "reviewedannotationevolution": "reviewed",
}
_ACTIVITY_CHARTS: dict[str, store.ActivitySource] = {
    "connectionsevolution": "connection",
    "imageconsultationsevolution": "consultation",
    "annotationactionsevolution": "action",
}


class ProjectStatsController(Controller):
    """Charts of a project's activity page."""

    path = "/api/project/{project_id:int}/stats"
    tags = ["Project stats"]
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/term")
    async def term(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        list_params: Lists,
        span: SpanQuery,
        leaf_only: Annotated[str | None, QueryParameter(name="leafOnly")] = None,
        leafs_only: Annotated[str | None, QueryParameter(name="leafsOnly")] = None,
    ) -> Page[TermCount]:
        """User annotations per term (leafOnly, or the Web UI's leafsOnly; default true)."""
        leaf = flag(
            leaf_only if leaf_only is not None else leafs_only, default=True, name="leafOnly"
        )
        items = await store.by_term(
            conn, me, project_id, span.start, span.end, leaf_only=leaf, images=False
        )
        return sliced(items, list_params)

    @get("/termslide")
    async def term_slide(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists, span: SpanQuery
    ) -> Page[TermCount]:
        """Images with user annotations per term."""
        items = await store.by_term(
            conn, me, project_id, span.start, span.end, leaf_only=False, images=True
        )
        return sliced(items, list_params)

    @get("/termimage")
    async def term_image(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists, span: SpanQuery
    ) -> Page[TermImageCount]:
        """User annotations per image and term."""
        items = await store.by_term_and_image(conn, me, project_id, span.start, span.end)
        return sliced(items, list_params)

    @get("/user")
    async def user(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists, span: SpanQuery
    ) -> Page[UserCount]:
        """User annotations per member and author."""
        items = await store.by_user(conn, me, project_id, span.start, span.end, images=False)
        return sliced(items, list_params)

    @get("/userslide")
    async def user_slide(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists, span: SpanQuery
    ) -> Page[UserCount]:
        """Annotated images per member and author."""
        items = await store.by_user(conn, me, project_id, span.start, span.end, images=True)
        return sliced(items, list_params)

    @get("/userannotations")
    async def user_annotations(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[UserTerms]:
        """Per member and author, user annotations per term."""
        return sliced(await store.user_terms(conn, me, project_id), list_params)

    @get("/{chart:str}", opt={"segments": (*_ANNOTATION_CHARTS, *_ACTIVITY_CHARTS)})
    async def evolution(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        chart: FromPath[str],
        list_params: Lists,
        evolution: EvolutionQuery,
        term: FromQuery[int | None] = None,
        reverse_order: Annotated[str | None, QueryParameter(name="reverseOrder")] = None,
        type_: Annotated[str | None, QueryParameter(name="type")] = None,
    ) -> Page[Period]:
        """Items per period of daysRange days: annotations of a kind (optionally with a term;
        latest period first unless reverseOrder=false), connections, image openings or
        annotation actions (optionally of one type)."""
        if chart in _ANNOTATION_CHARTS:
            reverse = flag(reverse_order, default=True, name="reverseOrder")
            kind = _ANNOTATION_CHARTS[chart]
            items = await store.annotation_evolution(
                conn, me, project_id, kind, term, evolution, reverse=reverse
            )
        elif chart in _ACTIVITY_CHARTS:
            source = _ACTIVITY_CHARTS[chart]
            items = await store.activity_evolution(
                conn, me, project_id, source, evolution, action=type_
            )
        else:
            raise NotFound("Statistic", chart)
        return sliced(items, list_params)


class InstanceStatsController(Controller):
    """Counters of the admin dashboard, and per-term counts across projects."""

    path = "/api"
    tags = ["Project stats"]

    @get("/term/{term_id:int}/project/stat")
    async def term_projects(
        self, conn: Conn, me: Me, term_id: FromPath[int], list_params: Lists
    ) -> Page[ProjectCount]:
        """Per project using the term's ontology: user annotations with this term."""
        return sliced(await store.term_projects(conn, me, term_id), list_params)

    @get("/stats/all")
    async def all_totals(self, conn: Conn, me: Me) -> Totals:
        """Numbers of users, projects, images, annotations, terms and ontologies (admins)."""
        return await store.totals(conn, me)

    @get("/stats/currentStats")
    async def current(self, conn: Conn, me: Me) -> CurrentStats:
        """Users and projects active now, and the busiest project (admins)."""
        return await store.current(conn, me)

    @get("/stats/imageserver/total")
    async def storage(self, conn: Conn, me: Me, runtime: RuntimeDep) -> StorageStats:
        """Storage used by uploaded files and free space (admins)."""
        return await store.storage(conn, me, runtime.settings.storage_dir)

    @get("/total/{domain:str}")
    async def total(self, conn: Conn, me: Me, domain: FromPath[str]) -> Total:
        """Number of objects of one class, e.g. be.cytomine.domain.project.Project (admins)."""
        return await store.total_of(conn, me, domain)


ROUTES: list[Any] = [ProjectStatsController, InstanceStatsController]
