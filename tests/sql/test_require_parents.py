"""The reference checks of annotation writes, in place of foreign keys (``require_parents``).

Each table the schema checks has its lookup written out (a plan the session keeps); any other
table is looked up by a query built for it. Both refuse the same way.
"""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import make_image, make_world
from tests.server.image_helpers import make_storage
from tests.server.project_helpers import make_project

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

# A table of each kind the annotation writes name, and one they do not (the built query).
PARENTS = ("image_instance", "slice_instance", "project", "sec_user", "term", "storage")

# Called once by every statement writing annotations or term links: a LANGUAGE sql function's
# statements are planned again on every call, a PL/pgSQL function's once per session.
PER_STATEMENT = (
    "annotation_overview_apply",
    "annotation_overview_rows",
    "annotation_overview_links",
    "annotation_rows_written",
    "annotation_parents",
    "annotation_term_parents",
    "annotation_term_links_added",
    "annotation_count_change",
    "require_parents",
    "require_annotations",
)


async def _ids(db: asyncpg.Connection, table: str) -> list[int]:
    """Ids of two rows of ``table``."""
    ids = [r["id"] for r in await db.fetch(f"SELECT id FROM {table} ORDER BY id LIMIT 2")]
    assert len(ids) == 2, table
    return ids


@pytest.fixture
async def filled(
    client: AsyncTestClient,  # type: ignore[type-arg]
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
) -> asyncpg.Connection:
    """Two rows in each parent table: users, terms, projects, images (and slices), storages."""
    world = await make_world(client, db, alice, bob)
    await make_image(db, world.project, alice.id)
    await make_project(client, alice, "P2")
    for name in ("S1", "S2"):
        await make_storage(client, alice, name)
    return db


@pytest.mark.parametrize("table", PARENTS)
async def test_present_ids_pass_with_repeats_and_nulls(
    filled: asyncpg.Connection, table: str
) -> None:
    a, b = await _ids(filled, table)
    async with filled.transaction():
        await filled.execute("SELECT require_parents($1, $2, 'child')", table, [a, b, a, None])
        await filled.execute("SELECT require_parents($1, $2, 'child')", table, [])
        await filled.execute("SELECT require_parents($1, $2, 'child')", table, [None])


@pytest.mark.parametrize("table", PARENTS)
async def test_a_missing_id_is_refused_as_a_foreign_key_would(
    filled: asyncpg.Connection, table: str
) -> None:
    a, _ = await _ids(filled, table)
    gone = int(await filled.fetchval(f"SELECT max(id) FROM {table}")) + 1000
    with pytest.raises(asyncpg.ForeignKeyViolationError) as caught:
        await filled.execute(
            "SELECT require_parents($1, $2, 'child')", table, [a, gone + 1, gone, None]
        )
    assert caught.value.constraint_name == f"child_{table}_ref"
    assert caught.value.detail == f'Key (id)=({gone}) is not present in table "{table}".'


async def test_the_helpers_each_write_calls_keep_their_plans(db: asyncpg.Connection) -> None:
    languages = dict(
        await db.fetch(
            "SELECT p.proname, l.lanname FROM pg_proc AS p JOIN pg_language AS l"
            " ON l.oid = p.prolang WHERE p.proname = ANY ($1::text [])",
            list(PER_STATEMENT),
        )
    )
    assert languages == dict.fromkeys(PER_STATEMENT, "plpgsql")
