"""Activity logs: command history, a project's last actions, delete commands, my commands."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, make_world, square
from tests.server.project_helpers import auth, make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


class Story(msgspec.Struct, kw_only=True):
    """Bob drew an annotation, moved it, undid the move, then deleted it."""

    world: World
    annotation: int
    commands: list[int]


@pytest.fixture
async def story(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Story:
    world = await make_world(client, db, alice, bob)
    body = {"location": square(10, 10), "image": world.image}
    added = (await client.post("/api/annotation.json", json=body, auth=auth(bob))).json()
    ident = added["annotation"]["id"]
    moved = await client.put(
        f"/api/userannotation/{ident}.json", json={"location": square(50, 50)}, auth=auth(bob)
    )
    undone = await client.get(f"/api/command/{moved.json()['command']}/undo.json", auth=auth(bob))
    assert undone.status_code == 200, undone.text
    deleted = await client.delete(f"/api/annotation/{ident}.json", auth=auth(bob))
    commands = [added["command"], moved.json()["command"], deleted.json()["command"]]
    return Story(world=world, annotation=ident, commands=commands)


async def _get(client: AsyncTestClient, who: NewAccount, url: str, status: int = 200) -> Any:
    r = await client.get(url, auth=auth(who))
    assert r.status_code == status, r.text
    return r.json()


async def test_activity_logs_list_actions_newest_first_with_undo_entries(
    client: AsyncTestClient, bob: NewAccount, story: Story
) -> None:
    url = f"/api/commandhistory.json?max=50&offset=0&user={bob.id}&fullData=true"
    actions = await _get(client, bob, url)
    assert isinstance(actions, list)
    assert [a["prefixAction"] for a in actions] == ["", "UNDO", "", ""]
    assert [a["className"].rsplit(".", 1)[-1] for a in actions] == [
        "DeleteCommand",
        "EditCommand",
        "EditCommand",
        "AddCommand",
    ]
    add = actions[-1]
    assert add["message"] == f"UserAnnotation {story.annotation} added"
    assert (add["serviceName"], add["user"], add["project"]) == (
        "userAnnotationService",
        bob.id,
        story.world.project,
    )
    assert add["action"] == f"{add['message']} by bob"
    assert json.loads(add["data"])["id"] == story.annotation
    assert json.loads(actions[1]["data"])["newUserAnnotation"]["id"] == story.annotation
    created = [int(a["created"]) for a in actions]
    assert created == sorted(created, reverse=True)


async def test_activity_logs_page_and_leave_out_data_unless_asked(
    client: AsyncTestClient, bob: NewAccount, story: Story
) -> None:
    everything = await _get(client, bob, "/api/commandhistory.json")
    page = await _get(client, bob, "/api/commandhistory.json?max=2&offset=1")
    assert [a["id"] for a in page] == [a["id"] for a in everything[1:3]]
    assert set(page[0]) == {"id", "created", "message", "prefix", "prefixAction", "user", "project"}


async def test_activity_logs_filter_by_user_and_dates(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, story: Story
) -> None:
    mine = await _get(client, alice, f"/api/commandhistory.json?user={alice.id}")
    assert [a["message"] for a in mine] == [f"Project {story.world.project} added"]
    assert len(await _get(client, alice, f"/api/commandhistory.json?user={bob.id}")) == 4
    future = "/api/commandhistory.json?startDate=32503680000000"
    assert await _get(client, bob, future) == []
    assert await _get(client, bob, "/api/commandhistory.json?endDate=1000") == []


async def test_activity_logs_only_show_projects_the_caller_reads(
    client: AsyncTestClient,
    alice: NewAccount,
    bob: NewAccount,
    admin: NewAccount,
    guest: NewAccount,
    story: Story,
) -> None:
    await make_project(client, alice, name="private")  # adds a command bob cannot see
    seen_by = {
        who.username: {a["project"] for a in await _get(client, who, "/api/commandhistory.json")}
        for who in (alice, bob, admin, guest)
    }
    assert seen_by["bob"] == {story.world.project}
    assert len(seen_by["alice"]) == 2
    assert seen_by["admin"] == seen_by["alice"]
    assert seen_by["guest"] == set()


@pytest.mark.parametrize(("who", "status"), [("bob", 200), ("admin", 200), ("guest", 403)])
async def test_a_projects_history_needs_read_access(
    client: AsyncTestClient,
    bob: NewAccount,
    admin: NewAccount,
    guest: NewAccount,
    story: Story,
    who: str,
    status: int,
) -> None:
    caller = {"bob": bob, "admin": admin, "guest": guest}[who]
    url = f"/api/project/{story.world.project}/commandhistory.json?fullData=true"
    body = await _get(client, caller, url, status)
    if status == 200:  # bob's four actions and alice's creation of the project
        assert len(body) == 5


async def test_last_actions_of_a_project_are_command_history_objects(
    client: AsyncTestClient, bob: NewAccount, guest: NewAccount, story: Story
) -> None:
    body = await _get(client, bob, f"/api/project/{story.world.project}/last/2.json")
    items = msgspec.convert(body["collection"], list[c.CommandHistory])
    assert [i.prefix_action for i in items] == ["", "UNDO"]
    assert items[0].command["id"] == story.commands[2]
    assert items[0].command["type"] == "DELETE"
    assert body["size"] == 5
    await _get(client, guest, f"/api/project/{story.world.project}/last/2.json", 403)
    await _get(client, bob, "/api/project/999999/last/2.json", 404)


async def test_delete_commands_are_for_administrators(
    client: AsyncTestClient, bob: NewAccount, admin: NewAccount, story: Story
) -> None:
    await _get(client, bob, "/api/deletecommand.json", 403)
    body = await _get(client, admin, "/api/deletecommand.json?domain=userAnnotation")
    commands = msgspec.convert(body["collection"], list[c.Command])
    assert [x.id for x in commands] == [story.commands[2]]
    assert commands[0].classname == "DeleteCommand"
    assert (await _get(client, admin, "/api/deletecommand?domain=project"))["collection"] == []
    later = await _get(client, admin, "/api/deletecommand.json?after=32503680000000")
    assert later["collection"] == []
    await _get(client, admin, "/api/deletecommand.json?after=soon", 400)


async def test_my_commands_come_as_a_spring_page_newest_first(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, story: Story
) -> None:
    body = await _get(client, bob, "/api/commands?page=0&size=2&sort=created,desc")
    assert (body["size"], body["totalPages"], body["perPage"], body["offset"]) == (3, 2, 2, 0)
    assert [x["id"] for x in body["collection"]] == story.commands[:0:-1]
    first = body["collection"][0]["commandRequest"]
    assert first["commandType"] == "DELETE_USER_ANNOTATION_COMMAND"
    assert first["before"]["id"] == story.annotation
    rest = await _get(client, bob, "/api/commands?page=1&size=2&sort=created,desc")
    assert [x["id"] for x in rest["collection"]] == story.commands[:1]
    oldest = await _get(client, bob, "/api/commands?sort=created,asc")
    assert [x["id"] for x in oldest["collection"]] == story.commands
    assert oldest["collection"][0]["commandRequest"]["after"]["id"] == story.annotation
    mine = await _get(client, alice, "/api/commands")
    assert story.commands[0] not in [x["id"] for x in mine["collection"]]


@pytest.mark.parametrize(
    "url",
    [
        "/api/commands?sort=name,asc",
        "/api/commands?size=0",
        "/api/commands?page=-1",
        "/api/commands?page=first",
        "/api/commandhistory.json?user=bob",
        "/api/commandhistory.json?startDate=yesterday",
        "/api/commandhistory.json?fullData=maybe",
        "/api/project/1/last/-1.json",
    ],
)
async def test_bad_parameters_are_refused_with_a_message(
    client: AsyncTestClient, bob: NewAccount, url: str
) -> None:
    body = await _get(client, bob, url, 400)
    assert body["errors"]["message"]


async def test_history_needs_authentication(client: AsyncTestClient) -> None:
    for url in ("/api/commandhistory.json", "/api/commands", "/api/command/undo.json"):
        assert (await client.get(url)).status_code == 401
