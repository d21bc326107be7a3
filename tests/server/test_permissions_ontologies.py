"""Who may read and change an ontology, its terms and their links.

Readers: admins, the ontology's creator, members of projects using it. Writers: admins, the
creator, managers of those projects; guests never write.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ACTORS = ("admin", "creator", "member", "manager", "outsider", "guest")


class World(msgspec.Struct, kw_only=True):
    """An ontology of alice's with terms a -> b and c, used by a project."""

    ontology: int
    project: int
    a: int
    b: int
    c: int
    auth: dict[str, CytomineAuth]


async def _account(db: asyncpg.Connection, name: str, rank: int) -> NewAccount:
    return await create_account(db, username=name, rank=rank)


@pytest.fixture
async def world(db: asyncpg.Connection) -> World:
    ranks = {"admin": 4, "guest": 1}
    accounts = {name: await _account(db, name, ranks.get(name, 2)) for name in ACTORS}
    creator = accounts["creator"]
    oid = await db.fetchval(
        "INSERT INTO ontology (name, user_id) VALUES ('O', $1) RETURNING id", creator.id
    )
    a, b, c = [
        await db.fetchval(
            "INSERT INTO term (name, ontology_id, color) VALUES ($1, $2, '#000000') RETURNING id",
            name,
            oid,
        )
        for name in "abc"
    ]
    await db.execute(
        "INSERT INTO relation_term (relation_id, term1_id, term2_id)"
        " SELECT id, $1, $2 FROM relation WHERE name = 'parent'",
        a,
        b,
    )
    pid = await db.fetchval(
        "INSERT INTO project (name, ontology_id) VALUES ('P', $1) RETURNING id", oid
    )
    for name, manager in (("member", False), ("manager", True), ("guest", False)):
        await db.execute(
            "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, $3)",
            pid,
            accounts[name].id,
            manager,
        )
    auth = {k: CytomineAuth(v.public_key, v.private_key) for k, v in accounts.items()}
    return World(ontology=oid, project=pid, a=a, b=b, c=c, auth=auth)


# (method, path, body) templates; {o} ontology, {p} project, {a} {b} {c} terms.
READS = {
    "get ontology": ("GET", "/api/ontology/{o}.json", None),
    "ontology terms": ("GET", "/api/ontology/{o}/term.json", None),
    "ontology users": ("GET", "/api/ontology/{o}/user.json", None),
    "ontology tree": ("GET", "/api/ontology/{o}/tree.json", None),
    "get term": ("GET", "/api/term/{a}.json", None),
    "term links": ("GET", "/api/relation/term/{a}.json", None),
    "term links at position": ("GET", "/api/relation/term/1/{a}.json", None),
    "get link": ("GET", "/api/relation/parent/term1/{a}/term2/{b}.json", None),
}
WRITES = {
    "update ontology": ("PUT", "/api/ontology/{o}.json", {"name": "O2"}),
    "create term": ("POST", "/api/term.json", {"name": "n", "color": "#FFFFFF", "ontology": "o"}),
    "update term": ("PUT", "/api/term/{a}.json", {"name": "a2"}),
    "delete term": ("DELETE", "/api/term/{c}.json", None),
    "create link": ("POST", "/api/relation/parent/term.json", {"term1": "a", "term2": "c"}),
    "delete link": ("DELETE", "/api/relation/parent/term1/{a}/term2/{b}.json", None),
}
CAN_READ = {"admin", "creator", "member", "manager", "guest"}
CAN_WRITE = {"admin", "creator", "manager"}


def _fill(world: World, path: str, body: dict[str, Any] | None) -> tuple[str, Any]:
    ids = {"o": world.ontology, "p": world.project, "a": world.a, "b": world.b, "c": world.c}
    filled = path.format(**ids)
    if body is not None:
        body = {
            k: ids.get(v, v) if isinstance(v, str) and len(v) == 1 else v for k, v in body.items()
        }
    return filled, body


async def _call(client: AsyncTestClient, world: World, actor: str, spec: tuple[Any, ...]) -> int:
    method, path, body = spec
    url, body = _fill(world, path, body)
    kwargs = {"json": body} if body is not None else {}
    r = await client.request(method, url, auth=world.auth[actor], **kwargs)
    return r.status_code


@pytest.mark.parametrize("actor", ACTORS)
async def test_read_access_follows_ontology_readers(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in CAN_READ else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in READS.items()}
    assert got == dict.fromkeys(READS, expected)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(WRITES))
async def test_write_access_follows_ontology_writers(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor in CAN_WRITE else 403
    assert await _call(client, world, actor, WRITES[endpoint]) == expected


@pytest.mark.parametrize("actor", ACTORS)
async def test_ontology_list_shows_it_to_readers_only(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.get("/api/ontology.json", auth=world.auth[actor])
    assert (world.ontology in [o["id"] for o in r.json()["collection"]]) == (actor in CAN_READ)


@pytest.mark.parametrize("actor", ACTORS)
async def test_term_list_shows_its_terms_to_readers_only(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.get("/api/term.json", auth=world.auth[actor])
    assert (r.json()["size"] == 3) == (actor in CAN_READ)


@pytest.mark.parametrize("actor", ACTORS)
async def test_deleting_a_used_ontology_is_refused_even_to_writers(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.delete(f"/api/ontology/{world.ontology}.json", auth=world.auth[actor])
    assert r.status_code == (400 if actor in CAN_WRITE else 403)


@pytest.mark.parametrize("actor", ACTORS)
async def test_project_terms_are_shown_to_project_members_and_admins(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.get(f"/api/project/{world.project}/term.json", auth=world.auth[actor])
    readers = {"admin", "member", "manager", "guest"}
    assert r.status_code == (200 if actor in readers else 403)


@pytest.mark.parametrize("actor", ACTORS)
async def test_only_users_create_ontologies(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.post("/api/ontology.json", json={"name": "new"}, auth=world.auth[actor])
    assert r.status_code == (403 if actor == "guest" else 200)


@pytest.mark.parametrize("actor", ACTORS)
async def test_only_admins_create_relations(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.post("/api/relation.json", json={"name": "syn"}, auth=world.auth[actor])
    assert r.status_code == (200 if actor == "admin" else 403)


async def test_admin_with_a_closed_admin_session_is_an_outsider(
    client: AsyncTestClient, world: World, db: asyncpg.Connection
) -> None:
    await db.execute("UPDATE sec_user SET admin_session = false WHERE username = 'admin'")
    r = await client.get(f"/api/ontology/{world.ontology}.json", auth=world.auth["admin"])
    assert_status(r, 403)


async def test_an_unused_ontology_is_deleted_by_its_creator_only(
    client: AsyncTestClient, world: World, db: asyncpg.Connection
) -> None:
    await db.execute("DELETE FROM project WHERE id = $1", world.project)
    url = f"/api/ontology/{world.ontology}.json"
    assert (await client.delete(url, auth=world.auth["manager"])).status_code == 403
    assert (await client.delete(url, auth=world.auth["creator"])).status_code == 200
