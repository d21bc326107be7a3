"""Streamed annotation exports (GeoJSON, NDJSON) and Cytomine's CSV annotation reports."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Stream

import spatial
from contracts.errors import Invalid
from server.db.store import acl
from server.db.store import annotation_export as export
from server.db.store.annotation_rows import image_context
from server.db.store.user_annotations import get as get_annotation
from server.http.deps import Conn, Me, RuntimeDep
from server.params import ids
from server.principal import Principal
from server.runtime import Runtime

# Streams outlive the request's pooled connection (it is released when the handler returns),
# so each stream acquires its own connection from the pool for its whole length.


def _ids(request: Request[Any, Any, Any], *names: str) -> list[int] | None:
    """The first of ``names`` given as a comma-joined id list; None when none is."""
    for name in names:
        if (value := request.query_params.get(name)) not in (None, "", "null"):
            return ids(value, name=name)
    return None


def _ms(request: Request[Any, Any, Any], name: str) -> int | None:
    """An epoch-milliseconds query value."""
    value = request.query_params.get(name)
    if value in (None, "", "null"):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise Invalid(f"{name} must be epoch milliseconds, not {value!r}") from exc


def _filter(request: Request[Any, Any, Any], project: int) -> export.ReportFilter:
    """The report filters of Cytomine's download routes."""
    return export.ReportFilter(
        project=project,
        images=_ids(request, "images", "image"),
        users=_ids(request, "users", "user"),
        terms=_ids(request, "terms", "term"),
        after=_ms(request, "afterThan"),
        before=_ms(request, "beforeThan"),
    )


def _report(runtime: Runtime, me: Principal, selected: export.ReportFilter, fmt: str) -> Stream:
    """The CSV report as an attachment named like Cytomine's."""
    stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime())
    name = f"{stamp}_annotations_project_{selected.project}.{fmt}"
    return Stream(
        export.report(runtime.pool, me, selected),
        media_type=export.MEDIA[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def _features(
    runtime: Runtime, me: Principal, request: Request[Any, Any, Any], **target: int | None
) -> Stream:
    shape = export.shape_of(request.query_params.get("format"))
    kind = export.object_type_of(request.query_params.get("objectType"))
    body = export.features(runtime.pool, me, shape=shape, object_type=kind, **target)
    return Stream(body, media_type=export.MEDIA[shape])


async def _kind_report(
    conn: Conn,
    me: Principal,
    runtime: Runtime,
    project_id: int,
    request: Request[Any, Any, Any],
    kind: str,
) -> Stream:
    """The CSV report of one annotation kind of a project."""
    fmt = export.report_format(request.query_params.get("format"))
    await acl.readable(conn, me, project_id)
    selected = _filter(request, project_id)
    selected.kind = kind
    return _report(runtime, me, selected, fmt)


class AnnotationExportController(Controller):
    """Exports and reports of the annotations a caller may read."""

    path = "/api"
    tags = ["AnnotationExport"]

    @get("/imageinstance/{image_id:int}/annotation/export")
    async def image_export(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        image_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """Every user annotation of an image as GeoJSON (default), NDJSON or QuPath GeoJSON."""
        ctx = await image_context(conn, image_id)
        await acl.readable(conn, me, ctx.project_id)
        return _features(runtime, me, request, image=image_id, project=None)

    @get("/project/{project_id:int}/annotation/export")
    async def project_export(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        project_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """Every user annotation of a project as GeoJSON (default), NDJSON or QuPath GeoJSON."""
        await acl.readable(conn, me, project_id)
        return _features(runtime, me, request, image=None, project=project_id)

    @get(["/project/{project_id:int}/annotation/download",
          "/project/{project_id:int}/userannotation/download"])  # fmt: skip
    async def project_report(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        project_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """Cytomine's annotation report of a project (CSV); ``reviewed=true``: reviewed ones."""
        reviewed = request.query_params.get("reviewed") in ("true", "True", "1")
        kind = "reviewed" if reviewed else "user"
        return await _kind_report(conn, me, runtime, project_id, request, kind)

    @get("/project/{project_id:int}/algoannotation/download")
    async def algo_report(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        project_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """Cytomine's report of a project's algo annotations (CSV)."""
        return await _kind_report(conn, me, runtime, project_id, request, "algo")

    @get("/project/{project_id:int}/reviewedannotation/download")
    async def reviewed_report(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        project_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """Cytomine's report of a project's reviewed annotations (CSV)."""
        return await _kind_report(conn, me, runtime, project_id, request, "reviewed")

    @get("/annotation/method/download")
    async def listing_report(
        self, conn: Conn, me: Me, runtime: RuntimeDep, request: Request[Any, Any, Any]
    ) -> Stream:
        """The legacy report of the annotations matched by listing filters (needs project)."""
        fmt = export.report_format(request.query_params.get("format"))
        projects = _ids(request, "project")
        if not projects or len(projects) != 1:
            raise Invalid("Missing required parameter: project")
        await acl.readable(conn, me, projects[0])
        return _report(runtime, me, _filter(request, projects[0]), fmt)

    @get("/imageinstance/{image_id:int}/annotation/included/download")
    async def included_report(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        image_id: FromPath[int],
        request: Request[Any, Any, Any],
    ) -> Stream:
        """The report of an image's annotations that meet a geometry (or an annotation)."""
        fmt = export.report_format(request.query_params.get("format"))
        ctx = await image_context(conn, image_id)
        await acl.readable(conn, me, ctx.project_id)
        geometry = request.query_params.get("geometry")
        if not geometry and (base := _ids(request, "annotation")):
            geometry = (await get_annotation(conn, me, base[0])).location
        if geometry:
            spatial.parse_location(geometry)  # a bad WKT is a 400 before the stream starts
        selected = _filter(request, ctx.project_id)
        selected.images, selected.geometry = [image_id], geometry or None
        return _report(runtime, me, selected, fmt)


ROUTES = [AnnotationExportController]
