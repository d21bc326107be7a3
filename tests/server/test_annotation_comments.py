"""Annotation comments (Cytomine's SharedAnnotation) on user and algo annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from contracts import _generated as c
from server.db.store.accounts import NewAccount, create_account
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

USER_CLASS = "be.cytomine.domain.ontology.UserAnnotation"
ALGO_CLASS = "be.cytomine.domain.ontology.AlgoAnnotation"
MIGRATIONS = Path(__file__).parents[2] / "server" / "db" / "migrations"


class Scene(msgspec.Struct, kw_only=True):
    """Alice's project (Bob and Carol contribute) with one annotation of Alice's."""

    world: World
    annotation: int
    carol: NewAccount


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    world = await make_world(client, db, alice, bob)
    carol = await create_account(db, username="carol", password="carol-password", rank=2)
    r = await client.post(f"/api/project/{world.project}/user/{carol.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    annotation = await create(client, alice, world.image, square(10, 10))
    return Scene(world=world, annotation=annotation["id"], carol=carol)


async def _comment(
    client: AsyncTestClient,
    who: NewAccount,
    annotation: int,
    kind: str = "userannotation",
    **body: Any,
) -> Any:
    url = f"/api/{kind}/{annotation}/comment.json"
    return await client.post(url, json={"comment": "look", **body}, auth=auth(who))


async def _listed(client: AsyncTestClient, who: NewAccount, annotation: int) -> list[Any]:
    r = await client.get(f"/api/userannotation/{annotation}/comment.json", auth=auth(who))
    assert r.status_code == 200, r.text
    return [item["comment"] for item in r.json()["collection"]]


async def test_posted_comment_answers_the_shared_annotation_envelope(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, scene: Scene
) -> None:
    r = await _comment(client, alice, scene.annotation, comment="term?", receivers=[bob.id])
    assert r.status_code == 200, r.text
    obj = msgspec.convert(r.json()["sharedannotation"], c.SharedAnnotation)
    assert obj.class_ == "be.cytomine.domain.ontology.SharedAnnotation"
    assert (obj.annotation_ident, obj.annotation_class_name) == (scene.annotation, USER_CLASS)
    assert (obj.comment, obj.sender, obj.receivers) == ("term?", alice.id, [bob.id])
    assert r.json()["callback"]["method"] == "be.cytomine.AddSharedAnnotationCommand"
    assert isinstance(r.json()["command"], int)


async def test_comment_list_is_newest_first(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    for text in ("first", "second"):
        assert (await _comment(client, alice, scene.annotation, comment=text)).status_code == 200
    assert await _listed(client, alice, scene.annotation) == ["second", "first"]


@pytest.mark.parametrize(("reader", "seen"), [("alice", 1), ("bob", 1), ("carol", 0), ("admin", 1)])
async def test_comment_list_shows_only_what_the_caller_sent_or_received(
    client: AsyncTestClient,
    admin: NewAccount,
    alice: NewAccount,
    bob: NewAccount,
    scene: Scene,
    reader: str,
    seen: int,
) -> None:
    await _comment(client, alice, scene.annotation, receivers=[bob.id])
    who = {"alice": alice, "bob": bob, "carol": scene.carol, "admin": admin}[reader]
    assert len(await _listed(client, who, scene.annotation)) == seen


async def test_one_comment_is_read_under_its_annotation(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    made = (await _comment(client, alice, scene.annotation)).json()["sharedannotation"]
    url = f"/api/userannotation/{scene.annotation}/comment/{made['id']}.json"
    r = await client.get(url, auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json() == made


async def test_a_comment_is_not_found_under_another_annotation(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    made = (await _comment(client, alice, scene.annotation)).json()["sharedannotation"]
    other = await create(client, alice, scene.world.image, square(50, 50))
    url = f"/api/userannotation/{other['id']}/comment/{made['id']}.json"
    assert (await client.get(url, auth=auth(alice))).status_code == 404


async def test_comments_of_a_missing_annotation_are_not_found(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    r = await client.get("/api/userannotation/999999/comment.json", auth=auth(alice))
    assert_status(r, 404)


async def test_algo_annotation_comments_carry_the_algo_class(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    body = {"location": square(80, 80), "image": scene.world.image}
    r = await client.post("/api/algoannotation.json", json=body, auth=auth(alice))
    algo = r.json()["algoannotation"]["id"]
    r = await _comment(client, alice, algo, kind="algoannotation")
    assert r.status_code == 200, r.text
    assert r.json()["sharedannotation"]["annotationClassName"] == ALGO_CLASS
    listed = await client.get(f"/api/algoannotation/{algo}/comment.json", auth=auth(alice))
    assert listed.json()["size"] == 1


async def test_the_algo_route_does_not_serve_user_annotations(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    r = await _comment(client, alice, scene.annotation, kind="algoannotation")
    assert_status(r, 404)


async def test_annotation_json_counts_its_comments(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    for _ in range(2):
        await _comment(client, alice, scene.annotation)
    r = await client.get(f"/api/annotation/{scene.annotation}.json", auth=auth(alice))
    assert r.json()["nbComments"] == 2


async def test_outsiders_cannot_read_comments(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    dave = await create_account(db, username="dave", password="dave-password", rank=2)
    r = await client.get(f"/api/userannotation/{scene.annotation}/comment.json", auth=auth(dave))
    assert_status(r, 403)


@pytest.mark.parametrize(("restricted", "status"), [(False, 200), (True, 403)])
async def test_restricted_projects_let_contributors_comment_only_their_own_annotations(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    bob: NewAccount,
    scene: Scene,
    restricted: bool,
    status: int,
) -> None:
    sql = "UPDATE project SET is_restricted = $2 WHERE id = $1"
    await db.execute(sql, scene.world.project, restricted)
    assert (await _comment(client, bob, scene.annotation)).status_code == status


async def test_unknown_receivers_are_dropped_and_emails_of_users_are_added(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    await db.execute(
        "UPDATE sec_user SET email = 'carol@example.org' WHERE id = $1", scene.carol.id
    )
    emails = "Carol@example.org, nobody@example.org"
    r = await _comment(client, alice, scene.annotation, receivers=[999999], emails=emails)
    assert r.json()["sharedannotation"]["receivers"] == [scene.carol.id]


async def test_mail_fields_are_accepted_and_nothing_else_changes(
    client: AsyncTestClient, alice: NewAccount, bob: NewAccount, scene: Scene
) -> None:
    mail = {
        "subject": "Look",
        "from": "Alice",
        "annotationURL": "http://x/crop.png",
        "shareAnnotationURL": "http://x/#/a",
        "receivers": [bob.id],
    }
    r = await _comment(client, alice, scene.annotation, **mail)
    assert r.status_code == 200, r.text
    assert await _listed(client, bob, scene.annotation) == ["look"]


async def test_deleting_the_annotation_deletes_its_comments(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    await _comment(client, alice, scene.annotation)
    r = await client.delete(f"/api/annotation/{scene.annotation}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    left = await db.fetchval("SELECT count(*) FROM shared_annotation")
    assert left == 0


async def test_the_annotation_listing_counts_comments(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    await _comment(client, alice, scene.annotation)
    params = {"image": scene.world.image}
    r = await client.get("/api/annotation.json", params=params, auth=auth(alice))
    assert [a["nbComments"] for a in r.json()["collection"]] == [1]


async def test_each_kind_counts_its_comments_on_its_row(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    body = {"location": square(80, 80), "image": scene.world.image}
    algo = (await client.post("/api/algoannotation.json", json=body, auth=auth(alice))).json()
    made = {"userannotation": scene.annotation, "algoannotation": algo["algoannotation"]["id"]}
    for n, (kind, ident) in enumerate(made.items(), start=1):
        for _ in range(n):
            assert (await _comment(client, alice, ident, kind=kind)).status_code == 200
    # A reviewed copy has comments of its own (none here), not its parent's.
    r = await client.post(f"/api/imageinstance/{scene.world.image}/review.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    review = f"/api/annotation/{scene.annotation}/review.json"
    r = await client.post(review, json={}, auth=auth(alice))
    assert r.status_code == 200, r.text
    made["reviewedannotation"] = r.json()["reviewedannotation"]["id"]
    expected = {"userannotation": 1, "algoannotation": 2, "reviewedannotation": 0}
    listings = {
        "userannotation": {"image": scene.world.image},
        "algoannotation": {"image": scene.world.image, "includeAlgo": "true"},
        "reviewedannotation": {"image": scene.world.image, "reviewed": "true"},
    }
    for kind, ident in made.items():
        r = await client.get(f"/api/{kind}/{ident}.json", auth=auth(alice))
        assert r.json()["nbComments"] == expected[kind], kind
        r = await client.get("/api/annotation.json", params=listings[kind], auth=auth(alice))
        counts = {a["id"]: a["nbComments"] for a in r.json()["collection"]}
        assert counts[ident] == expected[kind], kind
    kept = await db.fetch(
        "SELECT a.id, a.comment_count, (SELECT count(*) FROM shared_annotation AS s"
        " WHERE s.annotation_id = a.id) AS n FROM annotation AS a ORDER BY a.id"
    )
    assert [(r["id"], r["comment_count"]) for r in kept] == [(r["id"], r["n"]) for r in kept]


async def test_an_annotation_put_back_by_undo_has_no_comments(
    client: AsyncTestClient, alice: NewAccount, scene: Scene
) -> None:
    await _comment(client, alice, scene.annotation)
    r = await client.delete(f"/api/annotation/{scene.annotation}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.get("/api/command/undo.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/annotation/{scene.annotation}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    assert r.json()["nbComments"] == 0
    r = await client.get(
        "/api/annotation.json", params={"image": scene.world.image}, auth=auth(alice)
    )
    assert [a["nbComments"] for a in r.json()["collection"]] == [0]


async def test_the_upgrade_counts_the_comments_already_there(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, scene: Scene
) -> None:
    for _ in range(3):
        await _comment(client, alice, scene.annotation)
    await db.execute("UPDATE annotation SET comment_count = 0")
    migration = MIGRATIONS / "0051_annotation_comment_count.sql"
    backfill = migration.read_text().split(";\n", 1)[1]  # what follows the ALTER TABLE
    await db.execute(backfill)
    assert await db.fetchval("SELECT comment_count FROM annotation") == 3
