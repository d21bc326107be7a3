"""The HTTP layer parses, calls the store and answers: no handler runs a statement itself.

import-linter keeps ``server.http`` from importing the statements (``pyproject.toml``); this
test catches what it cannot see, a statement run on a connection from an HTTP module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import server.http

RUNS_SQL = frozenset(
    {
        "fetch",
        "fetchrow",
        "fetchval",
        "execute",
        "executemany",
        "cursor",
        "prepare",
        "copy_from_query",
        "copy_from_table",
        "copy_records_to_table",
        "copy_to_table",
    }
)
HTTP = Path(server.http.__file__).parent


def _imported_names(tree: ast.Module) -> set[str]:
    """Names a module binds by importing (``job_runs.execute`` is a store function)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def statement_calls(source: str) -> list[str]:
    """``<line>: <receiver>.<method>`` of each connection method that runs SQL."""
    tree = ast.parse(source)
    modules = _imported_names(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        if node.func.attr in RUNS_SQL and not (
            isinstance(receiver, ast.Name) and receiver.id in modules
        ):
            found.append((node.lineno, f"{ast.unparse(receiver)}.{node.func.attr}"))
    return [f"{line}: {call}" for line, call in sorted(found)]


def test_no_http_module_runs_a_statement() -> None:
    offending = {
        path.name: calls
        for path in sorted(HTTP.glob("*.py"))
        if (calls := statement_calls(path.read_text(encoding="utf-8")))
    }
    assert offending == {}, f"move these statements into server/db/store: {offending}"


def test_the_check_sees_a_statement_on_a_connection() -> None:
    source = (
        "from server.db.store import job_runs\n"
        "async def f(conn, runtime):\n"
        "    await job_runs.execute(conn, 1, 2)\n"
        "    async with runtime.acquire() as c:\n"
        "        await c.fetchrow('SELECT 1')\n"
        "    await runtime.pool.execute('SELECT 1')\n"
    )
    assert statement_calls(source) == ["5: c.fetchrow", "6: runtime.pool.execute"]
