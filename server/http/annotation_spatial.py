"""Geometry helpers of the generic annotation service: simplify, fill and included."""

from __future__ import annotations

from typing import Any

import anyio
import msgspec
import shapely  # type: ignore[import-untyped]
from litestar import Controller, HttpMethod, Request, get, post, route
from litestar.params import FromPath

import spatial
from contracts import _generated as c
from contracts.errors import Invalid
from server.db.store import annotation_correction, user_annotations
from server.db.store.annotation_listing import ListingPage, list_annotations
from server.db.store.annotation_rows import AnnotationBody
from server.http.annotation_query import parse_query
from server.http.common import envelope
from server.http.deps import Conn, Me
from server.http.user_annotations import AnnotationEnvelope
from server.params import OBJECT, ids, json_body, parse_id
from spatial.fill import fill_holes


class Wkt(msgspec.Struct, kw_only=True):
    """A bare WKT, as ``/api/simplify.json`` takes and answers it."""

    wkt: str


def _budget(request: Request[Any, Any, Any]) -> tuple[int | None, int | None]:
    """``minPoint`` and ``maxPoint`` of the query string (None when absent)."""
    found: list[int | None] = []
    for name in ("minPoint", "maxPoint"):
        value = request.query_params.get(name)
        try:
            found.append(int(value) if value not in (None, "", "null") else None)
        except ValueError as exc:
            raise Invalid(f"{name} must be an integer, not {value!r}") from exc
    return found[0], found[1]


def _simplified(wkt: str, min_point: int | None, max_point: int | None) -> tuple[str, float]:
    """Cytomine's point-budget simplification of a WKT: (WKT, geometryCompression)."""
    geometry = spatial.parse_location(wkt)
    result, rate = spatial.simplify_location(geometry, min_point=min_point, max_point=max_point)
    return str(shapely.to_wkt(result, rounding_precision=-1)), rate


def _filled(wkt: str) -> str:
    """The WKT of a location without its holes."""
    return str(shapely.to_wkt(fill_holes(spatial.parse_location(wkt)), rounding_precision=-1))


async def _wkt_of_body(request: Request[Any, Any, Any]) -> str:
    """The ``wkt`` of a JSON body, or 400."""
    wkt = json_body(await request.body(), OBJECT).get("wkt")
    if not isinstance(wkt, str) or not wkt.strip():
        raise Invalid("wkt is required")
    return wkt


def _edited(obj: c.UserAnnotation, command: int) -> AnnotationEnvelope:
    """The EDIT envelope under ``annotation`` (the JS client's key) and ``userannotation``."""
    base = envelope(c.UserAnnotationEnvelope, obj, action="EDIT", command=command)
    return AnnotationEnvelope(
        annotation=obj,
        userannotation=obj,
        message=base.message,
        callback=base.callback,
        print_message=base.print_message,
        command=command,
    )


class AnnotationSpatialController(Controller):
    """Simplify a WKT or an annotation, fill an annotation, list annotations inside an area."""

    path = "/api"
    tags = ["Annotation"]

    @route("/simplify", http_method=[HttpMethod.PUT, HttpMethod.POST], status_code=200)
    async def simplify_wkt(self, me: Me, request: Request[Any, Any, Any]) -> Wkt:
        """Simplify ``{"wkt": ...}`` to between minPoint and maxPoint points (nothing stored)."""
        del me  # authenticated callers only
        wkt = await _wkt_of_body(request)
        text, _ = await anyio.to_thread.run_sync(_simplified, wkt, *_budget(request))
        return Wkt(wkt=text)

    @route(
        "/annotation/{annotation_id:int}/simplify",
        http_method=[HttpMethod.PUT, HttpMethod.GET],
        status_code=200,
    )
    async def simplify_annotation(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> c.UserAnnotation:
        """Re-simplify a stored location between minPoint and maxPoint; answer the annotation."""
        old = await user_annotations.get(conn, me, annotation_id)
        if not old.location:
            raise Invalid(f"Annotation {annotation_id} has no location")
        budget = _budget(request)
        wkt, rate = await anyio.to_thread.run_sync(_simplified, old.location, *budget)
        body = AnnotationBody(location=wkt, geometry_compression=rate)
        obj, _ = await user_annotations.update(conn, me, annotation_id, body)
        return obj

    @route(["/annotation/{annotation_id:int}/fill"], http_method=[HttpMethod.POST], status_code=200)
    async def fill(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> AnnotationEnvelope:
        """Remove the holes of an annotation's polygons; answer the update envelope."""
        old = await user_annotations.get(conn, me, annotation_id)
        if not old.location:
            raise Invalid(f"Annotation {annotation_id} has no location")
        wkt = await anyio.to_thread.run_sync(_filled, old.location)
        obj, command = await user_annotations.update(
            conn, me, annotation_id, AnnotationBody(location=wkt)
        )
        return _edited(obj, command)

    @get("/imageinstance/{image_id:int}/annotation/included")
    async def included(
        self, conn: Conn, me: Me, image_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> ListingPage:
        """Annotations of the image meeting ``geometry`` (or annotation ``annotation``)."""
        params: dict[str, Any] = dict(request.query_params)
        area, excluded = params.get("geometry"), params.get("annotation")
        if not area:
            if not excluded:
                raise Invalid("included needs a geometry or an annotation")
            ident = parse_id(excluded, name="annotation")
            area = (await user_annotations.get(conn, me, ident)).location
        user = params.pop("user", None)
        params |= {"image": image_id, "bbox": area, "excludedAnnotation": excluded}
        if user in (None, "", "0", "null"):
            params["reviewed"] = "true"  # Cytomine: no user -> the reviewed layer
        else:
            params["users"] = user
        return await list_annotations(conn, me, parse_query(params))

    @post("/annotationcorrection", status_code=200)
    async def correction(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> AnnotationEnvelope:
        """Merge a drawn shape into the annotations it meets, or cut it out (``remove``)."""
        try:
            raw = OBJECT.decode(await request.body() or b"{}")
            if isinstance(raw.get("layers"), str):
                raw["layers"] = ids(raw["layers"], name="layers")
            body = msgspec.convert(raw, annotation_correction.CorrectionBody, strict=False)
        except (msgspec.MsgspecError, ValueError) as exc:
            raise Invalid(f"Bad correction request: {exc}") from exc
        obj, command = await annotation_correction.correct(conn, me, body)
        return _edited(obj, command)


ROUTES = [AnnotationSpatialController]
