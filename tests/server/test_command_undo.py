"""Undo and redo over HTTP: annotations and their term links come back exactly, per user."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

MOVED = square(300, 300, 40)


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def _get(client: AsyncTestClient, who: NewAccount, url: str, status: int = 200) -> Any:
    r = await client.get(url, auth=auth(who))
    assert r.status_code == status, r.text
    return r.json()


async def _edit(client: AsyncTestClient, who: NewAccount, annotation: int, **body: Any) -> int:
    """PUT the annotation the way the viewer does; the command id of the change."""
    url = f"/api/userannotation/{annotation}.json"
    r = await client.put(url, json={"id": annotation, **body}, auth=auth(who))
    assert r.status_code == 200, r.text
    return int(r.json()["command"])


def _annotation(answer: dict[str, Any]) -> dict[str, Any]:
    """The annotation the viewer takes from an undo answer (first item carrying one)."""
    return next(item["annotation"] for item in answer["collection"] if "annotation" in item)


async def _terms(db: asyncpg.Connection, annotation: int) -> list[tuple[int, int, int]]:
    rows = await db.fetch(
        "SELECT id, term_id, user_id FROM annotation_term WHERE annotation_id = $1 ORDER BY id",
        annotation,
    )
    return [(r["id"], r["term_id"], r["user_id"]) for r in rows]


async def test_undo_of_a_move_restores_the_location_and_terms_and_redo_reapplies(
    client: AsyncTestClient, db: asyncpg.Connection, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10), term=[world.terms[0]])
    links = await _terms(db, made["id"])
    command = await _edit(client, bob, made["id"], location=MOVED, term=[world.terms[1]])

    undone = await _get(client, bob, f"/api/command/{command}/undo.json")
    restored = _annotation(undone)
    assert (restored["id"], restored["location"]) == (made["id"], made["location"])
    assert restored["term"] == [world.terms[0]]
    assert await _terms(db, made["id"]) == links
    assert undone["collection"][0]["command"] == command

    redone = _annotation(await _get(client, bob, f"/api/command/{command}/redo.json"))
    fetched = await _get(client, bob, f"/api/annotation/{made['id']}.json")
    assert redone["location"] == fetched["location"] != made["location"]
    assert redone["term"] == fetched["term"] == [world.terms[1]]
    assert fetched["area"] == pytest.approx(1600)


async def test_redo_gives_back_exactly_the_geometry_the_edit_wrote(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    command = await _edit(client, bob, made["id"], location=MOVED)
    written = await _get(client, bob, f"/api/annotation/{made['id']}.json")
    await _get(client, bob, f"/api/command/{command}/undo.json")
    assert (await _get(client, bob, f"/api/annotation/{made['id']}.json"))["area"] == 100
    redone = _annotation(await _get(client, bob, f"/api/command/{command}/redo.json"))
    assert redone["location"] == written["location"]


async def test_undo_of_a_delete_brings_the_annotation_back_with_its_id_and_term_links(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    made = await create(client, bob, world.image, square(10, 10), term=world.terms)
    r = await client.post(
        f"/api/annotation/{made['id']}/term/{world.terms[0]}.json", json={}, auth=auth(alice)
    )
    assert r.status_code == 200, r.text
    links = await _terms(db, made["id"])
    assert len(links) == 3
    before = await _get(client, bob, f"/api/project/{world.project}.json")
    r = await client.delete(f"/api/annotation/{made['id']}.json", auth=auth(bob))
    assert r.status_code == 200, r.text
    command = r.json()["command"]

    back = _annotation(await _get(client, bob, f"/api/command/{command}/undo.json"))
    assert (back["id"], back["location"], back["created"]) == (
        made["id"],
        made["location"],
        made["created"],
    )
    assert sorted(back["term"]) == sorted(world.terms)
    assert await _terms(db, made["id"]) == links
    after = await _get(client, bob, f"/api/project/{world.project}.json")
    assert after["numberOfAnnotations"] == before["numberOfAnnotations"]

    await _get(client, bob, f"/api/command/{command}/redo.json")
    await _get(client, bob, f"/api/annotation/{made['id']}.json", status=404)


async def test_undo_of_a_creation_removes_it_and_redo_recreates_it(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    r = await client.post(
        "/api/annotation.json",
        json={"location": square(5, 5), "image": world.image, "term": [world.terms[1]]},
        auth=auth(bob),
    )
    made, command = r.json()["annotation"], r.json()["command"]
    gone = await _get(client, bob, f"/api/command/{command}/undo.json")
    assert gone["collection"][0]["message"] == f"UserAnnotation {made['id']} deleted"
    await _get(client, bob, f"/api/annotation/{made['id']}.json", status=404)
    again = _annotation(await _get(client, bob, f"/api/command/{command}/redo.json"))
    assert (again["id"], again["term"]) == (made["id"], [world.terms[1]])


async def test_undo_without_an_id_takes_the_callers_last_command(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    await _edit(client, bob, made["id"], location=MOVED)
    await create(client, alice, world.image, square(500, 500))  # another user's stack
    restored = _annotation(await _get(client, bob, "/api/command/undo.json"))
    assert restored["location"] == made["location"]
    removed = await _get(client, bob, "/api/command/undo.json")
    assert removed["collection"][0]["message"].endswith("deleted")
    nothing = await _get(client, bob, "/api/command/undo.json")
    assert nothing["collection"] == [
        {"success": True, "message": "Nothing to undo", "callback": None, "printMessage": True}
    ]
    redone = _annotation(await _get(client, bob, "/api/command/redo.json"))
    assert redone["id"] == made["id"]


async def test_a_command_already_undone_has_nothing_left_to_undo(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    command = await _edit(client, bob, made["id"], location=MOVED)
    await _get(client, bob, f"/api/command/{command}/undo.json")
    again = await _get(client, bob, f"/api/command/{command}/undo.json")
    assert again["collection"][0]["message"] == "Nothing to undo"
    redone = await _get(client, bob, f"/api/command/{command}/redo.json")
    assert "annotation" in redone["collection"][0]


async def test_undoing_a_creation_by_deleting_keeps_earlier_undone_edits_redoable(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    """The viewer undoes a creation with a DELETE, then redoes through the delete's command."""
    made = await create(client, bob, world.image, square(10, 10))
    moved = await _edit(client, bob, made["id"], location=MOVED)
    await _get(client, bob, f"/api/command/{moved}/undo.json")
    r = await client.delete(f"/api/annotation/{made['id']}.json", auth=auth(bob))
    deleted = r.json()["command"]
    back = _annotation(await _get(client, bob, f"/api/command/{deleted}/undo.json"))
    assert back["location"] == made["location"]
    again = _annotation(await _get(client, bob, f"/api/command/{moved}/redo.json"))
    assert again["location"] != made["location"]


