"""Benchmark the annotation listing over HTTP against the physical floor, in one run.

    python -m tests.bench.annotations [--count 1000000] [--requests 30] [--fresh] [--serve PORT]

It keeps a private PostGIS cluster under the temporary directory with ``--count`` synthetic
cell-like polygons in one image (loaded once with COPY, reused by later runs; ``--fresh``
reloads), starts ``lamina serve`` on it and, for bbox windows holding ~100, ~1k and ~10k
annotations, prints the median time of:
- the physical floor: the bare rows of the window in-process (``id`` and
  ``ST_AsText(location)`` through the GiST (image_id, location) index, encoded by msgspec),
  what no listing of those rows can beat;
- ``GET /api/annotation.json`` over HTTP (one keep-alive connection, API-key signed like the
  Python client), with the viewer's groups (default, WKT, GIS, terms), and its ratio to the
  physical floor;
- the same store call in-process (the listing SQL through asyncpg, the page encoded by
  msgspec), which shows what HTTP adds.
Optional figures (zoomed-out overview, MVT tile) are printed when those routes answer 200.
The machine is shared and noisy: compare the medians and the ratio, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import math
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import msgspec

from server.db.cluster import Cluster
from server.db.pool import SESSION_SETTINGS, STATEMENT_CACHE_BYTES
from server.db.store.accounts import NewAccount
from server.db.store.annotation_listing import list_annotations
from server.http.annotation_query import parse_query
from server.principal import Principal
from tests.bench.annotation_data import Dataset, ensure
from tests.bench.api import _free_port, _headers, _serve, _stop, _wait_for_ping

TARGETS = (100, 1_000, 10_000)
VIEWER = {"showDefault": "true", "showWKT": "true", "showGIS": "true", "showTerm": "true"}
CACHE = "lamina-bench-annotations"
PHYSICAL_FLOOR = (
    "SELECT id, ST_AsText(location) AS location FROM annotation"
    " WHERE image_id = $1 AND location && ST_MakeEnvelope($2, $3, $4, $5, 0)"
)


class Bare(msgspec.Struct):
    """An annotation as the physical floor lists it."""

    id: int
    location: str


def windows(data: Dataset, target: int, n: int = 8) -> list[str]:
    """``n`` bbox strings spread over the image, each holding about ``target`` annotations."""
    side = math.sqrt(target / (data.count / data.side**2))
    room = data.side - side - 200
    boxes = []
    for i in range(n):
        x = 100 + (i * 0.382 * room) % room
        y = 100 + (i * 0.618 * room) % room
        boxes.append(f"{x:.0f},{y:.0f},{x + side:.0f},{y + side:.0f}")
    return boxes


def _params(data: Dataset, bbox: str) -> dict[str, str]:
    return {"image": str(data.image), "bbox": bbox, **VIEWER}


async def _floor_once(conn: asyncpg.Connection, me: Principal, params: dict[str, str]) -> int:
    """One in-process listing: the store call and the msgspec encoding; returns its size."""
    page = await list_annotations(conn, me, parse_query(params))
    msgspec.json.encode(page)
    return page.size


async def _physical_floor_once(conn: asyncpg.Connection, data: Dataset, bbox: str) -> int:
    """The bare rows of the window, encoded; returns how many."""
    minx, miny, maxx, maxy = (float(v) for v in bbox.split(","))
    rows = await conn.fetch(PHYSICAL_FLOOR, data.image, minx, miny, maxx, maxy)
    msgspec.json.encode([Bare(row["id"], row["location"]) for row in rows])
    return len(rows)


class Timings(msgspec.Struct):
    """Per-round timings of one window size, in seconds, and the median rows found."""

    physical: list[float]
    store: list[float]
    http: list[float]
    size: int = 0


async def measure(url: str, port: int, data: Dataset, boxes: list[str], rounds: int) -> Timings:
    """Physical floor, store call and HTTP timings taken in turn (a shared machine drifts)."""
    me = Principal(id=data.reader, username=data.reader_name, rank=2)
    conn = await asyncpg.connect(  # as the server's pool
        url, server_settings=SESSION_SETTINGS, max_cacheable_statement_size=STATEMENT_CACHE_BYTES
    )
    http_conn = http.client.HTTPConnection("127.0.0.1", port)
    found = Timings([], [], [])
    sizes: list[int] = []
    try:
        for i in range(rounds + 2):  # the first two prepare statements and warm caches
            box = boxes[i % len(boxes)]
            params = _params(data, box)
            start = time.perf_counter()
            await _physical_floor_once(conn, data, box)
            floor_end = time.perf_counter()
            sizes.append(await _floor_once(conn, me, params))
            store_end = time.perf_counter()
            _get(http_conn, data, f"/api/annotation.json?{urlencode(params)}")
            if i >= 2:
                found.physical.append(floor_end - start)
                found.store.append(store_end - floor_end)
                found.http.append(time.perf_counter() - store_end)
    finally:
        await conn.close()
        http_conn.close()
    found.size = int(statistics.median(sizes))
    return found


def _get(conn: http.client.HTTPConnection, data: Dataset, path: str) -> int:
    """One signed GET, body read; returns the status (reconnects once if the server hung up)."""
    for attempt in range(2):
        try:
            conn.request("GET", path, headers=_headers(_account(data)))
            response = conn.getresponse()
            response.read()
            return response.status
        except (http.client.RemoteDisconnected, ConnectionError):
            # uvicorn drops keep-alive connections idle for 5 s (a slow in-process call).
            conn.close()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _account(data: Dataset) -> NewAccount:
    return NewAccount(
        id=data.reader,
        username=data.reader_name,
        public_key=data.public_key,
        private_key=data.private_key,
    )


def over_http(port: int, data: Dataset, paths: list[str], rounds: int) -> tuple[list[float], int]:
    """HTTP timings of GETs cycling through ``paths`` (two warm-up requests first)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    timings: list[float] = []
    for i in range(rounds + 2):
        start = time.perf_counter()
        status = _get(conn, data, paths[i % len(paths)])
        if status != 200:
            return [], status
        if i >= 2:
            timings.append(time.perf_counter() - start)
    return timings, 200


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def _listing(url: str, port: int, data: Dataset, rounds: int) -> None:
    """Print the physical floor, HTTP and their ratio (and the store call) per window size."""
    print(f"GET /api/annotation.json?image&bbox&{'&'.join(VIEWER)} ({data.count} annotations)")
    for target in TARGETS:
        t = asyncio.run(measure(url, port, data, windows(data, target), rounds))
        print(
            f"  ~{target:>6} ({t.size:>6} found): physical floor {_ms(t.physical):8.2f} ms"
            f"  HTTP {_ms(t.http):8.2f} ms  ratio {_ms(t.http) / _ms(t.physical):.2f}x"
            f"  (store call in-process {_ms(t.store):8.2f} ms)"
        )


