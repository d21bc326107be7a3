"""An override folder replaces shipped statements of the same name, for one backend."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server.db import queries
from server.db.store.accounts import NewAccount
from server.settings import Settings, load_settings

SERVER = Path(queries.__file__).resolve().parents[1]
# The term's name in capitals: visible in the answer, same columns as the shipped statement.
UPPER_TERM = """SELECT (row_to_json(v)::jsonb || jsonb_build_object('name', upper(v.name)))::text
FROM api_term AS v
WHERE v.id = $1
"""


@pytest.fixture
def restore_statements() -> Iterator[None]:
    yield
    queries.use_overrides(None)


def test_a_file_of_the_same_name_replaces_the_statement_until_reset(
    tmp_path: Path, restore_statements: None
) -> None:
    shipped = queries.TERM_BY_ID
    (tmp_path / "term_by_id.sql").write_text(UPPER_TERM)
    assert queries.use_overrides(str(tmp_path)) == ["term_by_id"]
    assert queries.TERM_BY_ID == UPPER_TERM
    assert (queries.SQL_DIR / "term_list.sql").read_text() == queries.TERM_LIST
    assert queries.use_overrides(None) == []
    assert shipped == queries.TERM_BY_ID


def test_a_file_that_names_no_statement_is_refused(
    tmp_path: Path, restore_statements: None
) -> None:
    (tmp_path / "term_by_idd.sql").write_text(UPPER_TERM)
    with pytest.raises(ValueError, match="term_by_idd"):
        queries.use_overrides(str(tmp_path))


def test_a_missing_folder_is_refused(tmp_path: Path, restore_statements: None) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        queries.use_overrides(str(tmp_path / "nowhere"))


def test_the_folder_is_a_setting() -> None:
    settings = load_settings({"LAMINA_SQL_OVERRIDES": "/srv/sql"})
    assert settings.sql_overrides == "/srv/sql"


def _statements_read_at_import(path: Path) -> list[str]:
    """``q.NAME`` / ``queries.NAME`` read outside any function of the module at ``path``."""
    found: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function = True
        if (
            not in_function
            and isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("q", "queries")
            and node.attr.isupper()
        ):
            found.append(f"{path.relative_to(SERVER.parent)}:{node.lineno} {node.attr}")
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(ast.parse(path.read_text()), in_function=False)
    return found


def test_no_module_keeps_a_statement_read_at_import() -> None:
    """A copy taken at import would keep the shipped text after an override."""
    found = [
        hit for path in sorted(SERVER.rglob("*.py")) for hit in _statements_read_at_import(path)
    ]
    assert found == []


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    (tmp_path / "term_by_id.sql").write_text(UPPER_TERM)
    return Settings(database_url=database_url, auth_cache_seconds=0.0, sql_overrides=str(tmp_path))


@pytest.mark.anyio
@pytest.mark.pg
async def test_the_server_answers_with_the_overriding_statement(
    client: AsyncTestClient,  # type: ignore[type-arg]
    as_user: Any,
    alice: NewAccount,
    restore_statements: None,
) -> None:
    auth = as_user(alice)
    r = await client.post("/api/ontology.json", json={"name": "Histo"}, auth=auth)
    assert r.status_code == 200, r.text
    ontology = r.json()["ontology"]["id"]
    body = {"name": "Tumour", "color": "#00FF7f", "ontology": ontology}
    r = await client.post("/api/term.json", json=body, auth=auth)
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/term/{r.json()['term']['id']}.json", auth=auth)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "TUMOUR"
