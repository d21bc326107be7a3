"""What Citus refuses on distributed and reference tables, checked against the migrated schema.

The distribution plan (docs/scale-out.md): the annotation tables are distributed by
``image_id`` and co-located; the tables they reference, and the small shared tables their
statements join, are reference tables (one copy on every node); everything else stays on the
coordinator. The rules come from Citus's documentation (each cites its page):

- DDL: https://docs.citusdata.com/en/stable/develop/reference_ddl.html
  a primary key, unique constraint or unique index (exclusion constraint: with ``=``) of a
  distributed table includes the distribution column; a foreign key between distributed
  tables joins the distribution columns at the same position (co-located tables); from a
  distributed table it may otherwise only reach a reference table; a reference or local table
  never references a distributed one, and a reference table only references reference tables;
  with the distribution column in a foreign key, no ``ON DELETE SET NULL | SET DEFAULT`` and no
  ``ON UPDATE SET NULL | SET DEFAULT | CASCADE``; the distribution column is ``NOT NULL``.
- Triggers: https://docs.citusdata.com/en/stable/develop/reference_ddl.html#triggers and
  https://docs.citusdata.com/en/stable/extra/triggers.html
  a trigger on a distributed or reference table is refused unless
  ``citus.enable_unsafe_triggers`` is on, and then it runs on each shard: a statement-level
  trigger's transition tables hold one shard's rows, and what it writes elsewhere is written
  from a worker outside the distributed transaction.
- DML: https://docs.citusdata.com/en/stable/develop/reference_dml.html
  an UPDATE never changes the distribution column ("modifying the partition value of rows is
  not allowed").
- SQL: https://docs.citusdata.com/en/stable/develop/reference_workarounds.html
  a ``ctid`` names a row of one shard on one node: no join or lookup by ``ctid``.
- Row locks: https://docs.citusdata.com/en/stable/develop/reference_workarounds.html
  ``SELECT ... FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE`` on a distributed table runs
  only as a query of one shard (Citus's planner: "could not run distributed query with
  FOR UPDATE/SHARE commands"): the query names one value of the distribution column. Row locks
  of reference tables are taken on every node and are allowed.
- Sequences and identity: https://docs.citusdata.com/en/stable/develop/reference_ddl.html
  identity and sequence-default columns of distributed tables are ``bigint`` (Citus gives
  each node its own range of a bigint sequence; smaller ones are refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

DISTRIBUTION_COLUMN = "image_id"

DISTRIBUTED = (
    "annotation",
    "annotation_link",
    "annotation_overview",
    "annotation_overview_delta",
    "annotation_overview_version",
    "annotation_term",
    "annotation_track",
)
"""Distributed by image_id and co-located: an image's annotations, term links, track and
group links and overview aggregates live on one node, so every per-image statement (the
viewer's window, an import, an overview flush) runs on that node alone."""

REFERENCE = (
    "abstract_image",
    "abstract_slice",
    "annotation_group",
    "image_group",
    "image_instance",
    "image_server",
    "ontology",
    "project",
    "project_member",
    "relation",
    "relation_term",
    "sec_role",
    "sec_user",
    "sec_user_sec_role",
    "shared_annotation",
    "slice_instance",
    "storage",
    "storage_member",
    "term",
    "track",
    "uploaded_file",
)
"""Copied to every node: what the distributed tables reference (a reference table may only
reference reference tables, so the closure), and the small shared tables the annotation
statements join for access rights, terms and users."""


@dataclass(frozen=True)
class Violation:
    """One construct Citus would refuse; ``key`` names it in the allow-list."""

    key: str
    message: str


_UNIQUE_INDEXES = """
SELECT c.relname AS tbl, i.relname AS idx,
    array(SELECT a.attname FROM unnest(x.indkey) AS k (n)
        JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = k.n) AS cols,
    x.indexprs IS NOT NULL AS has_expressions
FROM pg_index AS x
JOIN pg_class AS c ON c.oid = x.indrelid
JOIN pg_class AS i ON i.oid = x.indexrelid
WHERE x.indisunique AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
"""

_EXCLUSIONS = """
SELECT c.relname AS tbl, k.conname AS name,
    array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u (n, o)
        JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS cols,
    array(SELECT o.oprname FROM unnest(k.conexclop) WITH ORDINALITY AS u (op, p)
        JOIN pg_operator AS o ON o.oid = u.op ORDER BY u.p) AS ops
FROM pg_constraint AS k
JOIN pg_class AS c ON c.oid = k.conrelid
WHERE k.contype = 'x' AND c.relnamespace = 'public'::regnamespace
"""

_FOREIGN_KEYS = """
SELECT k.conname AS name, c.relname AS src, f.relname AS dst,
    array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u (n, o)
        JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS cols,
    array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u (n, o)
        JOIN pg_attribute AS a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)
        AS ref_cols,
    k.confdeltype AS on_delete, k.confupdtype AS on_update
FROM pg_constraint AS k
JOIN pg_class AS c ON c.oid = k.conrelid
JOIN pg_class AS f ON f.oid = k.confrelid
WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace
"""

_TRIGGERS = """
SELECT c.relname AS tbl, t.tgname AS name, t.tgfoid::regproc::text AS fn,
    t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL AS transition,
    (t.tgtype & 1) = 1 AS per_row
FROM pg_trigger AS t
JOIN pg_class AS c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
"""

_COLUMNS = """
SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
    a.attnotnull AS not_null, a.attidentity <> '' AS identity,
    coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS from_sequence
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relnamespace = 'public'::regnamespace
    AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)
"""

_FUNCTIONS = """
SELECT p.proname AS name, p.prosrc AS body
FROM pg_proc AS p
WHERE p.pronamespace = 'public'::regnamespace
    AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend AS d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    )
"""

_TABLES = """
SELECT c.relname AS tbl FROM pg_class AS c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
"""


async def key_violations(conn: asyncpg.Connection) -> list[Violation]:
    """Unique indexes (primary keys and unique constraints included) and exclusion
    constraints of distributed tables that leave out the distribution column."""
    found = []
    for row in await conn.fetch(_UNIQUE_INDEXES, list(DISTRIBUTED)):
        if DISTRIBUTION_COLUMN not in row["cols"]:
            cols = ", ".join(row["cols"])
            what = "an expression index" if row["has_expressions"] else f"({cols})"
            found.append(
                Violation(
                    f"unique {row['tbl']}.{row['idx']}",
                    f"unique index {row['idx']} on {row['tbl']} is {what} without "
                    f"{DISTRIBUTION_COLUMN}: Citus refuses a unique key of a distributed table "
                    "that leaves out the distribution column",
                )
            )
    for row in await conn.fetch(_EXCLUSIONS):
        if row["tbl"] not in DISTRIBUTED:
            continue
        pairs = dict(zip(row["cols"], row["ops"], strict=True))
        if pairs.get(DISTRIBUTION_COLUMN) != "=":
            found.append(
                Violation(
                    f"exclusion {row['tbl']}.{row['name']}",
                    f"exclusion constraint {row['name']} on {row['tbl']} does not compare "
                    f"{DISTRIBUTION_COLUMN} with =",
                )
            )
    return found


def _placement_problem(src: str, dst: str, cols: list[str], ref_cols: list[str]) -> str | None:
    """Why Citus refuses a foreign key between these two tables under the plan, or None."""
    if dst in DISTRIBUTED and src not in DISTRIBUTED:
        return f"{src} is not distributed and references the distributed table {dst}"
    if src in REFERENCE and dst not in REFERENCE:
        return f"the reference table {src} references {dst}, which is not a reference table"
    if src not in DISTRIBUTED or dst in REFERENCE:
        return None
    if dst not in DISTRIBUTED:
        return f"the distributed table {src} references {dst}, which is not a reference table"
    if DISTRIBUTION_COLUMN not in cols or DISTRIBUTION_COLUMN not in ref_cols:
        return f"joins {src} to {dst} without {DISTRIBUTION_COLUMN} on both sides"
    if cols.index(DISTRIBUTION_COLUMN) != ref_cols.index(DISTRIBUTION_COLUMN):
        return f"names {DISTRIBUTION_COLUMN} at different positions on {src} and {dst}"
    return None


def _foreign_key_problem(row: asyncpg.Record) -> str | None:
    """Why Citus refuses this foreign key under the plan, or None."""
    cols, ref_cols = list(row["cols"]), list(row["ref_cols"])
    placement = _placement_problem(row["src"], row["dst"], cols, ref_cols)
    if placement is not None or row["src"] not in DISTRIBUTED:
        return placement
    if DISTRIBUTION_COLUMN in cols and row["on_delete"] in ("n", "d"):
        return "ON DELETE SET NULL/SET DEFAULT with the distribution column in the key"
    if DISTRIBUTION_COLUMN in cols and row["on_update"] in ("n", "d", "c"):
        return "ON UPDATE SET NULL/SET DEFAULT/CASCADE with the distribution column in the key"
    return None


async def foreign_key_violations(conn: asyncpg.Connection) -> list[Violation]:
    """Foreign keys Citus refuses between distributed, reference and local tables."""
    found = []
    for row in await conn.fetch(_FOREIGN_KEYS):
        problem = _foreign_key_problem(row)
        if problem is not None:
            found.append(
                Violation(
                    f"foreign key {row['src']}.{row['name']}",
                    f"foreign key {row['name']} ({', '.join(row['cols'])}) -> "
                    f"{row['dst']} ({', '.join(row['ref_cols'])}): {problem}",
                )
            )
    return found


async def trigger_violations(conn: asyncpg.Connection) -> list[Violation]:
    """Triggers on distributed and reference tables (refused unless the unsafe setting is on,
    and then run per shard)."""
    found = []
    for row in await conn.fetch(_TRIGGERS, [*DISTRIBUTED, *REFERENCE]):
        kind = "distributed" if row["tbl"] in DISTRIBUTED else "reference"
        if row["transition"] and kind == "distributed":
            why = "its transition tables would hold one shard's rows, on a worker"
        elif row["transition"]:
            why = "it would fire once on each node's copy of the table and write from there"
        else:
            why = "refused unless citus.enable_unsafe_triggers is on, then run on each shard"
        found.append(
            Violation(
                f"trigger {row['tbl']}.{row['name']}",
                f"trigger {row['name']} ({row['fn']}) on the {kind} table {row['tbl']}: {why}",
            )
        )
    return found


async def column_violations(conn: asyncpg.Connection) -> list[Violation]:
    """A nullable or missing distribution column; identity and sequence columns not bigint."""
    found = []
    rows = await conn.fetch(_COLUMNS, list(DISTRIBUTED))
    for table in DISTRIBUTED:
        dist = [r for r in rows if r["tbl"] == table and r["col"] == DISTRIBUTION_COLUMN]
        if not dist or not dist[0]["not_null"] or dist[0]["type"] != "bigint":
            found.append(
                Violation(
                    f"column {table}.{DISTRIBUTION_COLUMN}",
                    f"{table} needs {DISTRIBUTION_COLUMN} bigint NOT NULL, the distribution "
                    "column shared by its co-located tables",
                )
            )
    for row in rows:
        if (row["identity"] or row["from_sequence"]) and row["type"] != "bigint":
            found.append(
                Violation(
                    f"column {row['tbl']}.{row['col']}",
                    f"{row['tbl']}.{row['col']} takes a sequence or identity value as "
                    f"{row['type']}: Citus numbers distributed rows with bigint sequences only",
                )
            )
    return found


_COMMENT = re.compile(r"--[^\n]*")
_CTID = re.compile(r"\bctid\b", re.IGNORECASE)
_UPDATE = re.compile(
    r"\bUPDATE\s+(?:ONLY\s+)?(?P<table>\w+)(?:\s+(?:AS\s+)?\w+)?\s+SET\b(?P<set>.*?)(?:\bWHERE\b|\bFROM\b|\bRETURNING\b|;|$)",
    re.IGNORECASE | re.DOTALL,
)
_ASSIGNS_DISTRIBUTION = re.compile(rf"(?:^|[\s,(.]){DISTRIBUTION_COLUMN}\s*=(?!=)", re.IGNORECASE)


_LOCK = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b"
    r"(?:\s+OF\s+(?P<of>\w+(?:\s*,\s*\w+)*))?",
    re.IGNORECASE,
)
_SOURCE = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:ONLY\s+)?(?P<table>\w+)(?:\s+(?:AS\s+)?(?P<alias>\w+))?",
    re.IGNORECASE,
)
_NOT_ALIASES = {
    "where", "join", "left", "right", "inner", "outer", "full", "cross", "natural", "on",
    "using", "group", "order", "limit", "offset", "for", "window", "having", "union",
}  # fmt: skip
_ONE_IMAGE = re.compile(
    rf"\b{DISTRIBUTION_COLUMN}\s*=\s*(?!\s*(?:ANY|ALL|SOME)\b)(?!\s*\()", re.IGNORECASE
)
"""An equality of the distribution column with one value (a parameter, a variable, a column
of a row already fixed), not with an array or a subquery."""


