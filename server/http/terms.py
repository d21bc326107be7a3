"""Term service: ``/api/term…`` and the term lists of ontologies and projects."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import terms
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


def _envelope(obj: c.Term, action: Action, command: int) -> c.TermEnvelope:
    return envelope(
        c.TermEnvelope,
        obj,
        action=action,
        command=command,
        callback={"ontologyID": str(obj.ontology)},
    )


class TermController(Controller):
    """Terms of ontologies."""

    path = "/api"
    tags = ["Term"]

    @get("/term")
    async def list_terms(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.Term]:
        """Terms of every ontology the caller may read."""
        return await terms.list_all(conn, me, list_params)

    @post("/term", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[c.TermInput]) -> c.TermEnvelope:
        """Create a term: name, color (#RRGGBB), ontology, optional comment."""
        obj, command = await terms.create(conn, me, data)
        return _envelope(obj, "ADD", command)

    @get("/term/{term_id:int}")
    async def show(self, conn: Conn, me: Me, term_id: FromPath[int]) -> c.Term:
        """One term."""
        return await terms.get(conn, me, term_id)

    @put("/term/{term_id:int}")
    async def update(
        self, conn: Conn, me: Me, term_id: FromPath[int], data: JSONBody[c.TermInput]
    ) -> c.TermEnvelope:
        """Change a term's name, color or comment."""
        obj, command = await terms.update(conn, me, term_id, data)
        return _envelope(obj, "EDIT", command)

    @delete("/term/{term_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, term_id: FromPath[int]) -> c.TermEnvelope:
        """Delete a term and its links."""
        obj, command = await terms.delete(conn, me, term_id)
        return _envelope(obj, "DELETE", command)

    @get("/ontology/{ontology_id:int}/term")
    async def by_ontology(
        self, conn: Conn, me: Me, ontology_id: FromPath[int], list_params: Lists
    ) -> Page[c.Term]:
        """Terms of one ontology."""
        return await terms.list_by_ontology(conn, me, ontology_id, list_params)

    @get("/project/{project_id:int}/term")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.Term]:
        """Terms of a project's ontology."""
        return await terms.list_by_project(conn, me, project_id, list_params)


ROUTES = [TermController]
