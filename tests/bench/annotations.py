"""Benchmark the annotation listing over HTTP against its in-process floor, in one run.

    python -m tests.bench.annotations [--count 1000000] [--requests 30] [--fresh] [--serve PORT]

It keeps a private PostGIS cluster under the temporary directory with ``--count`` synthetic
cell-like polygons in one image (loaded once with COPY, reused by later runs; ``--fresh``
reloads), starts ``lamina serve`` on it and, for bbox windows holding ~100, ~1k and ~10k
annotations, prints the median time of:
- the floor: the same store call in-process (the listing SQL through asyncpg, the page
  encoded by msgspec);
- ``GET /api/annotation.json`` over HTTP (one keep-alive connection, API-key signed like the
  Python client), with the viewer's groups (default, WKT, GIS, terms) and the ratio.
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
from server.db.store.accounts import NewAccount
from server.db.store.annotation_listing import list_annotations, parse_query
from server.principal import Principal
from tests.bench.annotation_data import Dataset, ensure
from tests.bench.api import _free_port, _headers, _serve, _stop, _wait_for_ping

TARGETS = (100, 1_000, 10_000)
VIEWER = {"showDefault": "true", "showWKT": "true", "showGIS": "true", "showTerm": "true"}
CACHE = "lamina-bench-annotations"


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


async def measure(
    url: str, port: int, data: Dataset, boxes: list[str], rounds: int
) -> tuple[list[float], list[float], int]:
    """Floor and HTTP timings taken alternately (the load on a shared machine drifts)."""
    me = Principal(id=data.reader, username=data.reader_name, rank=2)
    conn = await asyncpg.connect(url)
    http_conn = http.client.HTTPConnection("127.0.0.1", port)
    floors: list[float] = []
    https: list[float] = []
    sizes: list[int] = []
    try:
        for i in range(rounds + 2):  # the first two prepare statements and warm caches
            params = _params(data, boxes[i % len(boxes)])
            start = time.perf_counter()
            sizes.append(await _floor_once(conn, me, params))
            middle = time.perf_counter()
            _get(http_conn, data, f"/api/annotation.json?{urlencode(params)}")
            if i >= 2:
                floors.append(middle - start)
                https.append(time.perf_counter() - middle)
    finally:
        await conn.close()
        http_conn.close()
    return floors, https, int(statistics.median(sizes))


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
    """Print floor, HTTP and ratio for each window size."""
    print(f"GET /api/annotation.json?image&bbox&{'&'.join(VIEWER)} ({data.count} annotations)")
    for target in TARGETS:
        base, timings, size = asyncio.run(measure(url, port, data, windows(data, target), rounds))
        ratio = _ms(timings) / _ms(base)
        print(
            f"  ~{target:>6} ({size:>6} found): floor {_ms(base):8.2f} ms"
            f"  HTTP {_ms(timings):8.2f} ms  ratio {ratio:.2f}x"
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
