"""References of annotations and term links: kept by statement-level triggers on insert and
update (migration 0020), and by the store's delete statements with ``removed_cascade`` (0041)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db import queries as q
from server.db.store.accounts import NewAccount
from server.db.store.commands import delete_row
from tests.server.annotation_helpers import World, logged, logged_links, make_world

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

INSERT = logged(
    "INSERT INTO annotation (image_id, slice_id, project_id, user_id, location)"
    " SELECT $1, $2, $3, $4, st_makeenvelope(g, g, g + 10, g + 10, 0)"
    " FROM generate_series(1, $5) AS g"
)
LINK = logged_links(
    "INSERT INTO annotation_term"
    " (annotation_id, term_id, user_id, image_id, project_id, expected_term_id)"
    " SELECT a, $2, $3, $4, $5, $6 FROM unnest($1::bigint[]) AS a"
)


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


async def annotate(db: asyncpg.Connection, w: World, user: int, n: int = 3) -> list[int]:
    """``n`` annotations of ``user`` on the world's image, each with the first term."""
    ids = [r["id"] for r in await db.fetch(INSERT, w.image, w.slice, w.project, user, n)]
    await db.execute(LINK, ids, w.terms[0], user, w.image, w.project, w.terms[1])
    return ids


async def count(db: asyncpg.Connection, table: str, ids: list[int]) -> int:
    column = "id" if table == "annotation" else "annotation_id"
    sql = f"SELECT count(*) FROM {table} WHERE {column} = ANY ($1)"  # noqa: S608
    return int(await db.fetchval(sql, ids))


async def delete(db: asyncpg.Connection, statement: str, ident: int) -> None:
    """Delete one object as the store does: its delete statement, then its cascade."""
    async with db.transaction():
        await delete_row(db, statement, ident, kind="Object")


@pytest.mark.parametrize(
    ("column", "table"),
    [("image", "image_instance"), ("slice", "slice_instance"), ("project", "project")],
)
async def test_an_annotation_naming_a_missing_parent_is_refused(
    db: asyncpg.Connection, world: World, alice: NewAccount, column: str, table: str
) -> None:
    args = {"image": world.image, "slice": world.slice, "project": world.project}
    args[column] = 987654321
    with pytest.raises(asyncpg.ForeignKeyViolationError, match=table) as raised:
        await db.fetch(INSERT, args["image"], args["slice"], args["project"], alice.id, 2)
    assert "987654321" in (raised.value.detail or "")
    assert raised.value.constraint_name == f"annotation_{table}_ref"


async def test_an_annotation_of_a_missing_user_is_refused(
    db: asyncpg.Connection, world: World
) -> None:
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="sec_user"):
        await db.fetch(INSERT, world.image, world.slice, world.project, 987654321, 1)


async def test_a_move_to_a_missing_image_is_refused(
    db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    ids = await annotate(db, world, alice.id, 1)
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="image_instance"):
        await db.execute("UPDATE annotation SET image_id = 987654321 WHERE id = $1", ids[0])


@pytest.mark.parametrize("missing", ["annotation", "term", "expected term"])
async def test_a_term_link_naming_a_missing_parent_is_refused(
    db: asyncpg.Connection, world: World, alice: NewAccount, missing: str
) -> None:
    ids = await annotate(db, world, alice.id, 1)
    annotation, term, expected = ids[0], world.terms[1], None
    if missing == "annotation":
        annotation = 987654321
    elif missing == "term":
        term = 987654321
    else:
        expected = 987654321
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await db.execute(LINK, [annotation], term, alice.id, world.image, world.project, expected)
    assert await db.fetchval("SELECT count(*) FROM annotation_term WHERE term_id = $1", term) == 0


@pytest.mark.parametrize(
    ("statement", "key"),
    [
        (q.IMAGE_INSTANCE_DELETE, "image"),
        (q.SLICE_INSTANCE_DELETE, "slice"),
        (q.PROJECT_DELETE, "project"),
    ],
)
async def test_deleting_a_parent_deletes_its_annotations_and_their_term_links(
    db: asyncpg.Connection, world: World, alice: NewAccount, statement: str, key: str
) -> None:
    ids = await annotate(db, world, alice.id)
    parent = {"image": world.image, "slice": world.slice, "project": world.project}[key]
    await delete(db, statement, parent)
    assert await count(db, "annotation", ids) == 0
    assert await count(db, "annotation_term", ids) == 0


async def test_deleting_annotations_deletes_their_term_links_and_overview_places(
    db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    ids = await annotate(db, world, alice.id)
    for annotation in ids:
        await delete(db, q.ANNOTATION_DELETE, annotation)
    assert await count(db, "annotation_term", ids) == 0
    await db.execute("SELECT annotation_overview_flush($1, true)", world.image)
    left = await db.fetchval(
        "SELECT coalesce(sum(count), 0) FROM annotation_overview WHERE image_id = $1", world.image
    )
    assert left == 0


async def test_deleting_a_term_deletes_its_links_and_clears_it_as_expected_term(
    db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    ids = await annotate(db, world, alice.id)
    await db.execute(LINK, ids, world.terms[1], alice.id, world.image, world.project, None)
    await delete(db, q.TERM_DELETE, world.terms[1])
    rows = await db.fetch(
        "SELECT term_id, expected_term_id FROM annotation_term WHERE annotation_id = ANY ($1)", ids
    )
    assert [(r["term_id"], r["expected_term_id"]) for r in rows] == [(world.terms[0], None)] * 3


@pytest.mark.parametrize("role", ["author", "reviewer", "term giver"])
async def test_a_user_still_named_by_annotations_cannot_be_deleted(
    db: asyncpg.Connection, world: World, alice: NewAccount, bob: NewAccount, role: str
) -> None:
    ids = await annotate(db, world, alice.id, 1)
    if role == "author":
        await annotate(db, world, bob.id, 1)
    elif role == "reviewer":
        await db.execute("UPDATE annotation SET reviewer_id = $1 WHERE id = $2", bob.id, ids[0])
    else:
        await db.execute(LINK, ids, world.terms[1], bob.id, world.image, world.project, None)
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="sec_user"):
        await delete(db, q.USER_DELETE, bob.id)


async def test_deleting_an_image_waits_for_a_writer_then_takes_its_annotations(
    db: asyncpg.Connection, database_url: str, world: World, alice: NewAccount
) -> None:
    writer = await asyncpg.connect(database_url)
    try:
        async with writer.transaction():
            ids = await annotate(writer, world, alice.id)
            deleting = asyncio.create_task(delete(db, q.IMAGE_INSTANCE_DELETE, world.image))
            await asyncio.sleep(0.3)
            assert not deleting.done()  # the writer holds the image row (FOR KEY SHARE)
        await deleting
    finally:
        await writer.close()
    assert await count(db, "annotation", ids) == 0
    assert await count(db, "annotation_term", ids) == 0


async def test_a_writer_after_a_deleted_image_is_refused(
    db: asyncpg.Connection, database_url: str, world: World, alice: NewAccount
) -> None:
    other = await asyncpg.connect(database_url)
    try:
        async with other.transaction():
            await other.execute("DELETE FROM image_instance WHERE id = $1", world.image)
            writing = asyncio.create_task(annotate(db, world, alice.id))
            await asyncio.sleep(0.3)
            assert not writing.done()  # the check waits for the deleting transaction
        with pytest.raises(asyncpg.ForeignKeyViolationError, match="image_instance"):
            await writing
    finally:
        await other.close()