def _optional(port: int, data: Dataset, rounds: int) -> None:
    """The overview and an MVT tile, when those routes exist."""
    side = data.side
    routes = {
        "overview (whole image)": f"/api/imageinstance/{data.image}/annotation/overview.json"
        f"?bbox=0,0,{side},{side}",
        "MVT tile z0": f"/api/imageinstance/{data.image}/annotation/tile/0/0/0.mvt",
    }
    for name, path in routes.items():
        timings, status = over_http(port, data, [path], rounds)
        shown = f"HTTP {_ms(timings):8.2f} ms" if timings else f"not measured (HTTP {status})"
        print(f"  {name}: {shown}")


def _serve_only(url: str, root: Path, data: Dataset, port: int) -> None:
    """Serve the dataset on ``port`` and print the load-test environment."""
    proc = _serve(url, root / "serve", port)
    try:
        _wait_for_ping(port)
        print(f"export LOADTEST_PUBLIC_KEY={data.public_key}")
        print(f"export LOADTEST_PRIVATE_KEY={data.private_key}")
        print(f"export LOADTEST_IMAGE={data.image}")
        print(f"serving {data.count} annotations on http://127.0.0.1:{port} (^C stops)")
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        _stop(proc)


def main() -> None:
    """Load (or reuse) the data, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop the cached data first")
    parser.add_argument(
        "--serve", type=int, metavar="PORT", help="only serve the data (for loadtests/) until ^C"
    )
    args = parser.parse_args()
    root = Path(tempfile.gettempdir()) / f"{CACHE}-{args.count}"
    cluster = Cluster(root, fast_unsafe=True)
    if args.fresh and root.exists():
        cluster.stop()
        shutil.rmtree(root)
    url = cluster.ensure()
    try:
        data = asyncio.run(ensure(url, args.count))
        if args.serve:
            _serve_only(url, root, data, args.serve)
            return
        port = _free_port()
        proc = _serve(url, root / "serve", port)
        try:
            _wait_for_ping(port)
            _listing(url, port, data, args.requests)
            _optional(port, data, args.requests)
        finally:
            _stop(proc)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
