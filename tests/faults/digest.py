"""A digest of what the database holds, so that a refused write can be shown to change nothing.

New rows that name one of the protected objects are counted. Rows the caller may legitimately
make or change are left out: rows created after the baseline (an id above it), the caller's own
rows (``user_id``, or ``id`` for accounts), and the tables in ``TOLERATED`` with the reason
they change on refused requests.
"""

from __future__ import annotations

import asyncpg

# Tables a refused or anonymous request may change, and why.
TOLERATED = {
    "login_throttle": "failed logins are counted to slow down guessing",
    "iam_session": "the login flow keeps its sessions",
    "iam_code": "the login flow keeps its codes",
    "iam_login_token": "the login form's CSRF tokens",
    "signing_key": "keys are created on first use",
    "annotation_overview": "a cache of per-image overviews, filled on reads",
    "annotation_overview_version": "the cache's version counters",
    "annotation_overview_delta": "pending overview changes, folded in by reads and a timer",
}


class Digest:
    """``await digest.take(conn)`` -> {table: (rows, hash)} of the rows another caller owns."""

    def __init__(self, caller_id: int, references: dict[str, int]) -> None:
        self.caller_id = caller_id
        # column -> id of an object of the protected project (``project_id`` -> its id...):
        # new rows naming one of them are counted too.
        self.references = references
        self.query = ""

    async def prepare(self, conn: asyncpg.Connection) -> None:
        """Fix the baseline: rows with an id above today's maximum are new, hence left out."""
        columns = await conn.fetch(
            "SELECT table_name, array_agg(column_name::text) AS cols,"
            " coalesce(array_agg(column_name::text)"
            " FILTER (WHERE data_type IN ('integer', 'bigint')), '{}') AS ints"
            " FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public')"
            " GROUP BY table_name ORDER BY table_name"
        )
        top = 0
        for row in columns:
            if "id" in row["ints"]:
                found = await conn.fetchval(f"SELECT coalesce(max(id), 0) FROM {row['table_name']}")
                top = max(top, int(found))
        parts = []
        for row in columns:
            table, cols, ints = row["table_name"], set(row["cols"]), set(row["ints"])
            if table in TOLERATED or table.startswith("schema_"):
                continue
            where = ["true"]
            # Ids come from one sequence: a row naming an id above the baseline is new.
            where += [f"t.{c} <= {top}" for c in sorted(ints) if c == "id" or c.endswith("_id")]
            if "user_id" in cols:
                where.append(f"t.user_id IS DISTINCT FROM {self.caller_id}")
            if table == "sec_user":
                where.append(f"t.id <> {self.caller_id}")
            for column in sorted(cols & set(self.references)):
                parts.append(
                    f"SELECT '{table}.{column}' AS t, count(*) AS n, 0::bigint AS h"
                    f" FROM {table} t WHERE t.{column} = {int(self.references[column])}"
                )
            parts.append(
                f"SELECT '{table}' AS t, count(*) AS n, coalesce(sum(hashtext(t::text)), 0) AS h"
                f" FROM {table} t WHERE {' AND '.join(where)}"
            )
        self.query = " UNION ALL ".join(parts)

    async def take(self, conn: asyncpg.Connection) -> dict[str, tuple[int, int]]:
        return {r["t"]: (r["n"], r["h"]) for r in await conn.fetch(self.query)}


class Watch:
    """Digests taken only when the write-ahead log moved: nothing written, nothing to compare."""

    def __init__(self, digest: Digest, conn: asyncpg.Connection) -> None:
        self.digest = digest
        self.conn = conn
        self.lsn = ""
        self.last: dict[str, tuple[int, int]] = {}

    async def _position(self) -> str:
        return str(await self.conn.fetchval("SELECT pg_current_wal_insert_lsn()"))

    async def before(self) -> None:
        """Bring the baseline up to date (reads may write: consultations, positions...)."""
        if await self._position() != self.lsn:
            self.last = await self.digest.take(self.conn)
            self.lsn = await self._position()

    async def changed(self) -> list[str]:
        """Tables whose protected rows changed since ``before``."""
        if await self._position() == self.lsn:
            return []
        now = await self.digest.take(self.conn)
        moved = changed(self.last, now)
        self.last, self.lsn = now, await self._position()
        return moved


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Tables whose digest differs."""
    return sorted(t for t in before if before[t] != after.get(t))
