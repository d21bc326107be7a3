"""Every route that writes annotations or term links refuses a parent deleted under it.

The routes look their parents up before they write, so the check of the writing statement
(annotation_parents, annotation_term_parents, the bulk COPY's check_parents) is what stops a
parent deleted meanwhile: another session deletes it and keeps its transaction open, the
request reads the parent (still visible), writes, and its check waits on the deleted row's
lock (FOR KEY SHARE, as a foreign key's would); once the delete commits, the check finds the
parent gone. The answer is a 4xx in Cytomine's error shape naming the constraint (or the
route's own message), and nothing the request wrote is left. Undo and redo put back rows
whose parent may be long gone: those cases need no race.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from server.settings import Settings
from tests.assertions import assert_status
from tests.server.annotation_helpers import World, create, make_world, square
from tests.server.project_helpers import auth
from tests.server.test_write_races import in_thread

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

DELETE = {
    "image": "DELETE FROM image_instance WHERE id = $1",
    "slice": "DELETE FROM slice_instance WHERE id = $1",
    "term": "DELETE FROM term WHERE id = $1",
    "annotation": "DELETE FROM annotation WHERE id = $1",
}
"""Bare deletes of a parent: the row goes (and is locked until the commit), nothing else."""


class Scene(msgspec.Struct, kw_only=True):
    """Alice's world with a second slice on its image, and her annotation ``mine`` (first
    term) on the first slice."""

    client: AsyncTestClient
    db: asyncpg.Connection
    url: str
    alice: NewAccount
    world: World
    slice2: int
    mine: int
    before: set[tuple[str, int, int]] = set()
    """The rows there were just before the refused write (``rows``)."""

    def request(self, method: str, url: str, **kw: Any) -> Awaitable[httpx.Response]:
        """A request as Alice."""
        return self.client.request(method, url, auth=auth(self.alice), **kw)

    def later(self, method: str, url: str, **kw: Any) -> Request:
        """A request as Alice, to send in ``racing``."""
        return lambda: self.request(method, url, **kw)

    async def call(self, method: str, url: str, **kw: Any) -> Any:
        """A request as Alice, asserted 200; the JSON answer."""
        r = await self.request(method, url, **kw)
        assert_status(r, 200)
        return r.json()

    async def rows(self) -> set[tuple[str, int, int]]:
        """The annotations (with their slices) and term links (with their terms) there are."""
        found = await self.db.fetch(
            "SELECT 'annotation' AS t, id, slice_id AS parent FROM annotation"
            " UNION ALL SELECT 'link', id, term_id FROM annotation_term"
        )
        return {(r["t"], r["id"], r["parent"]) for r in found}

    async def refused(self, method: str, url: str) -> httpx.Response:
        """A request as Alice, after the rows there are are noted."""
        self.before = await self.rows()
        return await self.request(method, url)


Request = Callable[[], Awaitable[httpx.Response]]


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The suite's settings, with the overview refresh pass only at start-up: it would wait
    on the deleted image's lock too, and be taken for the request."""
    return Settings(
        database_url=database_url,
        auth_cache_seconds=0.0,
        runner=False,
        overview_refresh_seconds=3600.0,
    )


@pytest.fixture
async def scene(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    database_url: str,
    alice: NewAccount,
    bob: NewAccount,
) -> Scene:
    world = await make_world(client, db, alice, bob)
    abstract = await db.fetchval(
        "SELECT base_image_id FROM image_instance WHERE id = $1", world.image
    )
    base = await db.fetchval(
        "INSERT INTO abstract_slice (image_id, channel) VALUES ($1, 1) RETURNING id", abstract
    )
    slice2 = await db.fetchval(
        "INSERT INTO slice_instance (project_id, base_slice_id, image_id) VALUES ($1, $2, $3)"
        " RETURNING id",
        world.project,
        base,
        world.image,
    )
    body = {"slice": world.slice, "term": [world.terms[0]]}
    mine = await create(client, alice, world.image, square(10, 10), **body)
    return Scene(
        client=client, db=db, url=database_url, alice=alice, world=world, slice2=slice2,
        mine=mine["id"],
    )  # fmt: skip


