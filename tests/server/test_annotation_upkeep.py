"""Every route that writes annotations or term links keeps the overview and the counters exact.

No trigger does it for them: each writing statement counts its rows into the project and
image counters and logs its overview changes itself (annotation_count_change,
annotation_overview_rows, annotation_overview_links). Each case writes through one route on a
scene where two users gave one annotation the same term; afterwards the flushed overview of
every image equals a recomputation from the annotations, and every counter its count.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from server.db.store import annotation_overview
from server.db.store.accounts import NewAccount
from tests.server.annotation_helpers import World, create, make_image, make_world, square
from tests.server.project_helpers import auth
from tests.server.test_annotation_overview_refresh import stored, truth
from tests.server.test_delete_cascades import DRIFT

pytestmark = [pytest.mark.anyio, pytest.mark.pg]

MOVED = square(700, 500, 40)  # inside the 1000 x 800 image


class Scene(msgspec.Struct, kw_only=True):
    """Alice's world, a second image, and annotations: ``shared`` has term 0 from Alice and
    from Bob, ``plain`` term 1 from Alice, ``bare`` no term, ``other`` (Bob's, on the second
    image) term 0."""

    client: AsyncTestClient
    db: asyncpg.Connection
    alice: NewAccount
    bob: NewAccount
    world: World
    image2: int
    shared: int
    plain: int
    bare: int
    other: int

    async def call(self, method: str, url: str, who: NewAccount | None = None, **kw: Any) -> Any:
        """A request (Alice's unless ``who``), asserted 200; the JSON answer."""
        r = await self.client.request(method, url, auth=auth(who or self.alice), **kw)
        assert r.status_code == 200, r.text
        return r.json()

    def link(self, annotation: int, term: int, suffix: str = "") -> str:
        return f"/api/annotation/{annotation}/term/{term}{suffix}.json"


@pytest.fixture
async def scene(
    client: AsyncTestClient, db: asyncpg.Connection, alice: NewAccount, bob: NewAccount
) -> Scene:
    world = await make_world(client, db, alice, bob)
    image2, _ = await make_image(db, world.project, alice.id)
    t0, t1 = world.terms
    shared = await create(client, alice, world.image, square(10, 10), term=[t0])
    plain = await create(client, alice, world.image, square(600, 500), term=[t1])
    bare = await create(client, bob, world.image, square(50, 700))
    other = await create(client, bob, image2, square(30, 30), term=[t0])
    s = Scene(
        client=client, db=db, alice=alice, bob=bob, world=world, image2=image2,
        shared=shared["id"], plain=plain["id"], bare=bare["id"], other=other["id"],
    )  # fmt: skip
    await s.call("POST", s.link(s.shared, t0), who=bob)
    return s


async def _create(s: Scene) -> None:
    await create(s.client, s.bob, s.world.image, square(400, 400), term=list(s.world.terms))


def _array(s: Scene, n: int) -> list[dict[str, Any]]:
    return [
        {"location": square(i * 37 % 900, i * 53 % 700), "image": s.world.image,
         "term": [s.world.terms[i % 2]]}
        for i in range(n)
    ]  # fmt: skip


async def _array_few(s: Scene) -> None:
    await s.call("POST", "/api/annotation.json", json=_array(s, 3))


async def _array_copy(s: Scene) -> None:
    """Past the threshold of the binary COPY path."""
    await s.call("POST", "/api/annotation.json", json=_array(s, 150))


async def _import(s: Scene) -> None:
    features = [
        {"type": "Feature", "properties": {"term": [s.world.terms[i % 2]]},
         "geometry": {"type": "Point", "coordinates": [i * 97 % 900, i * 41 % 700]}}
        for i in range(30)
    ]  # fmt: skip
    body = "\n".join(json.dumps(f) for f in features).encode()
    url = f"/api/imageinstance/{s.world.image}/annotation/import.json"
    job = await s.call("POST", url, content=body, headers={"Content-Type": "application/x-ndjson"})
    assert job["rowsLoaded"] == 30


async def _term_add(s: Scene) -> None:
    await s.call("POST", s.link(s.bare, s.world.terms[1]))
    await s.call("POST", s.link(s.plain, s.world.terms[1]), who=s.bob)


async def _term_remove(s: Scene) -> None:
    t0, t1 = s.world.terms
    await s.call("DELETE", s.link(s.shared, t0), who=s.bob)  # Alice's link stays
    await s.call("DELETE", s.link(s.plain, t1))  # the last one


async def _term_remove_last_of_shared(s: Scene) -> None:
    t0 = s.world.terms[0]
    await s.call("DELETE", s.link(s.shared, t0), who=s.bob)
    await s.call("DELETE", s.link(s.shared, t0))


async def _term_replace(s: Scene) -> None:
    url = s.link(s.shared, s.world.terms[1], "/clearBefore")
    await s.call("POST", url, params={"clearForAll": "true"})
    await s.call("POST", s.link(s.plain, s.world.terms[0], "/clearBefore"))


async def _bulk_term(s: Scene) -> None:
    body = {"project": s.world.project, "newTerms": [s.world.terms[1]], "mode": "set"}
    await s.call("POST", "/api/annotation/bulk-term.json", json=body)
    body = {"project": s.world.project, "newTerms": [s.world.terms[1]], "mode": "remove"}
    await s.call("POST", "/api/annotation/bulk-term.json", json=body, who=s.bob)


async def _move(s: Scene) -> None:
    url = f"/api/annotation/{s.shared}.json"
    await s.call("PUT", url, json={"id": s.shared, "location": MOVED})
    url = f"/api/annotation/{s.plain}.json"
    body = {"id": s.plain, "location": square(900, 100), "term": [s.world.terms[0]]}
    await s.call("PUT", url, json=body)


async def _review(s: Scene) -> None:
    await s.call("POST", f"/api/imageinstance/{s.world.image}/review.json")
    await s.call("POST", f"/api/annotation/{s.shared}/review.json")
    url = f"/api/imageinstance/{s.world.image}/annotation/review.json"
    await s.call("POST", url, params={"users": str(s.bob.id)})


async def _unreview_only(s: Scene) -> None:
    await s.call("DELETE", f"/api/annotation/{s.shared}/review.json")
    url = f"/api/imageinstance/{s.world.image}/annotation/review.json"
    await s.call("DELETE", url, params={"users": str(s.bob.id)})


async def _unreview(s: Scene) -> None:
    await _review(s)
    await _unreview_only(s)


async def _undo_redo(s: Scene) -> None:
    await _move(s)
    await s.call("GET", "/api/command/undo.json")  # the second move
    await s.call("GET", "/api/command/redo.json")
    await s.call("DELETE", f"/api/annotation/{s.shared}.json")
    await s.call("GET", "/api/command/undo.json")  # back, with both users' links
    await s.call("GET", "/api/command/undo.json")
    await s.call("GET", "/api/command/redo.json")


async def _delete(s: Scene) -> None:
    await s.call("DELETE", f"/api/annotation/{s.shared}.json")
    await s.call("DELETE", f"/api/annotation/{s.bare}.json", who=s.bob)


async def _bulk_delete(s: Scene) -> None:
    body = {"project": s.world.project, "terms": [s.world.terms[0]]}
    await s.call("POST", "/api/annotation/bulk-delete.json", json=body)


async def _image_delete(s: Scene) -> None:
    await s.call("DELETE", f"/api/imageinstance/{s.image2}.json")


async def _term_delete(s: Scene) -> None:
    await s.call("DELETE", f"/api/term/{s.world.terms[0]}.json")


async def _project_delete(s: Scene) -> None:
    await s.call("DELETE", f"/api/project/{s.world.project}.json")


Case = Callable[[Scene], Awaitable[None]]

CASES: dict[str, Case] = {
    "create": _create,
    "array of a few": _array_few,
    "array through COPY": _array_copy,
    "import": _import,
    "term add": _term_add,
    "term remove": _term_remove,
    "term remove of the last shared link": _term_remove_last_of_shared,
    "term replace": _term_replace,
    "bulk term": _bulk_term,
    "move": _move,
    "review": _review,
    "unreview": _unreview,
    "undo and redo": _undo_redo,
    "delete": _delete,
    "bulk delete": _bulk_delete,
    "image delete": _image_delete,
    "term delete": _term_delete,
    "project delete": _project_delete,
}


async def _inexact(db: asyncpg.Connection) -> list[Any]:
    """Counters that differ from their counts, and images whose flushed overview differs from
    its recomputation."""
    found: list[Any] = [tuple(r) for r in await db.fetch(DRIFT)]
    for image in [r["id"] for r in await db.fetch("SELECT id FROM image_instance ORDER BY id")]:
        await annotation_overview.flush(db, image, wait=True)
        if await stored(db, image) != await truth(db, image):
            found.append(("overview", image))
    return found


async def test_the_scene_starts_exact(scene: Scene) -> None:
    assert await _inexact(scene.db) == []
    assert await stored(scene.db, scene.world.image) != []


@pytest.mark.parametrize("case", sorted(CASES))
async def test_each_writing_route_keeps_the_overview_and_counters_exact(
    scene: Scene, case: str
) -> None:
    await CASES[case](scene)
    assert await _inexact(scene.db) == []


MIX = (
    [_create, _array_few, _array_copy, _import, _term_add, _term_remove, _term_replace]
    + [_bulk_term, _review, _unreview_only, _move, _undo_redo, _delete, _bulk_delete]
    + [_term_delete, _image_delete]
)
"""Every route but the project's delete, one after the other on one scene."""


async def test_every_route_one_after_the_other_keeps_them_exact(scene: Scene) -> None:
    for write in MIX:
        await write(scene)
    assert await _inexact(scene.db) == []
