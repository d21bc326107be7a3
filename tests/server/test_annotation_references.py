"""References of annotations and term links: checked by the statements that write them
(annotation_parents, annotation_term_parents: migration 0047; the bulk COPY after each of its
statements), and kept on deletes by the store's delete statements with ``removed_cascade``
(0041).

Each writing statement is run here with one missing parent: it is refused with the foreign key
error the statement triggers raised before (same SQLSTATE, constraint name and detail), and
writes nothing. ``test_annotation_reference_routes`` does the same through the HTTP routes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import shapely  # type: ignore[import-untyped]
from litestar.testing import AsyncTestClient

from server.db import queries as q
from server.db.store import annotation_copy as cp
from server.db.store import annotation_kinds as kinds
from server.db.store import terms_listed
from server.db.store.accounts import NewAccount
from server.db.store.annotation_rows import Row
from server.db.store.commands import delete_row
from tests.server.annotation_helpers import World, make_world

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

MISSING = 987654321
WKB = shapely.to_wkb(shapely.box(10, 10, 30, 30), output_dimension=2)


@pytest.fixture
async def world(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> World:
    return await make_world(client, db, alice, bob)


def row(w: World, **fields: Any) -> Row:
    """A prepared row on the world's image (fields override), with the first term."""
    values: dict[str, Any] = {
        "image_id": w.image, "slice_id": w.slice, "project_id": w.project, "wkb": WKB,
        "area": 400.0, "area_unit": "pixels²", "perimeter": 80.0, "perimeter_unit": "pixels",
        "terms": [w.terms[0]], "centre_x": 20.0, "centre_y": 20.0,
    }  # fmt: skip
    return Row(**(values | fields))


async def annotate(db: asyncpg.Connection, w: World, user: int, n: int = 3) -> list[int]:
    """``n`` annotations of ``user`` on the world's image, each with the first term, written
    by the store (checked, counted, listed)."""
    rows = [row(w) for _ in range(n)]
    return await kinds.insert(db, rows, kind="user", user_ids=[user] * n, term_user_id=user)


async def written(db: asyncpg.Connection) -> tuple[Any, ...]:
    """What a refused statement must leave as it was: the rows of both tables and the slices
    of the annotations."""
    found = await db.fetchrow(
        "SELECT (SELECT count(*) FROM annotation) AS annotations,"
        " (SELECT coalesce(sum(slice_id), 0) FROM annotation) AS slices,"
        " (SELECT count(*) FROM annotation_term) AS links"
    )
    return tuple(found)


async def count(db: asyncpg.Connection, table: str, ids: list[int]) -> int:
    column = "id" if table == "annotation" else "annotation_id"
    sql = f"SELECT count(*) FROM {table} WHERE {column} = ANY ($1)"  # noqa: S608
    return int(await db.fetchval(sql, ids))


async def delete(db: asyncpg.Connection, statement: str, ident: int) -> None:
    """Delete one object as the store does: its delete statement, then its cascade."""
    async with db.transaction():
        await delete_row(db, statement, ident, kind="Object")


class Scene:
    """The world, Alice's annotation ``mine`` (first term), and the connection to write with."""

    def __init__(self, db: asyncpg.Connection, w: World, alice: NewAccount, mine: int) -> None:
        self.db, self.w, self.alice, self.mine = db, w, alice, mine


Write = Callable[[Scene], Awaitable[Any]]


def _insert(column: str) -> Write:
    """annotation_insert (user annotations: POST, short arrays) with ``column`` missing."""

    async def write(s: Scene) -> None:
        ids = list(await s.db.fetchval(q.ANNOTATION_IDS_ALLOCATE, 2))
        parents = {"image": s.w.image, "slice": s.w.slice, "project": s.w.project}
        user = MISSING if column == "user" else s.alice.id
        parents[column] = MISSING
        await s.db.execute(
            q.ANNOTATION_INSERT, ids, [parents["image"]] * 2, [parents["slice"]] * 2,
            [parents["project"]] * 2, user, [WKB] * 2, [1.0] * 2, ["pixels²"] * 2, [1.0] * 2,
            ["pixels"] * 2, None, [None] * 2,
        )  # fmt: skip

    return write


