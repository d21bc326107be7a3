"""Benchmark the zoomed-out annotation views and the cost of keeping them current, in one run.

    python -m tests.bench.annotation_overview [--count 1000000] [--requests 30] [--fresh]

It keeps a private PostGIS cluster under the temporary directory with ``--count`` synthetic
cell-like polygons in one image (``tests.bench.annotation_data``: COPY, reused by later runs;
``--fresh`` reloads), then prints medians of:
- bulk insert with and without the overview triggers: COPY of 10k-row chunks into another
  image (tile-ordered as a detection pipeline writes them, then shuffled), each chunk in a
  rolled-back transaction, alternating triggers on/off; and 10k term links likewise;
- the overview (whole image at zoom 0, a viewer window at a middle zoom), vector tiles
  (clustered low zooms, geometries at full resolution) and the clustered ``kmeans`` listing:
  the in-process floor (store call through asyncpg, body encoded) beside ``lamina serve``
  over HTTP (one keep-alive connection, API-key signed like the Python client), and the ratio.
The machine is shared and noisy: compare the medians and the ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import msgspec
import numpy as np

import spatial
from server.db.cluster import Cluster
from server.db.store import annotation_mvt, annotation_overview
from server.db.store.annotation_listing import list_annotations
from server.http.annotation_query import parse_query
from server.principal import Principal
from tests.bench.annotation_data import Dataset, _csv, ensure, polygons
from tests.bench.annotations import over_http
from tests.bench.api import _free_port, _serve, _stop, _wait_for_ping
from tests.server.annotation_helpers import make_image

CACHE = "lamina-bench-annotation-overview"
CHUNK = 10_000
COLUMNS = ["id", "image_id", "slice_id", "project_id", "user_id", "location", "area", "perimeter"]

Call = Callable[[asyncpg.Connection, Principal], Awaitable[bytes]]


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def _timed_copy(conn: asyncpg.Connection, body: bytes, *, triggers: bool) -> float:
    """Seconds to COPY one chunk with the overview insert trigger on or off (rolled back)."""
    state = "ENABLE" if triggers else "DISABLE"
    await conn.execute(f"ALTER TABLE annotation {state} TRIGGER annotation_overview_added")
    tx = conn.transaction()
    await tx.start()
    try:
        start = time.perf_counter()
        await conn.copy_to_table(
            "annotation", source=io.BytesIO(body), columns=COLUMNS, format="csv"
        )
        return time.perf_counter() - start
    finally:
        await tx.rollback()


async def _timed_terms(
    conn: asyncpg.Connection, image: int, body: bytes, term: int, *, triggers: bool
) -> float:
    """Seconds to link one chunk's annotations to a term, trigger on or off (rolled back)."""
    state = "ENABLE" if triggers else "DISABLE"
    await conn.execute(
        f"ALTER TABLE annotation_term {state} TRIGGER annotation_overview_term_added"
    )
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.copy_to_table(
            "annotation", source=io.BytesIO(body), columns=COLUMNS, format="csv"
        )
        start = time.perf_counter()
        await conn.execute(
            "INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id)"
            " SELECT a.id, $1, a.user_id, a.image_id, a.project_id FROM annotation AS a"
            " WHERE a.image_id = $2",
            term,
            image,
        )
        return time.perf_counter() - start
    finally:
        await tx.rollback()


async def _chunks(
    conn: asyncpg.Connection, data: Dataset, n: int, shuffled: bool
) -> tuple[int, list[bytes]]:
    """A second (empty) image of the project and CSV chunks of ``n`` new polygons for it."""
    side = data.side
    image, slice_ = await make_image(conn, data.project, data.reader, width=side, height=side)
    geoms, _ = polygons(np.random.default_rng(11), n, data.side)
    if shuffled:
        geoms = geoms[np.random.default_rng(12).permutation(n)]
    first = await conn.fetchval(
        "SELECT setval('lamina_id_seq', nextval('lamina_id_seq') + $1) - $1 + 1", n
    )
    fixed = f"{image},{slice_},{data.project},{data.reader}"
    return image, [
        _csv(np.arange(first + s, first + s + CHUNK), geoms[s : s + CHUNK], fixed)
        for s in range(0, n, CHUNK)
    ]


async def insert_cost(url: str, data: Dataset, n: int) -> None:
    """Print COPY and term-link medians with and without the triggers."""
    conn = await asyncpg.connect(url)
    try:
        term = await conn.fetchval("SELECT min(term_id) FROM annotation_term")
        print(f"bulk insert, {CHUNK}-row statements, median of {n // CHUNK} interleaved pairs")
        for shuffled in (False, True):
            image, bodies = await _chunks(conn, data, n, shuffled)
            on, off = [], []
            for body in bodies:
                on.append(await _timed_copy(conn, body, triggers=True))
                off.append(await _timed_copy(conn, body, triggers=False))
            _print_pair("COPY annotation, " + ("shuffled" if shuffled else "tile order"), on, off)
        links_on, links_off = [], []
        for body in bodies[:4]:
            links_on.append(await _timed_terms(conn, image, body, term, triggers=True))
            links_off.append(await _timed_terms(conn, image, body, term, triggers=False))
        _print_pair("INSERT annotation_term", links_on, links_off)
    finally:
        await conn.execute("ALTER TABLE annotation ENABLE TRIGGER annotation_overview_added")
        await conn.execute(
            "ALTER TABLE annotation_term ENABLE TRIGGER annotation_overview_term_added"
        )
        await conn.close()


