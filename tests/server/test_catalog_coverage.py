"""Every endpoint the catalog lists for the implemented services is routed, and OpenAPI shows it."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from contracts._generated import ENDPOINTS
from server.http.catalog import shape
from tests.assertions import assert_status

# Services whose every catalog endpoint is served; grows as services land.
IMPLEMENTED = (
    "Server (health)",
    "User",
    "Role",
    "Associated role (user-role)",
    "Project",
    "Project member",
    "Project representative user",
    "Project default layer",
    "Ontology",
    "Term",
    "Relation",
    "Relation term",
    "Storage",
    "Storage member",
    "Authentication & session",
    "Uploaded file",
    "Abstract image",
    "Abstract slice",
    "Companion file",
    "Image instance",
    "Slice instance",
    "Image server",
    "Annotation (generic)",
    "User annotation",
    "Annotation index",
    "Associated term (annotation-term)",
    "Associated track (annotation-track)",
    "Track",
    "Property",
    "Tag",
    "Tag association",
    "User position",
    "Image consultation",
    "Annotation action",
    "Image group",
    "Annotation group",
    "Annotation link",
    "Annotation comment",
    "Attached file",
    "Custom UI",
    "Image filter",
    "Configuration",
    "Command (history)",
    "Rich-text description",
    "Project connection",
    "Project stats",
    "Software",
    "Software parameter",
    "Trusted source",
    "Associated software (software-project)",
    "Job",
    "Job parameter",
    "Job data",
    "User job",
)


def _served(app: Litestar) -> set[tuple[str, str]]:
    """(method, shape) of every route; a whole-segment parameter expands to the segment shapes
    its handler declares in ``opt["segments"]`` (e.g. ``thumb.{}`` for ``thumb.{format}``)."""
    served = set()
    for route in app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            served.add((method, shape(route.path)))
            for segment in handler.opt.get("segments", ()):
                served.add((method, shape(route.path).rsplit("/", 1)[0] + "/" + segment))
    return served


def missing(app: Litestar, service: str) -> list[str]:
    """Catalog endpoints of ``service`` that no route serves."""
    served = _served(app)
    return [
        f"{e.method} {e.path}"
        for e in ENDPOINTS
        if e.service == service and (e.method, shape(e.path)) not in served
    ]


@pytest.mark.parametrize("service", IMPLEMENTED)
def test_every_catalog_endpoint_of_the_service_is_routed(service: str, app: Litestar) -> None:
    not_routed = missing(app, service)
    assert not not_routed, f"{service}: not routed: {not_routed}"


@pytest.mark.anyio
@pytest.mark.pg
async def test_openapi_document_shows_the_generated_types(client: AsyncTestClient) -> None:
    r = await client.get("/schema/openapi.json")
    assert_status(r, 200)
    doc = r.json()
    assert "Project" in doc["components"]["schemas"]
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert "get_project_by_id" in ops
