"""Annotation index service: per-user annotation counts of a slice."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.replicas import REPLICA
from server.db.store import annotation_index as store
from server.http.deps import Conn, Lists, Me


class AnnotationIndexController(Controller):
    """Counts of annotations and reviewed annotations per user on a slice."""

    path = "/api"
    tags = ["AnnotationIndex"]

    @get("/sliceinstance/{slice_id:int}/annotationindex", opt=REPLICA)
    async def by_slice(
        self, conn: Conn, me: Me, slice_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationIndex]:
        """Per user: annotations drawn and annotations validated on the slice."""
        return await store.by_slice(conn, me, slice_id, list_params.max, list_params.offset)


ROUTES = [AnnotationIndexController]
