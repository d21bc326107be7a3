"""Many writers on one annotation at once: no server error, one winner per write, and a command
history that tells exactly what the answers said happened."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.faults.counts import record
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

WRITERS = 12


def _in_thread(call: Callable[[], Awaitable[httpx.Response]]) -> Awaitable[httpx.Response]:
    """One test-client request in its own thread: the client blocks its event loop."""
    return asyncio.to_thread(lambda: asyncio.run(call()))  # type: ignore[arg-type]


async def _commands(db: asyncpg.Connection, project: int) -> Counter[tuple[str, str]]:
    rows = await db.fetch("SELECT type, class_name FROM command WHERE project_id = $1", project)
    return Counter((r["type"], r["class_name"].rsplit(".", 1)[-1]) for r in rows)


async def test_concurrent_edits_term_changes_and_deletes_of_one_annotation(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    world: World = await make_world(client, db, alice, bob)
    target = await create(client, alice, world.image, square(10, 10))
    url = f"/api/annotation/{target['id']}.json"
    term_url = f"/api/annotation/{target['id']}/term/{world.terms[0]}.json"
    before = await _commands(db, world.project)
    locations = [square(10 + 20 * i, 10) for i in range(WRITERS)]

    def edit(i: int) -> Awaitable[httpx.Response]:
        body = {"location": locations[i]}
        who = alice if i % 2 else bob
        return _in_thread(lambda: client.put(url, json=body, auth=auth(who)))

    def add_term(i: int) -> Awaitable[httpx.Response]:
        return _in_thread(lambda: client.post(term_url, auth=auth(alice if i % 2 else bob)))

    edits, adds = await asyncio.gather(
        asyncio.gather(*(edit(i) for i in range(WRITERS))),
        asyncio.gather(*(add_term(i) for i in range(WRITERS))),
    )
    after = await _commands(db, world.project)
    stored = await db.fetchval(
        "SELECT ST_AsText(location) FROM annotation WHERE id = $1", target["id"]
    )
    links = await db.fetchval(
        "SELECT count(*) FROM annotation_term WHERE annotation_id = $1", target["id"]
    )
    edited = [i for i, r in enumerate(edits) if r.status_code == 200]
    added = [i for i, r in enumerate(adds) if r.status_code == 200]
    adders = {i % 2 for i in added}

    deletes = await asyncio.gather(
        *(_in_thread(lambda: client.delete(url, auth=auth(alice))) for _ in range(WRITERS)),
        *(edit(i) for i in range(WRITERS)),
    )
    final = await _commands(db, world.project)
    left = await db.fetchval("SELECT count(*) FROM annotation WHERE id = $1", target["id"])

    answers = [*edits, *adds, *deletes]
    statuses = Counter(r.status_code for r in answers)
    problems: list[Any] = [
        f"{r.request.method} {r.request.url.path} -> {r.status_code}: {r.text[:120]}"
        for r in answers
        if r.status_code >= 500
    ]
    # One winner per write: every accepted edit is one EDIT command, the stored shape is one
    # of the accepted ones, each user's term link is made once, one delete (one command) wins.
    if after[("EDIT", "UserAnnotation")] - before[("EDIT", "UserAnnotation")] != len(edited):
        problems.append(f"{len(edited)} edits accepted, commands {after - before}")
    if not edited or stored.replace(" ", "") not in {locations[i].replace(" ", "") for i in edited}:
        problems.append(f"stored {stored} is no accepted edit")
    # A term is linked once per user (Alice and Bob each add it).
    term_commands = after[("ADD", "AnnotationTerm")] - before[("ADD", "AnnotationTerm")]
    if len(added) != 2 or adders != {0, 1} or links != 2 or term_commands != 2:
        problems.append(f"term linked {links} times, {len(added)} adds accepted")
    delete_wins = [r for r in deletes[:WRITERS] if r.status_code == 200]
    if len(delete_wins) != 1 or left or final[("DELETE", "UserAnnotation")] != 1:
        problems.append(f"{len(delete_wins)} deletes accepted, {left} left, {final}")
    late_edits = [r.status_code for r in deletes[WRITERS:]]
    if not set(late_edits) <= {200, 404, 409}:
        problems.append(f"edits racing the delete answered {late_edits}")

    record(
        "concurrent writers on one annotation",
        tried=len(answers),
        failures=len(problems),
        statuses=dict(sorted(statuses.items())),
        edits_accepted=len(edited),
        term_adds_accepted=len(added),
    )
    for problem in problems:
        print("  " + problem)
    assert not problems
