"""Delete and term change by filter, with a dry-run count (Lamina extensions)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, post

from server.db.store import annotation_bulk as store
from server.http.deps import Conn, Me
from server.params import flag, json_body

_FILTER = msgspec.json.Decoder(store.BulkFilter)
_CHANGE = msgspec.json.Decoder(store.TermChange)


async def _body(request: Request[Any, Any, Any], decoder: msgspec.json.Decoder[Any]) -> Any:
    """The JSON body; ``dryRun`` may also come from the query string."""
    body = json_body(await request.body() or b"{}", decoder)
    if "dryRun" in request.query_params:
        body.dry_run = flag(request.query_params.get("dryRun"))
    return body


class AnnotationBulkController(Controller):
    """POST a filter {project, image(s), user(s), term(s), bbox, dryRun}."""

    path = "/api/annotation"
    tags = ["AnnotationBulk"]

    @post("/bulk-delete", status_code=200)
    async def delete(self, conn: Conn, me: Me, request: Request[Any, Any, Any]) -> store.BulkAnswer:
        """Delete every matched annotation the caller may change (count only on a dry run)."""
        return await store.delete(conn, me, await _body(request, _FILTER))

    @post("/bulk-term", status_code=200)
    async def change_terms(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> store.BulkAnswer:
        """Set, add or remove ``newTerms`` on every matched annotation (``mode``)."""
        return await store.change_terms(conn, me, await _body(request, _CHANGE))


ROUTES = [AnnotationBulkController]
