"""Associated term service: ``/api/annotation/{id}/term…`` links between annotations and terms."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import Page, page
from server.db.store import annotation_terms as store
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag, parse_id


def _envelope(obj: c.AnnotationTerm, action: Action, command: int) -> c.AnnotationTermEnvelope:
    """Cytomine's envelope for a term link command."""
    return envelope(c.AnnotationTermEnvelope, obj, action=action, command=command)


def _user(value: str | None) -> int | None:
    """The optional ``idUser`` query value."""
    if value is None or value == "":
        return None
    return parse_id(value, name="idUser")


def _paged(items: list[Any], max_: int, offset: int) -> Page[Any]:
    """One page of an already complete list."""
    chosen = items[offset : offset + max_] if max_ else items[offset:]
    return page(chosen, size=len(items), offset=offset, max_=max_)


class AnnotationTermController(Controller):
    """Terms linked to annotations, per linking user."""

    path = "/api"
    tags = ["AnnotationTerm"]

    @get("/annotation/{annotation_id:int}/term")
    async def list_links(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        list_params: Lists,
        request: Request[Any, Any, Any],
    ) -> Page[Any]:
        """Links of an annotation; ``idUser`` keeps one user's."""
        user_id = _user(request.query_params.get("idUser"))
        found = await store.list_links(conn, me, annotation_id, user_id=user_id)
        return _paged(found, list_params.max, list_params.offset)

    @get("/userannotation/{annotation_id:int}/user/{user_id:int}/term")
    async def list_by_user(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        user_id: FromPath[int],
        list_params: Lists,
    ) -> Page[Any]:
        """Links of an annotation made by one user (legacy route)."""
        found = await store.list_links(conn, me, annotation_id, user_id=user_id)
        return _paged(found, list_params.max, list_params.offset)

    @get("/annotation/{annotation_id:int}/notuser/{user_id:int}/term")
    async def list_not_by_user(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        user_id: FromPath[int],
        list_params: Lists,
    ) -> Page[Any]:
        """Links of an annotation made by anybody but one user."""
        found = await store.list_links(conn, me, annotation_id, not_user_id=user_id)
        return _paged(found, list_params.max, list_params.offset)

    @get("/annotation/{annotation_id:int}/term/{term_id:int}")
    async def show(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], term_id: FromPath[int]
    ) -> c.AnnotationTerm:
        """One link by term (any linking user)."""
        return await store.get(conn, me, annotation_id, term_id, None)

    @get("/annotation/{annotation_id:int}/term/{term_id:int}/user/{user_id:int}")
    async def show_by_user(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        term_id: FromPath[int],
        user_id: FromPath[int],
    ) -> c.AnnotationTerm:
        """One link by term and linking user."""
        return await store.get(conn, me, annotation_id, term_id, user_id)

    @post("/annotation/{annotation_id:int}/term/{term_id:int}", status_code=200)
    async def add(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], term_id: FromPath[int]
    ) -> c.AnnotationTermEnvelope:
        """Link a term to an annotation as the caller (path ids win over the body)."""
        obj, command = await store.add(conn, me, annotation_id, term_id)
        return _envelope(obj, "ADD", command)

    @post("/annotation/{annotation_id:int}/term/{term_id:int}/clearBefore", status_code=200)
    async def replace(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        term_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> c.AnnotationTermEnvelope:
        """Remove the caller's links (everybody's with clearForAll=true), then link this term."""
        for_all = flag(request.query_params.get("clearForAll"), name="clearForAll")
        obj, command = await store.replace(conn, me, annotation_id, term_id, for_all=for_all)
        return _envelope(obj, "ADD", command)

    @delete("/annotation/{annotation_id:int}/term/{term_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], term_id: FromPath[int]
    ) -> c.AnnotationTermEnvelope:
        """Remove the caller's link; answer it as it was."""
        obj, command = await store.remove(conn, me, annotation_id, term_id, None)
        return _envelope(obj, "DELETE", command)

    @delete(
        "/annotation/{annotation_id:int}/term/{term_id:int}/user/{user_id:int}", status_code=200
    )
    async def remove_by_user(
        self,
        conn: Conn,
        me: Me,
        annotation_id: FromPath[int],
        term_id: FromPath[int],
        user_id: FromPath[int],
    ) -> c.AnnotationTermEnvelope:
        """Remove the link a given user made; answer it as it was."""
        obj, command = await store.remove(conn, me, annotation_id, term_id, user_id)
        return _envelope(obj, "DELETE", command)


ROUTES = [AnnotationTermController]
