"""The schema avoids what Citus refuses on distributed and reference tables (docs/scale-out.md).

Each rule is in ``citus_rules`` with the page of Citus's documentation it comes from; the
schema and every statement file break none of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest

from server.db import queries
from tests.sql import citus_rules as rules
from tests.sql.citus_rules import Violation

pytestmark = [pytest.mark.anyio, pytest.mark.pg]


async def _violations(db: asyncpg.Connection) -> list[Violation]:
    found = [
        *await rules.key_violations(db),
        *await rules.foreign_key_violations(db),
        *await rules.trigger_violations(db),
        *await rules.column_violations(db),
    ]
    texts = rules.statement_texts(queries.SQL_DIR) | await rules.function_texts(db)
    for name, text in texts.items():
        found += rules.text_violations(name, text)
    return found


async def test_the_schema_avoids_what_citus_refuses(db: asyncpg.Connection) -> None:
    found = [f"{v.key}: {v.message}" for v in await _violations(db)]
    assert found == [], "constructs Citus refuses (docs/scale-out.md):\n" + "\n".join(found)


async def test_the_plan_names_every_table_once(db: asyncpg.Connection) -> None:
    existing = await rules.tables(db)
    planned = [*rules.DISTRIBUTED, *rules.REFERENCE]
    assert len(set(planned)) == len(planned)
    assert sorted(set(planned) - existing) == []


async def test_the_annotation_tables_keep_their_keys_with_image_id(
    db: asyncpg.Connection,
) -> None:
    """The key of an annotation, a term link and a track link is (id, image_id), and the
    track link names its annotation by both columns."""
    keys = await db.fetch(
        "SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def"
        " FROM pg_constraint WHERE contype IN ('p', 'f')"
        " AND conrelid::regclass::text IN ('annotation', 'annotation_term', 'annotation_track')"
    )
    defs = {(r["tbl"], r["def"]) for r in keys}
    assert ("annotation", "PRIMARY KEY (id, image_id)") in defs
    assert ("annotation_term", "PRIMARY KEY (id, image_id)") in defs
    assert (
        "annotation_track",
        "FOREIGN KEY (image_id, annotation_id) REFERENCES annotation(image_id, id)"
        " ON DELETE CASCADE",
    ) in defs


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("SELECT a.* FROM annotation AS a JOIN k ON a.ctid = k.tid", "ctid s"),
        ("UPDATE annotation SET image_id = $2 WHERE id = $1", "update s"),
        ("UPDATE annotation_term AS t SET kind = 'x', image_id = 3 FROM y", "update s"),
    ],
)
def test_a_statement_using_ctid_or_moving_a_row_to_another_image_is_caught(
    text: str, key: str
) -> None:
    assert [v.key for v in rules.text_violations("s", text)] == [key]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT a.id FROM annotation AS a WHERE a.id = $1 FOR UPDATE",
        "SELECT 1 FROM annotation_term WHERE image_id = ANY($2) AND id = $1 FOR KEY SHARE",
        "WITH t AS (SELECT a.id FROM annotation AS a JOIN project AS p ON p.id = a.project_id"
        " WHERE a.project_id = $1 AND (a.image_id = $2 OR $2 IS NULL) FOR KEY SHARE OF a)"
        " SELECT * FROM t",
        "SELECT 1 FROM annotation AS a WHERE a.image_id = (SELECT 3) AND a.id = 1 FOR SHARE",
    ],
)
def test_a_row_lock_of_a_distributed_table_naming_no_single_image_is_caught(text: str) -> None:
    assert [v.key for v in rules.text_violations("s", text)] == ["lock s"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT a.id FROM annotation AS a WHERE a.id = $1 AND a.image_id = $2 FOR UPDATE",
        "SELECT count(*) INTO found FROM (SELECT 1 FROM annotation AS a"
        " WHERE a.image_id = img AND a.id = ANY (wanted) FOR KEY SHARE) AS p",
        "SELECT a.id FROM annotation AS a JOIN project AS p ON p.id = a.project_id"
        " WHERE p.id = $1 FOR UPDATE OF p",
        "SELECT p.after_id FROM annotation_terms_relist_progress AS p FOR UPDATE SKIP LOCKED",
        "UPDATE annotation SET slice_id = 1 WHERE id = $1; SELECT 1 FROM project FOR UPDATE",
    ],
)
def test_row_locks_naming_one_image_or_of_other_tables_pass(text: str) -> None:
    assert rules.text_violations("s", text) == []


@pytest.mark.parametrize(
    "text",
    [
        "-- no ctid here\nSELECT 1",
        "UPDATE annotation SET slice_id = $2 WHERE image_id = $3",
        "UPDATE project SET image_id = 1",
    ],
)
def test_comments_other_columns_and_other_tables_are_not_flagged(text: str) -> None:
    assert rules.text_violations("s", text) == []


DISTRIBUTE_SCRIPT = Path(__file__).parents[2] / "scripts" / "citus" / "distribute.sql"
"""What the compose ``citus`` profile runs on the coordinator."""


def _script_calls(function: str) -> list[str]:
    text = DISTRIBUTE_SCRIPT.read_text(encoding="utf-8")
    return re.findall(rf"{function}\(\s*'(\w+)'", text)


def test_the_cluster_script_distributes_the_planned_tables() -> None:
    assert sorted(_script_calls("create_distributed_table")) == sorted(rules.DISTRIBUTED)
    assert sorted(_script_calls("create_reference_table")) == sorted(rules.REFERENCE)


async def test_the_cluster_script_makes_each_reference_table_after_those_it_references(
    db: asyncpg.Connection,
) -> None:
    order = _script_calls("create_reference_table")
    links = await db.fetch(
        "SELECT conrelid::regclass::text AS src, confrelid::regclass::text AS dst"
        " FROM pg_constraint WHERE contype = 'f'"
    )
    early = [
        f"{r['src']} before {r['dst']}"
        for r in links
        if r["src"] in order and r["dst"] in order and order.index(r["src"]) < order.index(r["dst"])
    ]
    assert early == []


def test_the_cluster_script_leaves_citus_refusing_unsafe_triggers() -> None:
    """No trigger is left on the planned tables (the schema check above), so the cluster keeps
    Citus's default and refuses any new one."""
    code = re.sub(r"--[^\n]*", "", DISTRIBUTE_SCRIPT.read_text(encoding="utf-8"))
    assert "enable_unsafe_triggers" not in code