async def _insert_kind(s: Scene) -> None:
    """A reviewed annotation whose reviewer is missing (algo, reviewed, repeat)."""
    ids = list(await s.db.fetchval(q.ANNOTATION_IDS_ALLOCATE, 1))
    await s.db.execute(
        q.ANNOTATION_INSERT_KIND, ids, [s.w.image], [s.w.slice], [s.w.project], [s.alice.id],
        [WKB], [1.0], ["pixels²"], [1.0], ["pixels"], None, "reviewed", [s.mine], MISSING, 1,
    )  # fmt: skip


async def _undo_insert(s: Scene) -> None:
    """An annotation put back by undo on a slice that is gone."""
    new_id = (await s.db.fetchval(q.ANNOTATION_IDS_ALLOCATE, 1))[0]
    await s.db.execute(
        q.ANNOTATION_UNDO_INSERT, new_id, "2024-01-01T00:00:00Z", s.w.image, MISSING,
        s.w.project, s.alice.id, WKB, 1.0, "pixels²", 1.0, "pixels", 0.0,
    )  # fmt: skip


async def _review_copy(s: Scene) -> None:
    await s.db.execute(q.REVIEW_COPY, [s.mine], MISSING)


async def _update(s: Scene) -> None:
    """An annotation moved (or put back by undo) onto a slice that is gone."""
    await s.db.execute(
        q.ANNOTATION_UPDATE, s.mine, WKB, 1.0, "pixels²", 1.0, "pixels", MISSING, None, s.w.image
    )


def _copy(**fields: Any) -> Write:
    """The bulk COPY of arrays and imports, one row with ``fields`` changed."""

    async def write(s: Scene) -> None:
        rows = [row(s.w, **fields)]
        allocated = await cp.allocate_ids(s.db, 1 + cp.link_count(rows))
        ids, links = allocated[:1], allocated[1:]
        users = [s.alice.id]
        sizes = {r.image_id: (1000, 800) for r in rows}
        batch = (
            cp.encode_annotations(ids, users, rows, 0.0, links),
            cp.encode_terms(ids, users, rows, links)[0],
            cp.encode_overview(users, rows, sizes),
            cp.tally(rows),
            cp.parents(users, rows),
        )

        async def batches() -> AsyncIterator[cp.Batch]:
            yield batch

        async with s.db.transaction():
            await cp.count_added(s.db, await cp.copy_batches(s.db, batches()))

    return write


async def _term_add(s: Scene, term: int, user: int) -> None:
    await s.db.execute(q.ANNOTATION_TERM_ADD, s.mine, term, user)


async def _term_insert(s: Scene) -> None:
    await s.db.execute(q.ANNOTATION_TERM_INSERT, [s.mine], [MISSING], s.alice.id, None, [s.w.image])


async def _term_undo_insert(s: Scene) -> None:
    link = (await s.db.fetchval(q.ANNOTATION_IDS_ALLOCATE, 1))[0]
    await s.db.execute(q.ANNOTATION_TERM_UNDO_INSERT, link, s.mine, s.w.terms[1], MISSING)


async def _term_undo_restore(s: Scene) -> None:
    """The links of an annotation put back by undo, one of them by a user who is gone."""
    link = (await s.db.fetchval(q.ANNOTATION_IDS_ALLOCATE, 1))[0]
    await s.db.execute(
        q.ANNOTATION_TERM_UNDO_RESTORE, s.mine, [link], [s.w.terms[1]], [MISSING],
        ["2024-01-01T00:00:00Z"],
    )  # fmt: skip


async def _review_terms_copy(s: Scene) -> None:
    copied = await s.db.fetch(q.REVIEW_COPY, [s.mine], s.alice.id)
    await s.db.execute(q.REVIEW_TERMS_COPY, [copied[0]["id"]], MISSING)


async def _bulk_term(s: Scene) -> None:
    await s.db.fetchrow(
        q.ANNOTATION_BULK_TERM, s.w.project, None, None, None, None, s.alice.id, True, False,
        [MISSING], "add",
    )  # fmt: skip