def _query_start(code: str, at: int) -> int:
    """Where the query ending at ``at`` begins: after the parenthesis or the statement boundary
    that opens it."""
    depth = 0
    for i in range(at - 1, -1, -1):
        char = code[i]
        if char == ")":
            depth += 1
        elif char == "(" and depth > 0:
            depth -= 1
        elif char in "(;" and depth == 0:
            return i + 1
    return 0


def _locked_query(code: str, at: int) -> str:
    """The text of the query a locking clause at ``at`` ends, at its own level: nested
    parentheses are emptied."""
    flat, depth = [], 0
    for char in code[_query_start(code, at) : at]:
        if char == "(":
            depth += 1
        if depth == 0:
            flat.append(char)
        if char == ")":
            depth -= 1
            if depth == 0:
                flat.append("()")
    return "".join(flat)


def _lock_violations(name: str, code: str) -> list[Violation]:
    """Row locks on a distributed table in a query that names no single image."""
    found = []
    for lock in _LOCK.finditer(code):
        query = _locked_query(code, lock.start())
        table_of: dict[str, str] = {}
        for source in _SOURCE.finditer(query):
            table = source["table"].lower()
            table_of[table] = table
            alias = (source["alias"] or "").lower()
            if alias and alias not in _NOT_ALIASES:
                table_of[alias] = table
        named = [n.strip().lower() for n in lock["of"].split(",")] if lock["of"] else table_of
        locked = sorted({table_of[n] for n in named if n in table_of} & set(DISTRIBUTED))
        if locked and not _ONE_IMAGE.search(query):
            found.append(
                Violation(
                    f"lock {name}",
                    f"{name} locks rows of {', '.join(locked)} in a query naming no single "
                    f"{DISTRIBUTION_COLUMN}: Citus takes row locks of a distributed table only "
                    "in a query of one shard",
                )
            )
    return found


