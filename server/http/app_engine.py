"""What the Web UI asks of Cytomine's optional app engine and search index.

Lamina has neither: no tasks are installed, no project has task runs and no image is indexed
for faceted search. The answers are the empty ones the UI expects (a bare array of tasks, a
bare array of runs, an object of facets), so its panels show nothing instead of an error.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromPath

from server.db.store import acl
from server.http.deps import Conn, Me


class AppEngineController(Controller):
    """Tasks and task runs: always empty, as no app engine is attached."""

    path = "/api"
    tags = ["App engine (2024+)"]

    @get("/app-engine/tasks")
    async def tasks(self, me: Me) -> list[Any]:
        """Tasks installed in the app engine: none."""
        return []

    @get("/project/{project_id:int}/task-runs")
    async def task_runs(self, conn: Conn, me: Me, project_id: FromPath[int]) -> list[Any]:
        """Task runs of a project the caller reads: none."""
        await acl.readable(conn, me, project_id)
        return []


class SearchFacetsController(Controller):
    """Metadata facets of the image search index: none, as no index exists."""

    path = "/api/meilisearch"
    tags = ["Search"]

    @get("/facets")
    async def facets(self, me: Me) -> dict[str, Any]:
        """Facet name -> value counts: empty."""
        return {}


ROUTES = [AppEngineController, SearchFacetsController]