WRITES: dict[str, tuple[Write, str]] = {
    "insert, image": (_insert("image"), "annotation_image_instance_ref"),
    "insert, slice": (_insert("slice"), "annotation_slice_instance_ref"),
    "insert, project": (_insert("project"), "annotation_project_ref"),
    "insert, user": (_insert("user"), "annotation_sec_user_ref"),
    "insert of a kind, reviewer": (_insert_kind, "annotation_sec_user_ref"),
    "undo insert, slice": (_undo_insert, "annotation_slice_instance_ref"),
    "review copy, reviewer": (_review_copy, "annotation_sec_user_ref"),
    "update, slice": (_update, "annotation_slice_instance_ref"),
    "bulk COPY, image": (_copy(image_id=MISSING), "annotation_image_instance_ref"),
    "bulk COPY, slice": (_copy(slice_id=MISSING), "annotation_slice_instance_ref"),
    "bulk COPY, project": (_copy(project_id=MISSING), "annotation_project_ref"),
    "bulk COPY, link term": (_copy(terms=[MISSING]), "annotation_term_term_ref"),
    "term add, term": (lambda s: _term_add(s, MISSING, s.alice.id), "annotation_term_term_ref"),
    "term add, user": (
        lambda s: _term_add(s, s.w.terms[1], MISSING), "annotation_term_sec_user_ref"
    ),
    "term insert, term": (_term_insert, "annotation_term_term_ref"),
    "term undo insert, user": (_term_undo_insert, "annotation_term_sec_user_ref"),
    "term undo restore, user": (_term_undo_restore, "annotation_term_sec_user_ref"),
    "review terms copy, reviewer": (_review_terms_copy, "annotation_term_sec_user_ref"),
    "bulk term, term": (_bulk_term, "annotation_term_term_ref"),
}  # fmt: skip
"""Every statement that writes annotations or term links, with a missing parent, and the
constraint it is refused for."""


@pytest.mark.parametrize("case", list(WRITES))
async def test_a_write_naming_a_missing_parent_is_refused_and_writes_nothing(
    db: asyncpg.Connection, world: World, alice: NewAccount, case: str
) -> None:
    scene = Scene(db, world, alice, (await annotate(db, world, alice.id, 1))[0])
    write, constraint = WRITES[case]
    if case == "review terms copy, reviewer":  # its reviewed copy is written first
        before = await db.fetchval("SELECT count(*) FROM annotation_term")
    else:
        before = await written(db)
    with pytest.raises(asyncpg.ForeignKeyViolationError) as raised:
        await write(scene)
    assert raised.value.constraint_name == constraint
    assert f"Key (id)=({MISSING}) is not present" in (raised.value.detail or "")
    if case == "review terms copy, reviewer":
        assert await db.fetchval("SELECT count(*) FROM annotation_term") == before
    else:
        assert await written(db) == before


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        ((MISSING, MISSING, MISSING, MISSING), "image_instance"),
        ((None, MISSING, MISSING, MISSING), "slice_instance"),
        ((None, None, MISSING, MISSING), "project"),
        ((None, None, None, MISSING), "sec_user"),
    ],
)
async def test_annotation_parents_refuses_in_the_order_of_the_triggers_it_replaces(
    db: asyncpg.Connection, args: tuple[int | None, ...], missing: str
) -> None:
    arrays = [None if a is None else [a] for a in args]
    with pytest.raises(asyncpg.ForeignKeyViolationError) as raised:
        await db.execute("SELECT annotation_parents($1, $2, $3, $4)", *arrays)
    assert raised.value.constraint_name == f"annotation_{missing}_ref"


async def test_the_checks_take_repeats_nulls_and_empty_columns(
    db: asyncpg.Connection, world: World, alice: NewAccount
) -> None:
    mine = await annotate(db, world, alice.id, 2)
    await db.execute(
        "SELECT annotation_parents($1, $2, $3, $4)",
        [world.image, world.image], [world.slice, None], [], [alice.id, None, alice.id],
    )  # fmt: skip
    await db.execute(
        "SELECT annotation_term_parents($1, $2, $3, $4)",
        [world.image] * 3, [*mine, None], [world.terms[0], world.terms[0], None], None,
    )  # fmt: skip