def text_violations(name: str, text: str) -> list[Violation]:
    """A statement or function body that uses ``ctid``, updates the distribution column of a
    distributed table or locks its rows without naming one value of that column."""
    code = _COMMENT.sub("", text)
    found = _lock_violations(name, code)
    if _CTID.search(code):
        found.append(
            Violation(
                f"ctid {name}",
                f"{name} uses ctid: a row address of one shard on one node, meaningless on a "
                "distributed table (join on (image_id, id) instead)",
            )
        )
    for match in _UPDATE.finditer(code):
        if match["table"].lower() in DISTRIBUTED and _ASSIGNS_DISTRIBUTION.search(match["set"]):
            found.append(
                Violation(
                    f"update {name}",
                    f"{name} changes {match['table']}.{DISTRIBUTION_COLUMN}: Citus does not "
                    "move a row to another shard",
                )
            )
    return found


async def function_texts(conn: asyncpg.Connection) -> dict[str, str]:
    """Bodies of the schema's SQL and PL/pgSQL functions (extensions' own left out)."""
    return {f"function {r['name']}": r["body"] for r in await conn.fetch(_FUNCTIONS)}


def statement_texts(sql_dir: Path) -> dict[str, str]:
    """The server's statement files, by their path under ``sql_dir``."""
    return {
        f"statement {path.relative_to(sql_dir).as_posix()}": path.read_text(encoding="utf-8")
        for path in sorted(sql_dir.rglob("*.sql"))
    }


async def tables(conn: asyncpg.Connection) -> set[str]:
    """Every table of the schema."""
    return {r["tbl"] for r in await conn.fetch(_TABLES)}