async def test_term_link_add_and_remove_are_undone(
    client: AsyncTestClient, db: asyncpg.Connection, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    url = f"/api/annotation/{made['id']}/term/{world.terms[0]}.json"
    added = (await client.post(url, json={}, auth=auth(bob))).json()
    undone = await _get(client, bob, f"/api/command/{added['command']}/undo.json")
    assert undone["collection"][0]["annotationterm"]["id"] == added["annotationterm"]["id"]
    assert await _terms(db, made["id"]) == []
    await _get(client, bob, f"/api/command/{added['command']}/redo.json")
    link = (added["annotationterm"]["id"], world.terms[0], bob.id)
    assert await _terms(db, made["id"]) == [link]

    removed = (await client.delete(url, auth=auth(bob))).json()
    assert await _terms(db, made["id"]) == []
    await _get(client, bob, f"/api/command/{removed['command']}/undo.json")
    assert await _terms(db, made["id"]) == [link]


@pytest.mark.parametrize("who", ["alice", "admin"])
async def test_another_users_command_cannot_be_undone_or_redone(
    client: AsyncTestClient,
    alice: NewAccount,
    admin: NewAccount,
    bob: NewAccount,
    world: World,
    who: str,
) -> None:
    other = {"alice": alice, "admin": admin}[who]
    made = await create(client, bob, world.image, square(10, 10))
    command = await _edit(client, bob, made["id"], location=MOVED)
    for action in ("undo", "redo"):
        body = await _get(client, other, f"/api/command/{command}/{action}.json", status=403)
        assert "another user" in body["errors"]["message"]
    assert (await _get(client, bob, f"/api/annotation/{made['id']}.json"))["area"] == 1600


async def test_losing_write_access_forbids_undo(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    command = await _edit(client, bob, made["id"], location=MOVED)
    r = await client.delete(f"/api/project/{world.project}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    await _get(client, bob, f"/api/command/{command}/undo.json", status=403)
    assert (await _get(client, alice, f"/api/annotation/{made['id']}.json"))["area"] == 1600


async def test_kinds_without_undo_answer_400_and_unknown_commands_404(
    client: AsyncTestClient, alice: NewAccount, world: World
) -> None:
    r = await client.post(
        f"/api/project/{world.project}/property.json",
        json={"key": "k", "value": "v"},
        auth=auth(alice),
    )
    command = r.json()["command"]
    body = await _get(client, alice, f"/api/command/{command}/undo.json", status=400)
    assert "cannot be undone" in body["errors"]["message"]
    nothing = await _get(client, alice, "/api/command/undo.json")  # skips what cannot be undone
    assert nothing["collection"][0]["message"] == "Nothing to undo"
    await _get(client, alice, "/api/command/999999999/undo.json", status=404)
    await _get(client, alice, "/api/command/abc/undo.json", status=404)


async def test_a_bulk_creation_cannot_be_undone(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    bodies = [{"location": square(i * 20, 10), "image": world.image} for i in range(2)]
    r = await client.post("/api/annotation.json", json=bodies, auth=auth(bob))
    assert r.status_code == 200, r.text
    body = await _get(client, bob, "/api/command/undo.json", status=400)
    assert "cannot be undone" in body["errors"]["message"]


async def test_the_history_page_undo_route_undoes_one_command(
    client: AsyncTestClient, bob: NewAccount, world: World
) -> None:
    made = await create(client, bob, world.image, square(10, 10))
    command = await _edit(client, bob, made["id"], location=MOVED)
    r = await client.post(f"/api/commands/undo/{command}", auth=auth(bob))
    assert r.status_code == 200, r.text
    assert (r.json()["commandId"], r.json()["data"]["location"]) == (command, made["location"])
    r = await client.post(f"/api/commands/undo/{command}", auth=auth(bob))
    assert r.json()["message"] == "Nothing to undo"


async def test_undo_of_a_delete_puts_the_annotation_back_in_its_track(
    client: AsyncTestClient, db: asyncpg.Connection, bob: NewAccount, world: World
) -> None:
    body = {"name": "cell", "image": world.image, "color": "#00FF00"}
    track = (await client.post("/api/track.json", json=body, auth=auth(bob))).json()["track"]
    made = await create(client, bob, world.image, square(10, 10))
    link = {"annotationIdent": made["id"], "track": track["id"]}
    r = await client.post("/api/annotationtrack.json", json=link, auth=auth(bob))
    assert r.status_code == 200, r.text
    query = "SELECT id, track_id, slice_id FROM annotation_track WHERE annotation_id = $1"
    before = [tuple(row) for row in await db.fetch(query, made["id"])]
    r = await client.delete(f"/api/annotation/{made['id']}.json", auth=auth(bob))
    assert await db.fetch(query, made["id"]) == []
    await _get(client, bob, f"/api/command/{r.json()['command']}/undo.json")
    assert [tuple(row) for row in await db.fetch(query, made["id"])] == before
    listed = await _get(client, bob, f"/api/annotation/{made['id']}/annotationtrack.json")
    assert [t["track"] for t in listed["collection"]] == [track["id"]]
