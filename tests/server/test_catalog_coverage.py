"""Every endpoint the catalog lists for the implemented services is routed, and OpenAPI shows it."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from contracts._generated import ENDPOINTS
from server.http.catalog import shape

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
)


def _served(app: Litestar) -> set[tuple[str, str]]:
    served = set()
    for route in app.routes:
        for method in getattr(route, "methods", ()):
            served.add((method, shape(route.path)))
    return served


@pytest.mark.parametrize("service", IMPLEMENTED)
def test_every_catalog_endpoint_of_the_service_is_routed(service: str, app: Litestar) -> None:
    served = _served(app)
    missing = [
        f"{e.method} {e.path}"
        for e in ENDPOINTS
        if e.service == service and (e.method, shape(e.path)) not in served
    ]
    assert not missing, f"{service}: not routed: {missing}"


@pytest.mark.anyio
@pytest.mark.pg
async def test_openapi_document_shows_the_generated_types(client: AsyncTestClient) -> None:
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "Project" in doc["components"]["schemas"]
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert "get_project_by_id" in ops
