"""Relation and relation term services: ``/api/relation…``."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import relations
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me

_T1T2 = "term1/{term1:int}/term2/{term2:int}"


class RelationController(Controller):
    """Relation kinds (legacy routes; only administrators change them)."""

    path = "/api/relation"
    tags = ["Relation"]

    @get("")
    async def list_relations(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.Relation]:
        """Every relation kind (in practice only 'parent')."""
        return await relations.list_all(conn, list_params)

    @post("", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.RelationInput]
    ) -> c.RelationEnvelope:
        """Create a relation kind."""
        obj, command = await relations.create(conn, me, data)
        return envelope(c.RelationEnvelope, obj, action="ADD", command=command)

    @get("/{relation_id:int}")
    async def show(self, conn: Conn, me: Me, relation_id: FromPath[int]) -> c.Relation:
        """One relation kind."""
        return await relations.get(conn, relation_id)

    @put("/{relation_id:int}")
    async def update(
        self, conn: Conn, me: Me, relation_id: FromPath[int], data: JSONBody[c.RelationInput]
    ) -> c.RelationEnvelope:
        """Rename a relation kind."""
        obj, command = await relations.update(conn, me, relation_id, data)
        return envelope(c.RelationEnvelope, obj, action="EDIT", command=command)

    @delete("/{relation_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, relation_id: FromPath[int]) -> c.RelationEnvelope:
        """Delete a relation kind."""
        obj, command = await relations.delete(conn, me, relation_id)
        return envelope(c.RelationEnvelope, obj, action="DELETE", command=command)


class RelationTermController(Controller):
    """Links between terms; term1 is the parent side."""

    path = "/api/relation"
    tags = ["Relation term"]

    @post("/parent/term", status_code=200)
    async def link_parent(
        self, conn: Conn, me: Me, data: JSONBody[c.RelationTermInput]
    ) -> c.RelationTermEnvelope:
        """Make term2 a child of term1."""
        obj, command = await relations.link(conn, me, data)
        return envelope(c.RelationTermEnvelope, obj, action="ADD", command=command)

    @post("/{relation_id:int}/term", status_code=200)
    async def link(
        self, conn: Conn, me: Me, relation_id: FromPath[int], data: JSONBody[c.RelationTermInput]
    ) -> c.RelationTermEnvelope:
        """Link two terms; like the reference core, the body's relation (or parent) is used."""
        obj, command = await relations.link(conn, me, data)
        return envelope(c.RelationTermEnvelope, obj, action="ADD", command=command)

    @get("/term/{term_id:int}")
    async def by_term(
        self, conn: Conn, me: Me, term_id: FromPath[int], list_params: Lists
    ) -> Page[c.RelationTerm]:
        """Links in which the term takes part, on either side."""
        return await relations.links_of_term(conn, me, term_id, list_params)

    @get("/term/{position:int}/{term_id:int}")
    async def by_term_position(
        self,
        conn: Conn,
        me: Me,
        position: FromPath[int],
        term_id: FromPath[int],
        list_params: Lists,
    ) -> Page[c.RelationTerm]:
        """Links where the term is at ``position`` (1 parent side, 2 child side)."""
        return await relations.links_of_term(conn, me, term_id, list_params, position)

    @get(f"/parent/{_T1T2}")
    async def show_parent(
        self, conn: Conn, me: Me, term1: FromPath[int], term2: FromPath[int]
    ) -> c.RelationTerm:
        """The parent link between two terms."""
        parent = await relations.parent_id(conn)
        return await relations.find_link(conn, me, parent, term1, term2)

    @delete(f"/parent/{_T1T2}", status_code=200)
    async def unlink_parent(
        self, conn: Conn, me: Me, term1: FromPath[int], term2: FromPath[int]
    ) -> c.RelationTermEnvelope:
        """Remove the parent link between two terms."""
        parent = await relations.parent_id(conn)
        obj, command = await relations.unlink(conn, me, parent, term1, term2)
        return envelope(c.RelationTermEnvelope, obj, action="DELETE", command=command)

    @get(f"/{{relation_id:int}}/{_T1T2}")
    async def show_link(
        self,
        conn: Conn,
        me: Me,
        relation_id: FromPath[int],
        term1: FromPath[int],
        term2: FromPath[int],
    ) -> c.RelationTerm:
        """One link between two terms."""
        return await relations.find_link(conn, me, relation_id, term1, term2)

    @delete(f"/{{relation_id:int}}/{_T1T2}", status_code=200)
    async def unlink(
        self,
        conn: Conn,
        me: Me,
        relation_id: FromPath[int],
        term1: FromPath[int],
        term2: FromPath[int],
    ) -> c.RelationTermEnvelope:
        """Remove one link between two terms."""
        obj, command = await relations.unlink(conn, me, relation_id, term1, term2)
        return envelope(c.RelationTermEnvelope, obj, action="DELETE", command=command)


ROUTES = [RelationController, RelationTermController]
