"""The OpenAPI document tells the truth: generated requests get documented answers, never 5xx.

A bounded, deterministic property-based run: for every operation of the document served at
``/schema/openapi.json``, a few requests (two per GET, one per write) are generated and sent
in-process as an admin and as a plain user (a contributor of a small project, so that small
ids name real objects); each answer must have a documented status,
content type and body shape, and no answer may be a server error.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import asyncpg
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar.testing import AsyncTestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.db.store.accounts import NewAccount
from tests.assertions import assert_status
from tests.faults.counts import record
from tests.server.annotation_helpers import create, make_world, square
from tests.signing import CytomineAuth

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READS, WRITES = 2, 1
# Operations that change the calling account itself (keys, password, lock, roles, deletion)
# would make the rest of the run unauthenticated.
ACCOUNT_CHANGES = re.compile(r"^/api/user/(current/keys|\{user_id\}(/lock|/password|/role.*)?)$")


def _cases(operation: Any, examples: int) -> list[Any]:
    """A few deterministic cases of one operation (generation only, nothing is sent)."""
    found: list[Any] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        found.append(case)

    collect()
    return found


async def _run(
    client: AsyncTestClient,  # type: ignore[type-arg]
    operations: list[Any],
    auth: CytomineAuth,
) -> dict[str, Any]:
    tried = 0
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:
        reads = operation.method.upper() == "GET"
        for case in _cases(operation, READS if reads else WRITES):
            tried += 1
            response = await client.request(
                case.method,
                case.formatted_path,
                params=case.query or None,
                json=case.body if isinstance(case.body, (dict, list, str, int, float)) else None,
                # The credential is the account's, not a generated one.
                headers={
                    k: str(v)
                    for k, v in (case.headers or {}).items()
                    if k.lower() != "authorization"
                },
                auth=auth,
                follow_redirects=False,
            )
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # check failures, grouped
                first = str(exc).strip().splitlines()
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} -> "
                    f"{response.status_code}: {' | '.join(first[:6])}"
                )
    return {"tried": tried, "failures": failures, "statuses": dict(sorted(statuses.items()))}


async def test_generated_requests_get_documented_answers(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    admin: NewAccount,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    world = await make_world(client, db, alice, bob)
    await create(client, alice, world.image, square(10, 10), term=world.terms[:1])
    document = (await client.get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    every = [result.ok() for result in schema.get_all_operations()]
    operations = [
        op for op in every if op.method.upper() == "GET" or not ACCOUNT_CHANGES.match(op.path)
    ]
    assert len(operations) > 400

    started = time.monotonic()
    report: dict[str, dict[str, Any]] = {}
    for name, account in (("admin", admin), ("user", bob)):
        report[name] = await _run(
            client, operations, CytomineAuth(account.public_key, account.private_key)
        )
    elapsed = time.monotonic() - started

    for name, outcome in report.items():
        record(
            f"openapi conformance as {name}",
            tried=outcome["tried"],
            failures=len(outcome["failures"]),
            operations=len(operations),
            statuses=outcome["statuses"],
        )
        print(
            f"openapi conformance as {name}: {len(operations)} operations, "
            f"{outcome['tried']} cases, {len(outcome['failures'])} failures, "
            f"statuses {outcome['statuses']} ({elapsed:.1f} s for both)"
        )
        for failure in outcome["failures"]:
            print("  " + failure)
    assert all(outcome["tried"] >= len(operations) for outcome in report.values())
    # The project is really reached, not only refused.
    assert all(outcome["statuses"].get(200, 0) > 50 for outcome in report.values())
    assert not [f for outcome in report.values() for f in outcome["failures"]]


async def test_document_names_pages_and_errors(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/schema/openapi.json")
    assert_status(r, 200)
    document = r.json()
    schemas = document["components"]["schemas"]
    assert not [name for name in schemas if name.startswith("Page")]
    tag_page = schemas["TagPage"]
    assert tag_page["properties"]["collection"]["items"] == {"$ref": "#/components/schemas/Tag"}
    assert "oneOf" not in r.text
    assert set(schemas["ErrorBody"]["required"]) == {"errors"}
    assert set(document["components"]["securitySchemes"]) == {"cytomineSignature", "bearer"}

    listing = document["paths"]["/api/tag"]["get"]
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TagPage"
    }
    assert set(listing["responses"]) == {"200", "400", "401", "403", "500", "503"}
    create_tag = document["paths"]["/api/tag"]["post"]
    assert {"401", "403", "404", "409"} <= set(create_tag["responses"])
    error = create_tag["responses"]["409"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorBody"}
    assert listing["security"] == [{"cytomineSignature": []}, {"bearer": []}]
    assert "security" not in document["paths"]["/server/ping"]["get"]
    assert document["paths"]["/iiif/{instance_id}"]["get"]["responses"]["303"]

    # The documented error shape is what the server answers.
    refused = await client.get("/api/tag/1.json")
    assert_status(refused, 401)
    assert refused.json() == {"errors": {"message": "Authentication required"}}
