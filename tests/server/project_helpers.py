"""Helpers shared by the project test modules: sign as an account, create projects."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.signing import CytomineAuth


def auth(account: NewAccount) -> CytomineAuth:
    """Sign requests as ``account``."""
    return CytomineAuth(account.public_key, account.private_key)


async def make_project(
    client: AsyncTestClient, owner: NewAccount, name: str = "P1", **fields: Any
) -> dict[str, Any]:
    """Create a project as ``owner`` and return it."""
    r = await client.post("/api/project.json", json={"name": name, **fields}, auth=auth(owner))
    assert r.status_code == 200, r.text
    return r.json()["project"]


async def make_ontology(db: asyncpg.Connection, owner: NewAccount, name: str = "O1") -> int:
    """Insert an ontology owned by ``owner``."""
    return int(
        await db.fetchval(
            "INSERT INTO ontology (name, user_id) VALUES ($1, $2) RETURNING id", name, owner.id
        )
    )


async def members_of(db: asyncpg.Connection, project_id: int) -> dict[int, bool]:
    """user id -> is_manager."""
    found = await db.fetch(
        "SELECT user_id, is_manager FROM project_member WHERE project_id = $1", project_id
    )
    return {r["user_id"]: r["is_manager"] for r in found}
