"""Annotation layers of task runs on an image (the Web UI's layers panel reads them)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.params import FromPath

from server.db.store import image_instances
from server.http.deps import Conn, Me


@get("/api/image-instances/{image_id:int}/annotation-layers", tags=["Annotation layer"])
async def image_annotation_layers(
    conn: Conn, me: Me, image_id: FromPath[int]
) -> list[dict[str, Any]]:
    """Task-run layers on a readable image, a bare array: none, as no task runs here."""
    await image_instances.get(conn, me, image_id)
    return []


ROUTES = [image_annotation_layers]
