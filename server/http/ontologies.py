"""Ontology service: ``/api/ontology…``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import ontologies
from server.db.store.ontologies import OntologyLight
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag


class ExportedTerm(msgspec.Struct, kw_only=True):
    """A term of an exported ontology; ``parent`` is the parent term's name."""

    name: str
    color: str | None = None
    parent: str | None = None


class ExportedOntology(msgspec.Struct, kw_only=True):
    """``/api/ontology/{id}/export``: the ontology as a portable document."""

    name: str
    terms: list[ExportedTerm]


def _flatten(nodes: list[Any], parent: str | None, out: list[ExportedTerm]) -> None:
    for node in nodes:
        out.append(ExportedTerm(name=node["name"], color=node.get("color"), parent=parent))
        _flatten(node.get("children") or [], node["name"], out)


class OntologyController(Controller):
    """Ontologies with their term trees."""

    path = "/api"
    tags = ["Ontology"]

    @get(["/ontology", "/ontology_light"])
    async def list_ontologies(
        self, conn: Conn, me: Me, list_params: Lists, light: FromQuery[str | None] = None
    ) -> Page[c.Ontology] | Page[OntologyLight]:
        """Ontologies the caller may read; ``light=true`` gives id and name only."""
        if flag(light, name="light"):
            return await ontologies.list_light(conn, me, list_params)
        return await ontologies.list_all(conn, me, list_params)

    @post("/ontology", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.OntologyInput]
    ) -> c.OntologyEnvelope:
        """Create an ontology owned by the caller."""
        obj, command = await ontologies.create(conn, me, data)
        return envelope(c.OntologyEnvelope, obj, action="ADD", command=command)

    @get("/ontology/{ontology_id:int}")
    async def show(self, conn: Conn, me: Me, ontology_id: FromPath[int]) -> c.Ontology:
        """One ontology with its term tree."""
        return await ontologies.get(conn, me, ontology_id)

    @put("/ontology/{ontology_id:int}")
    async def update(
        self, conn: Conn, me: Me, ontology_id: FromPath[int], data: JSONBody[c.OntologyInput]
    ) -> c.OntologyEnvelope:
        """Rename an ontology."""
        obj, command = await ontologies.update(conn, me, ontology_id, data)
        return envelope(c.OntologyEnvelope, obj, action="EDIT", command=command)

    @delete("/ontology/{ontology_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, ontology_id: FromPath[int]) -> c.OntologyEnvelope:
        """Delete an ontology no project uses, with its terms."""
        obj, command = await ontologies.delete(conn, me, ontology_id)
        return envelope(c.OntologyEnvelope, obj, action="DELETE", command=command)

    @get("/ontology/{ontology_id:int}/tree")
    async def tree(self, conn: Conn, me: Me, ontology_id: FromPath[int]) -> list[Any]:
        """Legacy: the term tree of an ontology (its ``children``)."""
        return (await ontologies.get(conn, me, ontology_id)).children

    @get("/ontology/{ontology_id:int}/export")
    async def export(self, conn: Conn, me: Me, ontology_id: FromPath[int]) -> ExportedOntology:
        """The ontology's name and terms, each with its parent's name."""
        obj = await ontologies.get(conn, me, ontology_id)
        found: list[ExportedTerm] = []
        _flatten(obj.children, None, found)
        return ExportedOntology(name=obj.name, terms=found)

    @get("/ontology/{ontology_id:int}/user")
    async def users(
        self, conn: Conn, me: Me, ontology_id: FromPath[int], list_params: Lists
    ) -> Page[c.User]:
        """Members of the projects that use the ontology (``online`` is not tracked)."""
        return await ontologies.users(conn, me, ontology_id, list_params)


ROUTES = [OntologyController]