async def _waits_on(db: asyncpg.Connection, pid: int, task: asyncio.Future[Any]) -> bool:
    """Whether some session comes to wait on session ``pid`` before ``task`` is done."""
    for _ in range(500):
        if task.done():
            return False
        waiting = await db.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", pid
        )
        if waiting:
            return True
        await asyncio.sleep(0.02)
    return False


async def racing(s: Scene, parent: str, ident: int, request: Request) -> httpx.Response:
    """Send ``request`` while another session deletes a parent: it must wait for that
    transaction, which then commits. Returns what the request answers."""
    other = await asyncpg.connect(s.url)
    s.before = await s.rows()
    try:
        async with other.transaction():
            await other.execute(DELETE[parent], ident)
            # In a thread: the test client blocks its event loop while the app runs.
            task = asyncio.ensure_future(in_thread(request))
            if not await _waits_on(s.db, other.get_server_pid(), task):
                answer = await task
                pytest.fail(f"the write did not wait for the delete: {answer}")
        return await task
    finally:
        await other.close()


def _array(s: Scene, n: int) -> list[dict[str, Any]]:
    return [
        {"location": square(100 + i * 7 % 800, 100 + i * 11 % 600), "image": s.world.image,
         "term": [s.world.terms[1]]}
        for i in range(n)
    ]  # fmt: skip


def _features(s: Scene, n: int) -> list[dict[str, Any]]:
    return [
        {"type": "Feature", "properties": {"term": [s.world.terms[1]]},
         "geometry": {"type": "Point", "coordinates": [50 + i * 13 % 900, 50 + i * 7 % 700]}}
        for i in range(n)
    ]  # fmt: skip


def _import(s: Scene, body: bytes, kind: str) -> Request:
    url = f"/api/imageinstance/{s.world.image}/annotation/import.json"
    return s.later("POST", url, content=body, headers={"Content-Type": kind})


async def _post_one(s: Scene) -> Any:
    body = {"location": square(500, 500), "image": s.world.image}
    return await racing(
        s, "image", s.world.image, s.later("POST", "/api/annotation.json", json=body)
    )


async def _post_few(s: Scene) -> Any:
    post = s.later("POST", "/api/annotation.json", json=_array(s, 3))
    return await racing(s, "image", s.world.image, post)


async def _post_copy(s: Scene) -> Any:
    """Past the threshold of the binary COPY path."""
    post = s.later("POST", "/api/annotation.json", json=_array(s, 150))
    return await racing(s, "slice", s.world.slice, post)


async def _import_ndjson(s: Scene) -> Any:
    body = "\n".join(json.dumps(f) for f in _features(s, 40)).encode()
    return await racing(s, "slice", s.world.slice, _import(s, body, "application/x-ndjson"))


async def _import_collection(s: Scene) -> Any:
    body = json.dumps({"type": "FeatureCollection", "features": _features(s, 40)}).encode()
    posting = _import(s, body, "application/geo+json")
    return await racing(s, "term", s.world.terms[1], posting)


async def _term_add_term(s: Scene) -> Any:
    link = f"/api/annotation/{s.mine}/term/{s.world.terms[1]}.json"
    return await racing(s, "term", s.world.terms[1], s.later("POST", link))


async def _term_add_annotation(s: Scene) -> Any:
    link = f"/api/annotation/{s.mine}/term/{s.world.terms[1]}.json"
    return await racing(s, "annotation", s.mine, s.later("POST", link))


async def _bulk_term(s: Scene) -> Any:
    body = {"project": s.world.project, "newTerms": [s.world.terms[1]], "mode": "add"}
    posting = s.later("POST", "/api/annotation/bulk-term.json", json=body)
    return await racing(s, "term", s.world.terms[1], posting)


