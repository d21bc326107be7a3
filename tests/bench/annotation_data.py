"""Synthetic cell-like polygons for the annotation benchmark, loaded with COPY and cached.

The polygons are star-shaped (8-32 vertices, 10-60 px across, so always valid), spread
uniformly over one square image and inserted in tile order (nearby cells get nearby rows
and ids, as a tiled detection pipeline writes them). Each carries one of three terms.
The database is kept between runs in a private cluster; ``bench_dataset`` records what
it holds so a later run with the same size reuses it.
"""

from __future__ import annotations

import io
import math
import time

import asyncpg
import msgspec
import numpy as np
import shapely

from server.db.migrate import migrate_url
from server.db.store.accounts import create_account
from tests.server.annotation_helpers import make_image

CHUNK = 100_000
TILE = 512


class Dataset(msgspec.Struct, kw_only=True):
    """What the cached database holds."""

    count: int
    side: int
    reader: int
    reader_name: str
    public_key: str
    private_key: str
    project: int
    image: int
    slice: int


def polygons(rng: np.random.Generator, n: int, side: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` star-shaped polygons (shapely array) and their centres, in tile order."""
    k = rng.integers(8, 33, n)
    radius = rng.uniform(5, 30, n)
    cx = rng.uniform(30, side - 30, n)
    cy = rng.uniform(30, side - 30, n)
    order = np.lexsort((cx, cy // TILE, cx // TILE))
    k, radius, cx, cy = k[order], radius[order], cx[order], cy[order]
    sizes = k + 1  # closed rings
    owner = np.repeat(np.arange(n), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    j = np.arange(owner.size) - starts
    kk = k[owner]
    jitter = rng.uniform(-0.35, 0.35, owner.size)
    scale = rng.uniform(0.75, 1.0, owner.size)
    closing = j == kk
    jitter[closing] = jitter[starts[closing]]
    scale[closing] = scale[starts[closing]]
    theta = 2 * math.pi * ((j % kk) + jitter) / kk
    r = radius[owner] * scale
    coords = np.column_stack((cx[owner] + r * np.cos(theta), cy[owner] + r * np.sin(theta)))
    ring_offsets = np.concatenate(([0], np.cumsum(sizes)))
    poly_offsets = np.arange(n + 1)
    geoms = shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, coords, (ring_offsets, poly_offsets)
    )
    return geoms, np.column_stack((cx, cy))


def _csv(ids: np.ndarray, geoms: np.ndarray, fixed: str) -> bytes:
    """CSV rows ``id,<fixed>,location,area,perimeter`` (location as hex WKB)."""
    wkb = shapely.to_wkb(geoms, hex=True)
    area = shapely.area(geoms)
    length = shapely.length(geoms)
    lines = [
        f"{i},{fixed},{w},{a:.3f},{p:.3f}"
        for i, w, a, p in zip(
            ids.tolist(), wkb.tolist(), area.tolist(), length.tolist(), strict=True
        )
    ]
    return ("\n".join(lines) + "\n").encode()


async def _world(conn: asyncpg.Connection) -> tuple[Dataset, list[int]]:
    """A reader account, a project with three terms and one large image."""
    reader = await create_account(conn, username="reader")
    ontology = await conn.fetchval(
        "INSERT INTO ontology (name, user_id) VALUES ('cells', $1) RETURNING id", reader.id
    )
    project = await conn.fetchval(
        "INSERT INTO project (name, creator_id, ontology_id) VALUES ('bench', $1, $2) RETURNING id",
        reader.id,
        ontology,
    )
    await conn.execute(
        "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, true)",
        project,
        reader.id,
    )
    terms = [
        await conn.fetchval(
            "INSERT INTO term (name, ontology_id, color) VALUES ($1, $2, '#00FF00') RETURNING id",
            name,
            ontology,
        )
        for name in ("tumour", "stroma", "lymphocyte")
    ]
    image, slice_ = await make_image(conn, project, reader.id, width=1, height=1)
    data = Dataset(
        count=0,
        side=0,
        reader=reader.id,
        reader_name=reader.username,
        public_key=reader.public_key,
        private_key=reader.private_key,
        project=project,
        image=image,
        slice=slice_,
    )
    return data, terms


async def _copy(conn: asyncpg.Connection, data: Dataset, rng: np.random.Generator) -> None:
    """COPY the polygons in chunks, ids from one reserved block, then their terms."""
    first = await conn.fetchval(
        "SELECT setval('lamina_id_seq', nextval('lamina_id_seq') + $1) - $1 + 1", data.count
    )
    geoms, _ = polygons(rng, data.count, data.side)
    fixed = f"{data.image},{data.slice},{data.project},{data.reader}"
    columns = ["id", "image_id", "slice_id", "project_id", "user_id", "location"]
    columns += ["area", "perimeter"]
    for start in range(0, data.count, CHUNK):
        part = geoms[start : start + CHUNK]
        ids = np.arange(first + start, first + start + part.size)
        body = io.BytesIO(_csv(ids, part, fixed))
        await conn.copy_to_table("annotation", source=body, columns=columns, format="csv")


async def _load(conn: asyncpg.Connection, count: int) -> Dataset:
    """Create the world and COPY ``count`` polygons (GiST index built after the load)."""
    data, terms = await _world(conn)
    # ~280 cells per 1000x1000 px: a dense tissue section.
    data.side = int(math.sqrt(count / 2.8e-4))
    data.count = count
    await conn.execute(
        "UPDATE abstract_image SET width = $1, height = $1 WHERE id ="
        " (SELECT base_image_id FROM image_instance WHERE id = $2)",
        data.side,
        data.image,
    )
    await conn.execute("DROP INDEX annotation_image_location_idx")
    await _copy(conn, data, np.random.default_rng(7))
    await conn.execute(
        "CREATE INDEX annotation_image_location_idx ON annotation USING gist (image_id, location)"
    )
    # The term links' reference checks read the annotations just copied: without their
    # statistics, the insert of 200k links ran past 17 minutes (8 for the whole load with them).
    await conn.execute("ANALYZE annotation")
    await conn.execute(
        "INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id)"
        " SELECT a.id, ($1::bigint[])[1 + a.id % 3], a.user_id, a.image_id, a.project_id"
        " FROM annotation AS a",
        terms,
    )
    # The COPY counted nothing in: the counters and the overview get every row, terms
    # included, as the server's writers would have logged them.
    await conn.execute(
        "SELECT annotation_rows_written(array_agg(a.id), array_agg(a.project_id),"
        " array_agg(a.image_id), array_agg(a.user_id), array_agg(a.kind), array_agg(a.parent_id),"
        " array_agg(annotation_overview_x(a.location)),"
        " array_agg(annotation_overview_y(a.location)), 1) FROM annotation AS a"
    )
    # Each row's term group kept as the server's writers keep it (annotation.terms_listed):
    # this load's own COPY leaves it NULL, and the listing would compute every one.
    await conn.execute("SELECT annotation_terms_relist(array(SELECT id FROM annotation))")
    return data


async def ensure(url: str, count: int) -> Dataset:
    """The cached dataset of ``count`` polygons, loading it when absent or of another size."""
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_dataset (doc text NOT NULL)")
        doc = await conn.fetchval("SELECT doc FROM bench_dataset")
        if doc is not None:
            cached = msgspec.json.decode(doc, type=Dataset)
            if cached.count == count:
                return cached
            raise SystemExit(f"the cache holds {cached.count} polygons: rerun with --fresh")
        started = time.perf_counter()
        async with conn.transaction():
            data = await _load(conn, count)
            await conn.execute(
                "INSERT INTO bench_dataset VALUES ($1)", msgspec.json.encode(data).decode()
            )
        # FULL: the relist rewrote every row; the table is as compact as a load leaves it.
        await conn.execute("VACUUM FULL ANALYZE annotation")
        await conn.execute("VACUUM ANALYZE annotation_term")
        print(f"loaded {count} polygons in {time.perf_counter() - started:.1f} s")
        return data
    finally:
        await conn.close()
