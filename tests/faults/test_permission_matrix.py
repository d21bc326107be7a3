"""Every route and method, called as anonymous, as an outsider and as a plain member.

The cases are generated from the route table (see ``routes``), with the path parameters naming
the objects of a project the outsider is not in. Anonymous callers get 401 except on the public
routes below; the outsider gets 403 or 404 on the project's objects, never an answer holding its
data, and a write of theirs changes nothing of the project; nobody gets a server error.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.faults.counts import record
from tests.faults.digest import Digest, Watch
from tests.faults.routes import Case, cases
from tests.faults.scene import PROJECT_CLASS, SECRET, Scene, build
from tests.server.annotation_helpers import square
from tests.server.project_helpers import auth
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# Routes that answer without credentials, and why (matched against the route template).
PUBLIC = {
    r"^/(server/ping|status)$": "health checks",
    r"^/schema(/.*)?$": "the OpenAPI document",
    r"^/configuration$": "the Web UI's settings, read before anyone logs in",
    r"^/iam/realms/": "OpenID Connect: discovery, keys, the login form and logout",
    r"^/(login/|loginWithoutSSO/|logout|api/(login|authenticate|token))": "how to log in or out",
    r"^/iiif/\{instance_id:int\}$": "a redirect to the info document, which needs credentials",
}
# Calls that change the caller's own credentials: the rest of the run would be unauthenticated.
OWN_CREDENTIALS = {("POST", "/api/user/current/keys")}
# A malformed request is refused before its credentials are looked at: it says nothing.
ANONYMOUS = {400, 401}
# A request may be refused for a missing or malformed parameter before its target is looked at.
REFUSED = {400, 403, 404}
# A write may be refused for its body before its target is looked at.
REFUSED_WRITE = REFUSED | {405, 409, 415, 422}


def _public(case: Case) -> bool:
    return any(re.search(pattern, case.template) for pattern in PUBLIC)


def _empty(r: httpx.Response) -> bool:
    """An empty listing: what is visible to the caller, nothing."""
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
    return body == [] or (isinstance(body, dict) and body.get("collection") == [])


def _body(scene: Scene) -> dict[str, Any]:
    """A plausible write body naming the project's objects."""
    ids = scene.ids
    return {
        "project": ids["project"],
        "image": ids["image"],
        "slice": ids["slice"],
        "annotation": ids["annotation"],
        "annotationIdent": ids["annotation"],
        "term": ids["term"],
        "track": ids["track"],
        "tag": ids["tag"],
        "group": ids["image_group"],
        "domainClassName": PROJECT_CLASS,
        "domainIdent": ids["project"],
        "name": "faultsuite",
        "key": "k",
        "value": "v",
        "location": square(50, 50),
    }


async def _call(
    client: AsyncTestClient,  # type: ignore[type-arg]
    case: Case,
    who: CytomineAuth | None,
    scene: Scene,
) -> httpx.Response:
    query = {"project": scene.ids["project"], "image": scene.ids["image"]}
    body = None if case.method in ("GET", "DELETE") else _body(scene)
    client.cookies.clear()  # a login route may have set a session cookie: credentials are `who`
    return await client.request(
        case.method, case.path, params=query, json=body, auth=who, follow_redirects=False
    )


class Tally:
    """Cases tried, statuses and failures of one kind of caller."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tried = 0
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.seconds = 0.0

    def check(self, case: Case, r: httpx.Response, ok: bool, why: str) -> None:
        self.tried += 1
        self.statuses[r.status_code] += 1
        if r.status_code >= 500:
            ok, why = False, "server error"
        if not ok:
            self.failures.append(
                f"{case.method} {case.path} -> {r.status_code} {why}: {r.text[:160]}"
            )

    def report(self, skipped: int) -> None:
        record(
            f"permission matrix ({self.name})",
            tried=self.tried,
            failures=len(self.failures),
            skipped=skipped,
            seconds=round(self.seconds, 1),
            statuses=dict(sorted(self.statuses.items())),
        )
        for failure in self.failures:
            print(f"  {self.name}: {failure}")


async def _anonymous(client: AsyncTestClient, todo: list[Case], scene: Scene) -> Tally:  # type: ignore[type-arg]
    tally = Tally("anonymous")
    for case in todo:
        r = await _call(client, case, None, scene)
        public = _public(case)
        tally.check(case, r, public or r.status_code in ANONYMOUS, "expected 401")
        if SECRET in r.text:
            tally.check(case, r, False, "leaks the project")
    return tally


async def _outsider(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    todo: list[Case],
    scene: Scene,
    outsider: NewAccount,
) -> Tally:
    tally = Tally("outsider")
    digest = Digest(
        outsider.id,
        {
            "project_id": scene.ids["project"],
            "annotation_id": scene.ids["annotation"],
            "image_id": scene.ids["image"],
        },
    )
    await digest.prepare(db)
    watch = Watch(digest, db)
    for case in todo:
        write = case.method != "GET"
        if write:
            await watch.before()
        r = await _call(client, case, auth(outsider), scene)
        if SECRET in r.text:
            tally.check(case, r, False, "leaks the project")
        elif case.names_project_object and not _public(case):
            allowed = REFUSED_WRITE if write else REFUSED
            ok = r.status_code in allowed or (r.status_code == 200 and _empty(r))
            tally.check(case, r, ok, "expected 403/404")
        else:
            tally.check(case, r, True, "")
        if write and (moved := await watch.changed()):
            tally.check(case, r, False, f"changed {moved}")
    return tally


async def _member(
    client: AsyncTestClient, todo: list[Case], scene: Scene, member: NewAccount
) -> Tally:  # type: ignore[type-arg]
    tally = Tally("member")
    # Deletions last, so that the other calls still find the objects.
    for case in sorted(todo, key=lambda c: c.method == "DELETE"):
        r = await _call(client, case, auth(member), scene)
        tally.check(case, r, True, "")
    return tally


async def test_every_route_refuses_who_may_not_and_never_fails(
    app: Litestar,
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> None:
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    scene = await build(client, db, alice, bob, carol)
    every = list(cases(app, scene))
    skipped = [c for c in every if c.skipped]
    todo = [c for c in every if not c.skipped]
    for case in skipped:
        print(f"  skipped {case.method} {case.template}: {case.skipped}")

    signed = [c for c in todo if (c.method, c.template) not in OWN_CREDENTIALS]
    tallies = []
    for run in (
        _anonymous(client, todo, scene),
        _outsider(client, db, signed, scene, carol),
        _member(client, signed, scene, bob),
    ):
        started = time.monotonic()
        tallies.append(await run)
        tallies[-1].seconds = time.monotonic() - started
    for tally in tallies:
        tally.report(
            len(skipped) + len(todo) - (len(signed) if tally.name != "anonymous" else len(todo))
        )
    assert len(todo) > 500 and len(skipped) < 0.08 * len(every)
    # The outsider was really refused on the project's objects, not only answered 401.
    assert tallies[1].statuses[403] + tallies[1].statuses[404] > 200
    assert not [f for tally in tallies for f in tally.failures]
