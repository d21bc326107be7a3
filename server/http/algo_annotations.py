"""Algo annotation service: ``/api/algoannotation…`` (annotations produced by jobs)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from server.db.store import algo_annotations as store
from server.db.store.annotation_rows import AnnotationBody
from server.http.annotation_kinds import (
    ONE_BODY,
    AlgoEnvelope,
    algo_envelope,
    count_response,
    create_algo,
    decode,
)
from server.http.deps import Conn, Lists, Me

_BODY = msgspec.json.Decoder(AnnotationBody | list[AnnotationBody])


class AlgoAnnotationController(Controller):
    """Annotations made by analysis jobs: a job's user job owns what it creates (project
    writers may post them too, as their own)."""

    path = "/api"
    tags = ["AlgoAnnotation"]

    @get("/algoannotation")
    async def list_algo(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.AlgoAnnotation]:
        """Algo annotations of the projects the caller reads, newest first."""
        return await store.list_visible(conn, me, list_params.max, list_params.offset)

    @post("/algoannotation", status_code=200)
    async def create(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> AlgoEnvelope | BulkResult:
        """Create one algo annotation, or every one of a JSON array (all or nothing)."""
        return await create_algo(conn, me, decode(await request.body(), _BODY))

    @get("/algoannotation/{annotation_id:int}")
    async def show(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> c.AlgoAnnotation:
        """One algo annotation."""
        return await store.get(conn, me, annotation_id)

    @put("/algoannotation/{annotation_id:int}")
    async def update(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> AlgoEnvelope:
        """Change the location, slice or terms of an algo annotation."""
        body = decode(await request.body(), ONE_BODY)
        obj, command = await store.update(conn, me, annotation_id, body)
        return algo_envelope(obj, "EDIT", command)

    @delete("/algoannotation/{annotation_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> AlgoEnvelope:
        """Delete an algo annotation; answer it as it was."""
        obj, command = await store.delete(conn, me, annotation_id)
        return algo_envelope(obj, "DELETE", command)

    @get("/project/{project_id:int}/algoannotation/count")
    async def count_in_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> dict[str, int]:
        """Algo annotations of a project, between optional startDate/endDate (epoch ms)."""
        return await count_response(conn, me, project_id, request, "algo")


ROUTES = [AlgoAnnotationController]
