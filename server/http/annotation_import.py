"""Streaming annotation import (a Lamina extension): one body of features, one polled job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from contracts.errors import Invalid
from server.db.store import annotation_features as features
from server.db.store import annotation_import as store
from server.http.deps import Conn, Me, RuntimeDep
from server.params import flag
from server.principal import Principal

# Media types read as one feature per line (NDJSON, GeoJSON text sequences).
_LINES = (
    "application/x-ndjson",
    "application/ndjson",
    "application/geo+json-seq",
    "application/json-seq",
    "application/jsonl",
    "text/plain",
)
_MAX_KEY = 200


def _lines(request: Request[Any, Any, Any]) -> bool:
    """Whether the content type is one feature per line."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower() in _LINES


def _format(request: Request[Any, Any, Any]) -> store.Format:
    """``format`` from the query, else from the content type (default: FeatureCollection).

    ``qupath`` is QuPath's GeoJSON: a FeatureCollection, an array of features or (with a
    line content type) NDJSON, in QuPath's frame (top-left origin, y down).
    """
    asked = request.query_params.get("format")
    if asked is None:
        return "ndjson" if _lines(request) else "geojson"
    if asked not in ("geojson", "ndjson", "qupath"):
        raise Invalid(f"Unknown import format {asked!r}: supported are geojson, ndjson, qupath")
    return "geojson" if asked == "geojson" else "ndjson" if asked == "ndjson" else "qupath"


def _key(request: Request[Any, Any, Any]) -> str | None:
    """The Idempotency-Key header, when given."""
    key = request.headers.get("idempotency-key")
    if key is not None and not 0 < len(key) <= _MAX_KEY:
        raise Invalid(f"Idempotency-Key must have 1 to {_MAX_KEY} characters")
    return key


async def provide_side_conn(
    runtime: RuntimeDep, me: NamedDependency[Principal]
) -> AsyncIterator[asyncpg.Connection]:
    """A second connection for an import's progress and id blocks (outside its transaction)."""
    async with runtime.acquire() as conn:
        yield conn


class AnnotationImportController(Controller):
    """POST a FeatureCollection or NDJSON body into an image; poll the job it creates."""

    path = "/api"
    tags = ["AnnotationImport"]
    dependencies = {"side_conn": Provide(provide_side_conn)}  # noqa: RUF012

    @post(
        "/imageinstance/{image_id:int}/annotation/import",
        status_code=200,
        request_max_body_size=None,
    )
    async def load(
        self,
        conn: Conn,
        side_conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        image_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Response[store.AnnotationImport]:
        """Import every feature of the body (atomic unless ``partial=true``); answer the job.

        QuPath class names are matched with the ontology's terms; ``createTerms=true`` adds
        the missing ones, else they are counted in the job's ``unmatchedClasses``.
        """
        fmt = _format(request)
        atomic = not flag(request.query_params.get("partial"))
        create = flag(request.query_params.get("createTerms"), name="createTerms")
        where = await store.target(conn, me, image_id, y_down=fmt == "qupath", create_terms=create)
        lines = fmt == "ndjson" or (fmt == "qupath" and _lines(request))
        reader = features.ndjson if lines else features.collection
        options = (fmt, atomic, _key(request))
        job = await store.run(
            conn, side_conn, me, where, reader(request.stream()), options, runtime.checks
        )
        return Response(job, status_code=200 if job.status == "done" else 400)

    @get("/annotationimport/{job_id:int}")
    async def show(self, conn: Conn, me: Me, job_id: FromPath[int]) -> store.AnnotationImport:
        """One import job: status, rows read, loaded and rejected, the first errors."""
        return await store.get(conn, me, job_id)


ROUTES = [AnnotationImportController]
