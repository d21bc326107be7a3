"""Tile and listing throughput of ``lamina serve`` with one and two workers, in one run.

    python -m tests.bench.workers [--width 16384 --height 16384] [--seconds 5] [--rounds 3]

It starts a private PostGIS cluster, uploads a synthetic pyramidal slide (cached under
``.cache/bench/``) and 100 polygons, then runs the same server with ``--workers 1`` and
``--workers 2`` side by side on the same database. After a warm-up, wrk (2 threads,
32 connections, keep-alive) loads one server at a time, in turns over a few rounds, with:
- warm tiles: signed normalized-tile URLs spread over four zooms (each worker fills its own
  tile cache during the warm-up);
- listing: the viewer-shaped ``GET /api/annotation.json`` of the image's 100 polygons, signed
  with a CYTOMINE API key.
Each line gives the median round and the cores the server's processes and PostgreSQL used
meanwhile. wrk runs on the same machine and takes its share of the cores, and the machine is
shared: read the ratios, measured in the same run, rather than the absolute rates.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import httpx
import msgspec

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


class Run(msgspec.Struct, frozen=True):
    """One wrk run and the cores the server and PostgreSQL used during it."""

    result: lt.WrkResult
    lamina_cores: float
    postgres_cores: float

    def line(self) -> str:
        return (
            f"{self.result.line()}\n{'':13s}cores busy: lamina {self.lamina_cores:.2f},"
            f" postgres {self.postgres_cores:.2f}"
        )


class Target(msgspec.Struct, frozen=True):
    """Where to send requests, and the process trees whose CPU time is counted."""

    base: str
    lamina_pid: int
    postgres_pid: int


def _timed(target: Target, paths: list[str], seconds: int, headers: dict[str, str] | None) -> Run:
    """wrk over ``paths`` with the cores used by Lamina and PostgreSQL meanwhile."""
    trees = [target.lamina_pid, target.postgres_pid]
    before, start = lt.cpu_seconds(trees), time.perf_counter()
    result = lt.wrk(target.base, paths, seconds=seconds, headers=headers)
    after, spent = lt.cpu_seconds(trees), time.perf_counter() - start
    server, postgres = ((a - b) / spent for a, b in zip(after, before, strict=True))
    return Run(result, server, postgres)


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.result.rate)[len(runs) // 2]


def run(args: argparse.Namespace, root: Path) -> None:
    """Set up, run both servers side by side, measure them in turns, print medians and ratios."""
    path = th.slide(args.width, args.height)
    cluster = Cluster(root / "db")
    url = cluster.ensure()
    postmaster = int((cluster.pgdata / "postmaster.pid").read_text().split()[0])
    account = asyncio.run(th.viewer_account(url))
    headers = th._apikey_headers(account)
    with ExitStack() as stack:
        targets = {}
        for workers in (1, 2):
            port = lt.free_port()
            proc = stack.enter_context(lt.lamina(url, root / "files", port, workers=workers))
            targets[workers] = Target(f"http://127.0.0.1:{port}", proc.pid, postmaster)
        slice_id, query = th._upload(targets[1].base, account, path)
        tiles = [f"{th._path(slice_id, t)}?{query}" for t in th._warm_set(args.width, args.height)]
        image = _polygons(targets[1].base, account, slice_id)
        listing = f"/api/annotation.json?{urlencode({'image': image, **VIEWER})}"
        loads: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "warm tiles (signed URL)": (tiles, None),
            "listing (API key, viewer shape)": ([listing], headers),
        }
        for target in targets.values():  # warm-up: every worker fills its caches
            for paths, with_headers in loads.values():
                lt.wrk(target.base, paths, seconds=2, headers=with_headers)
        runs: dict[tuple[str, int], list[Run]] = {}
        for _ in range(args.rounds):  # in turns, so that the machine's drift hits both alike
            for name, (paths, with_headers) in loads.items():
                for workers, target in targets.items():
                    measured = _timed(target, paths, args.seconds, with_headers)
                    runs.setdefault((name, workers), []).append(measured)
    print(
        f"{path.name}, {len(tiles)} warm tiles; listing of {POLYGONS} polygons; wrk 2 threads,"
        f" 32 conn, {args.seconds} s x {args.rounds} rounds (medians);"
        f" {os.cpu_count()} cores, shared machine"
    )
    for name in loads:
        one, two = _median(runs[(name, 1)]), _median(runs[(name, 2)])
        print(name)
        print(f"  1 worker   {one.line()}")
        print(f"  2 workers  {two.line()}")
        print(f"  ratio      {two.result.rate / one.result.rate:5.2f}x")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=16384)
    parser.add_argument("--height", type=int, default=16384)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with lt.bench_root() as root:
        run(args, root)


if __name__ == "__main__":
    main()
