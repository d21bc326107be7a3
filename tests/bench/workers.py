"""Tile and listing throughput of ``lamina serve`` with one and two workers, in one run.

    python -m tests.bench.workers [--width 16384 --height 16384] [--seconds 5]

It starts a private PostGIS cluster, uploads a synthetic pyramidal slide (cached under
``.cache/bench/``) and 100 polygons, then runs the same server with ``--workers 1`` and
``--workers 2`` on the same database. For each, wrk (2 threads, 32 connections, keep-alive)
replays after a warm-up:
- warm tiles: signed normalized-tile URLs spread over four zooms (each worker fills its own
  tile cache during the warm-up);
- listing: the viewer-shaped ``GET /api/annotation.json`` of the image's 100 polygons, signed
  with a CYTOMINE API key.
wrk runs on the same machine and takes its share of the cores, and the machine is shared:
read the ratios, measured in the same run, rather than the absolute rates.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from urllib.parse import urlencode

import httpx

from server.db.cluster import Cluster
from server.db.store.accounts import NewAccount
from tests.bench import load_tools as lt
from tests.bench import tiles_http as th
from tests.bench.annotations import VIEWER
from tests.signing import CytomineAuth

POLYGONS = 100


def _polygons(base: str, account: NewAccount, slice_id: int) -> int:
    """POST ``POLYGONS`` squares on the image of ``slice_id``; returns the image instance id."""
    auth = CytomineAuth(account.public_key, account.private_key)
    with httpx.Client(base_url=base, auth=auth, timeout=60) as http:
        image = http.get(f"/api/sliceinstance/{slice_id}.json").json()["image"]
        squares = [
            {
                "image": image,
                "location": f"POLYGON(({x} {y}, {x + 90} {y}, {x + 90} {y + 90}, {x} {y + 90},"
                f" {x} {y}))",
            }
            for x in range(100, 1100, 100)
            for y in range(100, 1100, 100)
        ]
        http.post("/api/annotation.json", json=squares).raise_for_status()
    return int(image)


def _measure(
    base: str, tiles: list[str], listing: str, headers: dict[str, str], seconds: int
) -> tuple[lt.WrkResult, lt.WrkResult]:
    """Warm up, then wrk over the tiles and over the listing."""
    lt.wrk(base, tiles, seconds=2)
    lt.wrk(base, [listing], seconds=1, headers=headers)
    return (
        lt.wrk(base, tiles, seconds=seconds),
        lt.wrk(base, [listing], seconds=seconds, headers=headers),
    )


def run(args: argparse.Namespace, root: Path) -> None:
    """Set up, measure with one then two workers, print the rates and ratios."""
    path = th.slide(args.width, args.height)
    url = Cluster(root / "db").ensure()
    account = asyncio.run(th._account(url))
    headers = th._apikey_headers(account)
    results: dict[int, tuple[lt.WrkResult, lt.WrkResult]] = {}
    tiles: list[str] = []
    listing = ""
    for workers in (1, 2):
        port = lt.free_port()
        base = f"http://127.0.0.1:{port}"
        with lt.lamina(url, root / "files", port, workers=workers):
            if not tiles:
                slice_id, query = th._upload(base, account, path)
                warm = th._warm_set(args.width, args.height)
                tiles = [f"{th._path(slice_id, t)}?{query}" for t in warm]
                image = _polygons(base, account, slice_id)
                listing = f"/api/annotation.json?{urlencode({'image': image, **VIEWER})}"
            results[workers] = _measure(base, tiles, listing, headers, args.seconds)
    print(
        f"{path.name}, {len(tiles)} warm tiles; listing of {POLYGONS} polygons;"
        f" wrk 2 threads, 32 conn, {args.seconds} s; {os.cpu_count()} cores (shared machine)"
    )
    for i, name in enumerate(("warm tiles (signed URL)", "listing (API key, viewer shape)")):
        one, two = results[1][i], results[2][i]
        print(name)
        print(f"  1 worker   {one.line()}")
        print(f"  2 workers  {two.line()}  {two.rate / one.rate:5.2f}x")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=16384)
    parser.add_argument("--height", type=int, default=16384)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with lt.bench_root() as root:
        run(args, root)


if __name__ == "__main__":
    main()
