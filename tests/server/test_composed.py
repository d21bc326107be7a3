"""Statements composed from SQL fragments: named parameters numbered and typed once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.db import annotation_list_sql as listing_sql
from server.db.composed import Fragment, compose, read
from server.db.pool import STATEMENT_CACHE_BYTES

SKELETON = """-- A skeleton.
-- $kind text

SELECT id FROM annotation AS a
WHERE
    a.kind = $kind
    AND /*filters*/
"""


def fragment(tmp_path: Path, name: str, text: str) -> Fragment:
    path = tmp_path / f"{name}.sql"
    path.write_text(text, encoding="utf-8")
    return read(path)


def test_parameters_are_numbered_in_order_of_use_and_cast_at_every_use(tmp_path: Path) -> None:
    skeleton = fragment(tmp_path, "skeleton", SKELETON)
    users = fragment(tmp_path, "users", "-- Users.\n-- $users bigint[]\n\n(\n    $users IS NULL\n)")
    project = fragment(tmp_path, "project", "-- $project bigint\n($project IS NULL)")
    statement = compose("probe", skeleton, {"filters": [users, project]})
    assert statement.names == ("kind", "users", "project")
    body = statement.text.split("\nSELECT", 1)[1]
    assert "a.kind = $1::text" in body
    assert "AND (\n        $2::bigint[] IS NULL\n    )\n    AND ($3::bigint IS NULL)" in body
    assert statement.bind({"project": 7, "kind": "user", "users": None, "extra": 1}) == [
        "user",
        None,
        7,
    ]


def test_a_missing_value_names_the_parameter(tmp_path: Path) -> None:
    statement = compose("probe", fragment(tmp_path, "s", SKELETON), {"filters": "true"})
    with pytest.raises(KeyError, match="probe needs values for kind"):
        statement.bind({})


def test_an_undeclared_parameter_fails_at_composition(tmp_path: Path) -> None:
    skeleton = fragment(tmp_path, "skeleton", SKELETON)
    typo = fragment(tmp_path, "typo", "-- $user bigint\na.user_id = $users")
    with pytest.raises(ValueError, match=r"\$users is used but not declared"):
        compose("probe", skeleton, {"filters": [typo]})


def test_one_parameter_declared_with_two_types_fails(tmp_path: Path) -> None:
    skeleton = fragment(tmp_path, "skeleton", SKELETON)
    other = fragment(tmp_path, "other", "-- $kind bigint\n$kind > 0")
    with pytest.raises(ValueError, match=r"\$kind is text and bigint"):
        compose("probe", skeleton, {"filters": [other]})


def test_a_slot_must_appear_once(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        compose("probe", fragment(tmp_path, "s", SKELETON), {"source": "true"})


def test_every_listing_statement_is_fully_numbered() -> None:
    for statement in listing_sql.STATEMENTS:
        assert re.search(r"\$[a-z_]", statement.text) is None, statement.name
        body = statement.text.split("\nWITH", 1)[1]
        assert f"${len(statement.names)}::" in body
        assert f"${len(statement.names) + 1}::" not in body


def test_every_listing_statement_fits_the_pool_statement_cache() -> None:
    # A longer text is prepared, parsed and planned again on every call.
    for statement in listing_sql.STATEMENTS:
        assert len(statement.text.encode()) <= STATEMENT_CACHE_BYTES, statement.name
        assert "\n--" not in statement.text.split("\nWITH", 1)[1], statement.name
