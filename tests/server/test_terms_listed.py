"""The listing's term group kept on the row (annotation.terms_listed): every route that changes
term links keeps it equal to annotation_terms_listed, and the listing answers the same bytes
whether it is kept or NULL (computed)."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store import terms_listed
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_world
from tests.server.annotation_helpers import square as sq
from tests.server.project_helpers import auth
from tests.terms_listed_net import stale_terms_listed

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def kept(db: asyncpg.Connection, annotation: int) -> str:
    """The kept group of an annotation, asserted kept (not NULL) and equal to a recomputation."""
    row = await db.fetchrow(
        "SELECT a.terms_listed, l.fresh FROM annotation AS a"
        " CROSS JOIN LATERAL annotation_terms_listed(a.id, a.kind, a.user_id) AS l (fresh)"
        " WHERE a.id = $1",
        annotation,
    )
    assert row is not None
    assert row["terms_listed"] is not None
    assert row["terms_listed"] == row["fresh"]
    return str(row["terms_listed"])


async def send(client: AsyncTestClient, who: NewAccount, method: str, url: str, **kw: Any) -> Any:
    r = await client.request(method, url, auth=auth(who), **kw)
    assert r.status_code == 200, r.text
    return r.json()


def link(annotation: int, term: int, suffix: str = "") -> str:
    return f"/api/annotation/{annotation}/term/{term}{suffix}.json"


async def test_a_single_post_keeps_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=world.terms)
    links = await db.fetch(
        "SELECT id, term_id, user_id FROM annotation_term WHERE annotation_id = $1"
        " ORDER BY term_id, id",
        made["id"],
    )
    terms = ",".join(str(r["term_id"]) for r in links)
    users = ",".join(
        f'{{"id":{r["id"]},"term":{r["term_id"]},"user":[{r["user_id"]}]}}' for r in links
    )
    assert await kept(db, made["id"]) == f',"term":[{terms}],"userByTerm":[{users}]'
    bare = await create(client, alice, world.image, sq(20, 1))
    assert await kept(db, bare["id"]) == ',"term":[],"userByTerm":[]'


async def test_an_array_post_keeps_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    body = [
        {"location": sq(1, 1), "image": world.image, "term": [world.terms[0]]},
        {"location": sq(20, 1), "image": world.image, "term": world.terms},
    ]
    await send(client, alice, "POST", "/api/annotation.json", json=body)
    for annotation in await db.fetch("SELECT id FROM annotation"):
        await kept(db, annotation["id"])


async def test_the_bulk_copy_of_arrays_and_imports_keeps_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    """More rows than an INSERT takes: the binary COPY writes each row's group with it, the
    link ids drawn beforehand (a feature naming a term twice, or a QuPath class, included)."""
    terms = world.terms
    body = [
        {"location": sq(i % 30 * 12, i // 30 * 12), "image": world.image, "term": terms[: i % 3]}
        for i in range(150)
    ]
    await send(client, alice, "POST", "/api/annotation.json", json=body)
    names = {r["id"]: r["name"] for r in await db.fetch("SELECT id, name FROM term")}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [400 + i, 300]},
            "properties": {"term": [terms[i % 2]] * 2}
            if i % 3
            else {"classification": {"name": names[terms[1]]}},
        }
        for i in range(120)
    ]
    lines = b"\n".join(msgspec.json.encode(f) for f in features)
    job = await send(
        client,
        alice,
        "POST",
        f"/api/imageinstance/{world.image}/annotation/import.json",
        content=lines,
        headers={"content-type": "application/x-ndjson"},
    )
    assert (job["rowsLoaded"], job["rowsRejected"]) == (120, 0)
    ids = [r["id"] for r in await db.fetch("SELECT id FROM annotation ORDER BY id")]
    assert len(ids) == 270
    groups = [await kept(db, i) for i in ids]
    assert sum('"userByTerm":[]' in g for g in groups) == 50
    assert await db.fetchval("SELECT count(*) FROM annotation_term") == 150 + 120


async def test_changing_terms_by_put_keeps_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    body = {"id": made["id"], "term": [world.terms[1]]}
    await send(client, alice, "PUT", f"/api/annotation/{made['id']}.json", json=body)
    assert f'"term":[{world.terms[1]}]' in await kept(db, made["id"])


async def test_linking_replacing_and_unlinking_keep_the_group(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    one, two = world.terms
    await send(client, bob, "POST", link(made["id"], one))
    assert f'"term":[{one}]' in await kept(db, made["id"])
    await send(client, alice, "POST", link(made["id"], two, "/clearBefore"))
    assert f'"term":[{one},{two}]' in await kept(db, made["id"])
    await send(client, alice, "DELETE", link(made["id"], one, f"/user/{bob.id}"))
    assert f'"term":[{two}]' in await kept(db, made["id"])


async def test_bulk_term_changes_keep_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    ids = [(await create(client, alice, world.image, sq(20 * i, 1)))["id"] for i in range(3)]
    changes = (("add", world.terms, world.terms), ("remove", world.terms[:1], world.terms[1:]))
    for mode, terms, shown in changes:
        body = {"project": world.project, "newTerms": terms, "mode": mode}
        await send(client, alice, "POST", "/api/annotation/bulk-term.json", json=body)
        for annotation in ids:
            assert f'"term":[{",".join(map(str, shown))}]' in await kept(db, annotation)


async def test_reviews_keep_the_group_of_the_reviewed_copies(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    first = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    second = await create(client, alice, world.image, sq(20, 1), term=[world.terms[1]])
    await send(client, alice, "POST", f"/api/imageinstance/{world.image}/review.json")
    copy = await send(client, alice, "POST", f"/api/annotation/{first['id']}/review.json", json={})
    group = await kept(db, copy["reviewedannotation"]["id"])
    assert f'{{"id":0,"term":{world.terms[0]},"user":[{alice.id}]}}' in group
    url = f"/api/imageinstance/{world.image}/annotation/review.json"
    await send(client, alice, "POST", url, params={"users": str(alice.id)})
    copied = await db.fetchval("SELECT id FROM annotation WHERE parent_id = $1", second["id"])
    assert f'"term":[{world.terms[1]}]' in await kept(db, copied)


async def test_undo_and_redo_of_a_link_keep_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1))
    added = await send(client, alice, "POST", link(made["id"], world.terms[0]))
    await send(client, alice, "GET", f"/api/command/{added['command']}/undo.json")
    assert '"term":[]' in await kept(db, made["id"])
    await send(client, alice, "GET", f"/api/command/{added['command']}/redo.json")
    assert f'"term":[{world.terms[0]}]' in await kept(db, made["id"])


async def test_undo_of_a_term_change_keeps_the_group(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    body = {"id": made["id"], "term": [world.terms[1]]}
    edited = await send(client, alice, "PUT", f"/api/userannotation/{made['id']}.json", json=body)
    await send(client, alice, "GET", f"/api/command/{edited['command']}/undo.json")
    assert f'"term":[{world.terms[0]}]' in await kept(db, made["id"])


async def test_deleting_a_term_relists_the_annotations_that_had_it(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, world: World
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=world.terms)
    await send(client, alice, "DELETE", f"/api/term/{world.terms[1]}.json")
    assert f'"term":[{world.terms[0]}]' in await kept(db, made["id"])


async def _viewer_listing(
    client: AsyncTestClient, who: NewAccount, world: World, **extra: Any
) -> bytes:
    params = {
        "image": world.image,
        "bbox": "0,0,1000,1000",
        "showDefault": "true",
        "showWKT": "true",
        "showGIS": "true",
        "showTerm": "true",
        **extra,
    }
    r = await client.get("/api/annotation.json", params=params, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.content


async def test_the_listing_is_the_same_kept_or_computed(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    world: World,
) -> None:
    await create(client, alice, world.image, sq(1, 1))
    shared = await create(client, alice, world.image, sq(20, 1), term=world.terms)
    await send(client, bob, "POST", link(shared["id"], world.terms[0]))
    await send(client, alice, "POST", f"/api/imageinstance/{world.image}/review.json")
    await send(client, alice, "POST", f"/api/annotation/{shared['id']}/review.json", json={})
    for i, terms in enumerate(([], world.terms)):
        body = {"location": sq(40 + 20 * i, 1), "image": world.image, "term": terms}
        await send(client, alice, "POST", "/api/algoannotation.json", json=body)
    await db.execute("UPDATE annotation_term SET rate = 0.75 WHERE kind = 'algo'")
    await db.execute("SELECT annotation_terms_relist(array(SELECT id FROM annotation))")
    assert await db.fetchval("SELECT count(*) FROM annotation WHERE terms_listed IS NULL") == 0
    kinds = ({}, {"reviewed": "true"}, {"includeAlgo": "true"}, {"showTerm": "false"})
    before = [await _viewer_listing(client, alice, world, **kind) for kind in kinds]
    assert b'"userByTerm":[{"id"' in before[0]
    assert b'"rate":0.75' in before[2]
    assert b'"rate":null' in before[2]
    await db.execute("UPDATE annotation SET terms_listed = NULL")
    assert [await _viewer_listing(client, alice, world, **kind) for kind in kinds] == before


async def test_the_safety_net_catches_a_writer_that_does_not_relist(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = await create(client, alice, world.image, sq(1, 1), term=[world.terms[0]])
    with monkeypatch.context() as broken:

        async def skipped(conn: asyncpg.Connection, annotation_ids: Any) -> None:
            return None

        broken.setattr(terms_listed, "relist", skipped)
        await send(client, alice, "DELETE", link(made["id"], world.terms[0]))
    assert await stale_terms_listed(database_url) == [made["id"]]
    await send(client, alice, "POST", link(made["id"], world.terms[1]))  # relists again
    assert await stale_terms_listed(database_url) == []
