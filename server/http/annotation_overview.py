"""Zoomed-out views of an image's annotations (Lamina extensions): overview cells and MVT."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

import spatial
import tiling.etag
from contracts.errors import Invalid
from server.db.replicas import REPLICA
from server.db.store import annotation_mvt, annotation_overview
from server.db.store.annotation_mvt import TileQuery
from server.db.store.annotation_overview import Overview
from server.http.deps import Conn, Me
from server.params import as_id, id_filter

# Tiles change with every annotation write: clients revalidate, and 304 saves the body.
TILE_CACHE = "private, no-cache"


def _tile_row(value: str) -> int:
    """The ``ty`` segment, with or without its ``.mvt``/``.pbf`` suffix."""
    text = value.removesuffix(".mvt").removesuffix(".pbf")
    number = as_id(text)
    if number is None:
        raise Invalid(f"ty must be a tile row number, not {value!r}")
    return number


class AnnotationOverviewController(Controller):
    """Cells with counts per term, and vector tiles, of one image's user annotations."""

    path = "/api/imageinstance/{image_id:int}/annotation"
    tags = ["AnnotationOverview"]

    @get("/overview", opt=REPLICA)
    async def overview(
        self,
        conn: Conn,
        me: Me,
        image_id: FromPath[int],
        zoom: FromQuery[int] = 0,
        bbox: FromQuery[str | None] = None,
        terms: FromQuery[str | None] = None,
        users: FromQuery[str | None] = None,
    ) -> Overview:
        """Cells of 128 screen pixels at ``zoom`` (bottom-left pixels) with counts per term."""
        image = await annotation_overview.readable_image(conn, me, image_id)
        return await annotation_overview.overview(
            conn,
            image,
            zoom=zoom,
            bbox=spatial.parse_bbox(bbox) if bbox else None,
            users=id_filter(users, name="users"),
            terms=id_filter(terms, name="terms"),
        )

    @get("/mvt/zoom/{z:int}/tx/{tx:int}/ty/{ty:str}", opt=REPLICA)
    async def vector_tile(
        self,
        conn: Conn,
        me: Me,
        request: Request[Any, Any, Any],
        image_id: FromPath[int],
        z: FromPath[int],
        tx: FromPath[int],
        ty: FromPath[str],
        terms: FromQuery[str | None] = None,
        users: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """The annotations (or their clusters) of a normalized tile as a Mapbox Vector Tile."""
        image = await annotation_overview.readable_image(conn, me, image_id)
        query = TileQuery(
            z=z,
            tx=tx,
            ty=_tile_row(ty),
            users=id_filter(users, name="users"),
            terms=id_filter(terms, name="terms"),
        )
        tag = annotation_mvt.etag(image, query)
        headers = {"ETag": tag, "Cache-Control": TILE_CACHE}
        if tiling.etag.matches(request.headers.get("if-none-match"), tag):
            return Response(content=b"", status_code=304, headers=headers)
        body = await annotation_mvt.tile(conn, image, query)
        return Response(content=body, media_type=annotation_mvt.MEDIA_TYPE, headers=headers)


ROUTES = [AnnotationOverviewController]
