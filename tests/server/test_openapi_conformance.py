"""The OpenAPI document tells the truth: generated requests get documented answers, never 5xx.

A bounded, deterministic property-based run: for every GET operation of the document served
at ``/schema/openapi.json``, a few requests are generated from its parameters and sent
in-process as an admin and as a plain user; each answer must have a documented status,
content type and body shape, and no answer may be a server error.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.signing import CytomineAuth

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 2


def _cases(operation: Any) -> list[Any]:
    """A few deterministic cases of one operation (generation only, nothing is sent)."""
    found: list[Any] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
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
    for operation in operations:
        for case in _cases(operation):
            tried += 1
            response = await client.request(
                case.method,
                case.formatted_path,
                params=case.query or None,
                headers={k: str(v) for k, v in (case.headers or {}).items()},
                auth=auth,
                follow_redirects=False,
            )
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # check failures, grouped
                first = str(exc).strip().splitlines()
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} -> "
                    f"{response.status_code}: {' | '.join(first[:6])}"
                )
    return {"tried": tried, "failures": failures}


async def test_generated_requests_get_documented_answers(
    client: AsyncTestClient,  # type: ignore[type-arg]
    admin: NewAccount,
    alice: NewAccount,
) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().method.upper() == "GET"
    ]
    assert len(operations) > 100

    started = time.monotonic()
    report: dict[str, dict[str, Any]] = {}
    for name, account in (("admin", admin), ("user", alice)):
        report[name] = await _run(
            client, operations, CytomineAuth(account.public_key, account.private_key)
        )
    elapsed = time.monotonic() - started

    for name, outcome in report.items():
        print(
            f"openapi conformance as {name}: {len(operations)} GET operations, "
            f"{outcome['tried']} cases, {len(outcome['failures'])} failures ({elapsed:.1f} s)"
        )
        for failure in outcome["failures"]:
            print("  " + failure)
    assert all(outcome["tried"] >= len(operations) for outcome in report.values())
    assert not [f for outcome in report.values() for f in outcome["failures"]]