def _print_pair(name: str, on: list[float], off: list[float]) -> None:
    cost = _ms(on) / _ms(off) - 1
    print(
        f"  {name:34s} with {_ms(on):7.1f} ms ({CHUNK / statistics.median(on):7.0f} rows/s)"
        f"  without {_ms(off):7.1f} ms ({CHUNK / statistics.median(off):7.0f} rows/s)"
        f"  trigger cost {cost:+.0%}"
    )


def overview_call(image_id: int, zoom: int, bbox: str | None) -> Call:
    """The in-process overview of an image."""

    async def call(conn: asyncpg.Connection, me: Principal) -> bytes:
        image = await annotation_overview.readable_image(conn, me, image_id)
        box = spatial.parse_bbox(bbox) if bbox else None
        found = await annotation_overview.overview(
            conn, image, zoom=zoom, bbox=box, users=None, terms=None
        )
        return msgspec.json.encode(found)

    return call


def tile_call(image_id: int, z: int, tx: int, ty: int) -> Call:
    """The in-process vector tile of an image."""

    async def call(conn: asyncpg.Connection, me: Principal) -> bytes:
        image = await annotation_overview.readable_image(conn, me, image_id)
        query = annotation_mvt.TileQuery(z=z, tx=tx, ty=ty)
        return await annotation_mvt.tile(conn, image, query)

    return call


def listing_call(params: dict[str, str]) -> Call:
    """The in-process annotation listing."""

    async def call(conn: asyncpg.Connection, me: Principal) -> bytes:
        return msgspec.json.encode(await list_annotations(conn, me, parse_query(params)))

    return call


def cases(data: Dataset) -> dict[str, tuple[str, Call]]:
    """Name -> (HTTP path, in-process call) of every measured read."""
    top, side, image = spatial.max_zoom(data.side, data.side), data.side, data.image
    span = 2000 << 4  # a 2000-px-wide viewer at zoom top - 4
    window = f"{side // 3},{side // 3},{side // 3 + span},{side // 3 + span}"
    base = f"/api/imageinstance/{image}/annotation"
    kmeans = {"image": str(image), "kmeans": "true", "bbox": f"0,0,{side},{side}"}
    mid = side // 512  # a tile in the middle of the image at full resolution
    tiles = {
        "MVT zoom 0 (clusters)": (0, 0, 0),
        f"MVT zoom {top - 4} (clusters)": (top - 4, 1, 1),
        f"MVT zoom {top - 3} (~1.2k geometries)": (top - 3, 1, 1),
        f"MVT zoom {top} (geometries)": (top, mid, mid),
    }
    found = {
        "overview zoom 0, whole image": (
            f"{base}/overview.json?zoom=0",
            overview_call(image, 0, None),
        ),
        f"overview zoom {top - 4}, 2000-px window": (
            f"{base}/overview.json?{urlencode({'zoom': top - 4, 'bbox': window})}",
            overview_call(image, top - 4, window),
        ),
    }
    for name, (z, tx, ty) in tiles.items():
        found[name] = (f"{base}/mvt/zoom/{z}/tx/{tx}/ty/{ty}.mvt", tile_call(image, z, tx, ty))
    found["kmeans listing, whole image"] = (
        f"/api/annotation.json?{urlencode(kmeans)}",
        listing_call(kmeans),
    )
    return found


async def floor(url: str, data: Dataset, call: Call, rounds: int) -> tuple[list[float], int]:
    """In-process timings of ``call`` (two warm-up calls first) and the body size."""
    me = Principal(id=data.reader, username=data.reader_name, rank=2)
    conn = await asyncpg.connect(url)
    timings, size = [], 0
    try:
        for i in range(rounds + 2):
            start = time.perf_counter()
            size = len(await call(conn, me))
            if i >= 2:
                timings.append(time.perf_counter() - start)
    finally:
        await conn.close()
    return timings, size


def reads(url: str, port: int, data: Dataset, rounds: int) -> None:
    """Print floor, HTTP and ratio of every read case."""
    print(f"reads over {data.count} annotations ({data.side} px square image)")
    for name, (path, call) in cases(data).items():
        base, size = asyncio.run(floor(url, data, call, rounds))
        timings, status = over_http(port, data, [path], rounds)
        if not timings:
            print(f"  {name:34s} floor {_ms(base):7.2f} ms  HTTP {status}")
            continue
        print(
            f"  {name:34s} floor {_ms(base):7.2f} ms  HTTP {_ms(timings):7.2f} ms"
            f"  ratio {_ms(timings) / _ms(base):.2f}x  ({size} bytes)"
        )


def main() -> None:
    """Load (or reuse) the data, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--insert", type=int, default=100_000, help="rows of the insert test (0: skip it)"
    )
    parser.add_argument("--fresh", action="store_true", help="drop the cached data first")
    args = parser.parse_args()
    root = Path(tempfile.gettempdir()) / f"{CACHE}-{args.count}"
    cluster = Cluster(root, fast_unsafe=True)
    if args.fresh and root.exists():
        cluster.stop()
        shutil.rmtree(root)
    url = cluster.ensure()
    try:
        data = asyncio.run(ensure(url, args.count))
        if args.insert:
            asyncio.run(insert_cost(url, data, args.insert))
        port = _free_port()
        proc = _serve(url, root / "serve", port)
        try:
            _wait_for_ping(port)
            reads(url, port, data, args.requests)
        finally:
            _stop(proc)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
