"""Benchmark the zoomed-out annotation views, in one run.

    python -m tests.bench.annotation_overview [--count 1000000] [--requests 30] [--fresh]

It keeps a private PostGIS cluster under the temporary directory with ``--count`` synthetic
cell-like polygons in one image (``tests.bench.annotation_data``: COPY, reused by later runs;
``--fresh`` reloads), then prints medians of:
- the overview (whole image at zoom 0, a viewer window at a middle zoom), vector tiles
  (clustered low zooms, geometries at full resolution) and the clustered ``kmeans`` listing:
  the in-process floor (store call through asyncpg, body encoded) beside ``lamina serve``
  over HTTP (one keep-alive connection, API-key signed like the Python client), and the ratio.
What keeping the views current costs a write is measured by ``tests.bench.annotation_import``
(each writing statement logs its own changes; no trigger to switch off here).
The machine is shared and noisy: compare the medians and the ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import msgspec

import spatial
from server.db.cluster import Cluster
from server.db.store import annotation_mvt, annotation_overview
from server.db.store.annotation_listing import list_annotations
from server.http.annotation_query import parse_query
from server.principal import Principal
from tests.bench.annotation_data import Dataset, ensure
from tests.bench.annotations import over_http
from tests.bench.api import _free_port, _serve, _stop, _wait_for_ping

CACHE = "lamina-bench-annotation-overview"

Call = Callable[[asyncpg.Connection, Principal], Awaitable[bytes]]


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


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
