"""Helpers shared by the annotation test modules: a project with an ontology, terms and images."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from server.db.store.accounts import NewAccount
from tests.server.project_helpers import auth, make_ontology, make_project

WIDTH, HEIGHT = 1000, 800


def logged(write: str, sign: int = 1) -> str:
    """An ``INSERT INTO annotation`` (sign 1) or ``DELETE FROM annotation`` (-1) statement, with
    no RETURNING, made to keep the counters and the overview as the server's statements do
    (annotation_rows_written); it answers the id of each written row."""
    return (
        f"WITH a AS ({write} RETURNING id, project_id, image_id, user_id, kind, parent_id,"
        " location),"
        " w AS (SELECT annotation_rows_written(array_agg(a.id), array_agg(a.project_id),"
        " array_agg(a.image_id), array_agg(a.user_id), array_agg(a.kind), array_agg(a.parent_id),"
        " array_agg(annotation_overview_x(a.location)),"
        f" array_agg(annotation_overview_y(a.location)), {sign}) FROM a)"
        " SELECT a.id FROM a, w"
    )


def logged_links(write: str, sign: int = 1) -> str:
    """An ``INSERT INTO annotation_term`` (sign 1) or ``DELETE FROM annotation_term`` (-1)
    statement, with no RETURNING, made to keep the overview as the server's statements do."""
    return (
        f"WITH l AS ({write} RETURNING annotation_id, term_id)"
        " SELECT annotation_overview_links(array_agg(l.annotation_id), array_agg(l.term_id),"
        f" array_fill({sign}, ARRAY[count(*)::int])) FROM l"
    )


class World(msgspec.Struct, kw_only=True):
    """Alice's project (Bob is a contributor) with two terms and one image."""

    project: int
    ontology: int
    terms: list[int]
    image: int
    slice: int


async def make_image(
    db: asyncpg.Connection,
    project_id: int,
    owner_id: int,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    resolution: float | None = None,
) -> tuple[int, int]:
    """Insert an image instance (no file behind it) with one slice; returns (image, slice)."""
    storage = await db.fetchval(
        "INSERT INTO storage (name, user_id) VALUES ('s', $1) RETURNING id", owner_id
    )
    uploaded = await db.fetchval(
        "INSERT INTO uploaded_file (user_id, storage_id, original_filename, filename)"
        " VALUES ($1, $2, 'a.tif', 'a.tif') RETURNING id",
        owner_id,
        storage,
    )
    abstract = await db.fetchval(
        "INSERT INTO abstract_image (uploaded_file_id, width, height, physical_size_x)"
        " VALUES ($1, $2, $3, $4) RETURNING id",
        uploaded,
        width,
        height,
        resolution,
    )
    base_slice = await db.fetchval(
        "INSERT INTO abstract_slice (image_id) VALUES ($1) RETURNING id", abstract
    )
    image = await db.fetchval(
        "INSERT INTO image_instance (base_image_id, project_id, user_id)"
        " VALUES ($1, $2, $3) RETURNING id",
        abstract,
        project_id,
        owner_id,
    )
    await db.execute("UPDATE project SET count_images = count_images + 1 WHERE id = $1", project_id)
    slice_ = await db.fetchval(
        "INSERT INTO slice_instance (project_id, base_slice_id, image_id)"
        " VALUES ($1, $2, $3) RETURNING id",
        project_id,
        base_slice,
        image,
    )
    return int(image), int(slice_)


async def make_world(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    alice: NewAccount,
    bob: NewAccount,
    **fields: Any,
) -> World:
    """Alice's project with an ontology of two terms, one image, and Bob as contributor."""
    ontology = await make_ontology(db, alice)
    project = await make_project(client, alice, ontology=ontology, **fields)
    terms = [
        int(
            await db.fetchval(
                "INSERT INTO term (name, ontology_id, color) VALUES ($1, $2, '#FF0000')"
                " RETURNING id",
                name,
                ontology,
            )
        )
        for name in ("tumour", "stroma")
    ]
    r = await client.post(f"/api/project/{project['id']}/user/{bob.id}.json", auth=auth(alice))
    assert r.status_code == 200, r.text
    image, slice_ = await make_image(db, project["id"], alice.id)
    return World(project=project["id"], ontology=ontology, terms=terms, image=image, slice=slice_)


def square(x: float, y: float, size: float = 10) -> str:
    """A WKT square with its lower-left corner at (x, y)."""
    return f"POLYGON (({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"


async def create(
    client: AsyncTestClient, who: NewAccount, image: int, location: str, **fields: Any
) -> dict[str, Any]:
    """POST one annotation; return the created object (asserts 200)."""
    body = {"location": location, "image": image, **fields}
    r = await client.post("/api/annotation.json", json=body, auth=auth(who))
    assert r.status_code == 200, r.text
    return r.json()["annotation"]  # type: ignore[no-any-return]