@pytest.mark.parametrize("which", ["missing", "on another image"])
async def test_a_term_link_naming_an_annotation_absent_from_its_image_is_refused(
    db: asyncpg.Connection, world: World, alice: NewAccount, which: str
) -> None:
    """Links name their annotation with its image (the lookup of one image's annotations
    names that image, which a cluster runs on one node)."""
    (mine,) = await annotate(db, world, alice.id, 1)
    image, annotation = (world.image, MISSING) if which == "missing" else (MISSING, mine)
    with pytest.raises(asyncpg.ForeignKeyViolationError) as raised:
        await db.execute(
            "SELECT annotation_term_parents($1, $2, NULL, NULL)", [image], [annotation]
        )
    assert raised.value.constraint_name == "annotation_term_annotation_ref"
    assert f"Key (id)=({annotation})" in (raised.value.detail or "")


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
    await db.execute(
        "UPDATE annotation_term SET expected_term_id = $1 WHERE annotation_id = ANY ($2)",
        world.terms[1],
        ids,
    )
    await db.execute(
        q.ANNOTATION_TERM_INSERT, ids, [world.terms[1]] * 3, alice.id, None, [world.image] * 3
    )
    await terms_listed.relist(db, ids)
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
        await db.execute(q.REVIEW_COPY, ids, bob.id)
    else:
        await db.execute(
            q.ANNOTATION_TERM_INSERT, ids, [world.terms[1]], bob.id, None, [world.image]
        )
        await terms_listed.relist(db, ids)
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
            assert not deleting.done()  # the writer's check holds the image row (FOR KEY SHARE)
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
    assert await db.fetchval("SELECT count(*) FROM annotation") == 0


SERVER = Path(q.__file__).resolve().parents[1]
REFERENCES = {
    "annotation": (("annotation_parents(",), "image_id|slice_id|project_id|user_id|reviewer_id"),
    "annotation_term": (
        ("annotation_term_parents(", "annotation_term_links_added("),
        "annotation_id|term_id|expected_term_id|user_id",
    ),
}
"""Each annotation table, the checks its writers call (one of them), and its reference columns."""


def _writes_references(code: str, table: str) -> bool:
    """Whether SQL text inserts rows into ``table`` or sets one of its reference columns to
    something other than NULL."""
    if re.search(rf"\bINSERT\s+INTO\s+{table}\b", code, re.IGNORECASE):
        return True
    columns = REFERENCES[table][1]
    for update in re.finditer(
        rf"\bUPDATE\s+(?:ONLY\s+)?{table}\b(?:\s+(?:AS\s+)?\w+)?\s+SET\b(.*?)"
        r"(?:\bWHERE\b|\bFROM\b|\bRETURNING\b|;|$)",
        code,
        re.IGNORECASE | re.DOTALL,
    ):
        assigned = rf"(?:^|[\s,(.])(?:{columns})\s*=(?!\s*NULL\b)"
        if re.search(assigned, update[1], re.IGNORECASE):
            return True
    return False


@pytest.mark.parametrize(
    ("text", "table", "writes"),
    [
        ("WITH a AS (INSERT INTO annotation_term (id) VALUES (1))", "annotation_term", True),
        ("INSERT INTO annotation_term (id) VALUES (1)", "annotation", False),
        ("UPDATE annotation AS a SET slice_id = $2 WHERE id = $1", "annotation", True),
        ("UPDATE annotation SET terms_listed = $2 WHERE id = $1", "annotation", False),
        ("UPDATE annotation_term SET expected_term_id = NULL", "annotation_term", False),
        ("UPDATE annotation_term SET expected_term_id = $1", "annotation_term", True),
    ],
)
def test_writes_of_references_are_recognised(text: str, table: str, writes: bool) -> None:
    assert _writes_references(text, table) is writes


def test_every_statement_writing_annotations_or_links_checks_their_references() -> None:
    """Statement files and functions of the repeatable layer: no foreign key or trigger checks
    what they write, so each calls its table's check."""
    paths = [
        *sorted(q.SQL_DIR.rglob("*.sql")),
        *sorted((SERVER / "db" / "repeatable").glob("*.sql")),
    ]
    unchecked = []
    for path in paths:
        code = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        for table, (checks, _) in REFERENCES.items():
            if _writes_references(code, table) and not any(c in code for c in checks):
                unchecked.append(f"{path.relative_to(SERVER)} writes {table}")
    assert unchecked == []


def test_the_bulk_copy_is_the_one_python_writer() -> None:
    """Only ``annotation_copy`` COPYs rows in, and its ``copy_batches`` checks each statement
    (the COPY cases above)."""
    pattern = re.compile(r"\bcopy_(?:to_table|records_to_table|annotations|terms)\(")
    writers = {
        path.relative_to(SERVER).as_posix()
        for path in SERVER.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert writers == {"db/store/annotation_copy.py"}