async def _review(s: Scene) -> Any:
    await s.call("POST", f"/api/imageinstance/{s.world.image}/review.json")
    reviewing = s.later("POST", f"/api/annotation/{s.mine}/review.json")
    return await racing(s, "image", s.world.image, reviewing)


async def _review_layer(s: Scene) -> Any:
    await s.call("POST", f"/api/imageinstance/{s.world.image}/review.json")
    url = f"/api/imageinstance/{s.world.image}/annotation/review.json"
    reviewing = s.later("POST", url, params={"users": str(s.alice.id)})
    return await racing(s, "slice", s.world.slice, reviewing)


async def _move(s: Scene) -> Any:
    body = {"id": s.mine, "slice": s.slice2}
    moving = s.later("PUT", f"/api/annotation/{s.mine}.json", json=body)
    return await racing(s, "slice", s.slice2, moving)


async def _undo_delete(s: Scene) -> Any:
    """Undo of a delete puts the annotation back on its slice, deleted since."""
    await s.call("DELETE", f"/api/annotation/{s.mine}.json")
    await s.db.execute(DELETE["slice"], s.world.slice)
    return await s.refused("GET", "/api/command/undo.json")


async def _redo_add(s: Scene) -> Any:
    """Redo of a creation undone, once its slice is deleted."""
    await create(s.client, s.alice, s.world.image, square(300, 300), slice=s.world.slice)
    await s.call("GET", "/api/command/undo.json")
    await s.db.execute("DELETE FROM annotation WHERE id = $1", s.mine)  # leave the slice bare
    await s.db.execute(DELETE["slice"], s.world.slice)
    return await s.refused("GET", "/api/command/redo.json")


async def _undo_move(s: Scene) -> Any:
    """Undo of a move puts the annotation back on its first slice, deleted since."""
    await s.call("PUT", f"/api/annotation/{s.mine}.json", json={"id": s.mine, "slice": s.slice2})
    await s.db.execute(DELETE["slice"], s.world.slice)
    return await s.refused("GET", "/api/command/undo.json")


Case = Callable[[Scene], Awaitable[Any]]

CASES: dict[str, tuple[Case, int, str]] = {
    "single POST": (_post_one, 400, "annotation_image_instance_ref"),
    "short array POST": (_post_few, 400, "annotation_image_instance_ref"),
    "bulk array POST (COPY)": (_post_copy, 400, "annotation_slice_instance_ref"),
    "NDJSON import": (_import_ndjson, 400, "annotation_slice_instance_ref"),
    "FeatureCollection import": (_import_collection, 400, "annotation_term_term_ref"),
    "term add, term deleted": (_term_add_term, 400, "annotation_term_term_ref"),
    "term add, annotation deleted": (_term_add_annotation, 400, "annotation_term_annotation_ref"),
    "bulk term": (_bulk_term, 409, "A term was deleted meanwhile"),
    "review": (_review, 400, "annotation_image_instance_ref"),
    "review of a layer": (_review_layer, 400, "annotation_slice_instance_ref"),
    "move to another slice": (_move, 400, "annotation_slice_instance_ref"),
    "undo of a delete": (_undo_delete, 400, "cannot be restored"),
    "redo of a creation": (_redo_add, 400, "cannot be restored"),
    "undo of a move": (_undo_move, 400, "annotation_slice_instance_ref"),
}  # fmt: skip
"""Each route writing annotations or term links, with the answer expected once its parent is
gone: the status and a part of the message."""


@pytest.mark.parametrize("case", list(CASES))
async def test_a_write_whose_parent_is_deleted_meanwhile_is_refused_and_leaves_nothing(
    scene: Scene, case: str
) -> None:
    write, status, message = CASES[case]
    answer = await write(scene)
    assert_status(answer, status)
    assert message in answer.json()["errors"]["message"]
    # No row was added or moved (the deleting session may have removed some).
    assert await scene.rows() <= scene.before
