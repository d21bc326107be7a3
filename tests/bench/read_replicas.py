"""Listing throughput of ``lamina serve`` on the primary alone and with a read replica.

    python -m tests.bench.read_replicas [--seconds 5] [--rounds 3] [--polygons 100]

It starts a private PostGIS cluster and a hot standby of it (``pg_basebackup -R``), writes a
project with one image and ``--polygons`` squares, then runs two servers side by side on the
same database: one with no replica, one with ``LAMINA_DATABASE_REPLICA_URLS`` naming the
standby. wrk (2 threads, 32 connections, keep-alive) loads one server at a time, in turns,
with the viewer-shaped ``GET /api/annotation.json`` signed with an API key. Each line gives the
median round and the cores used meanwhile by Lamina, the primary and the standby: what moves
off the primary is the point. Both clusters share this machine's cores (and wrk its share),
so a standby here adds no capacity: it shows the routing's cost and the offload, not the
gain of a second machine. Read the ratios, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import httpx
import msgspec

from server.db.cluster import Cluster
from server.db.store.accounts import NewAccount
from tests.bench import load_tools as lt
from tests.bench import tiles_http as th
from tests.bench.annotations import VIEWER
from tests.server.annotation_helpers import make_image, square
from tests.server.standby_helpers import standby_of
from tests.signing import CytomineAuth


class Run(msgspec.Struct, frozen=True):
    """One wrk run and the cores each process tree used during it."""

    result: lt.WrkResult
    cores: tuple[float, float, float]
    """Lamina, primary, standby."""

    def line(self) -> str:
        lamina, primary, standby = self.cores
        return (
            f"{self.result.line()}\n{'':15s}cores busy: lamina {lamina:.2f},"
            f" primary {primary:.2f}, standby {standby:.2f}"
        )


def _postmaster(cluster: Cluster) -> int:
    return int((cluster.pgdata / "postmaster.pid").read_text().split()[0])


def _timed(base: str, trees: list[int], path: str, seconds: int, headers: dict[str, str]) -> Run:
    before, start = lt.cpu_seconds(trees), time.perf_counter()
    result = lt.wrk(base, [path], seconds=seconds, headers=headers)
    after, spent = lt.cpu_seconds(trees), time.perf_counter() - start
    lamina, primary, standby = ((a - b) / spent for a, b in zip(after, before, strict=True))
    return Run(result, (lamina, primary, standby))


def _image(base: str, url: str, account: NewAccount, polygons: int) -> int:
    """A project, an image instance and ``polygons`` squares on it; returns the image id."""
    auth = CytomineAuth(account.public_key, account.private_key)
    with httpx.Client(base_url=base, auth=auth, timeout=60) as http:
        project = http.post("/api/project.json", json={"name": "bench"}).json()["project"]["id"]

        async def insert() -> int:
            conn = await asyncpg.connect(url)
            try:
                return (await make_image(conn, project, account.id, width=4000, height=4000))[0]
            finally:
                await conn.close()

        image = asyncio.run(insert())
        side = int(polygons**0.5) + 1
        squares = [
            {"image": image, "location": square(100 + 300 * (i % side), 100 + 300 * (i // side))}
            for i in range(polygons)
        ]
        http.post("/api/annotation.json", json=squares).raise_for_status()
    return image


async def _caught_up(primary: str, standby: str) -> None:
    conn = await asyncpg.connect(primary)
    try:
        target = await conn.fetchval("SELECT pg_current_wal_insert_lsn()")
    finally:
        await conn.close()
    conn = await asyncpg.connect(standby)
    try:
        while await conn.fetchval("SELECT pg_last_wal_replay_lsn()") < target:
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.result.rate)[len(runs) // 2]


def run(args: argparse.Namespace, root: Path) -> None:
    """Set up both servers, load them in turns, print medians and the ratio."""
    primary = Cluster(root / "db")
    url = primary.ensure()
    account = asyncio.run(th._account(url))
    standby = standby_of(url, root / "standby")
    try:
        standby_url = standby.url()
        trees_of = {}
        with ExitStack() as stack:
            bases = {}
            for name, env in (
                ("primary only", {}),
                ("with replica", {"LAMINA_DATABASE_REPLICA_URLS": standby_url}),
            ):
                port = lt.free_port()
                proc = stack.enter_context(lt.lamina(url, root / "files", port, **env))
                bases[name] = f"http://127.0.0.1:{port}"
                trees_of[name] = [proc.pid, _postmaster(primary), _postmaster(standby)]
            image = _image(bases["primary only"], url, account, args.polygons)
            asyncio.run(_caught_up(url, standby_url))
            time.sleep(1.5)  # the monitor of the replica server has seen the standby caught up
            path = f"/api/annotation.json?{urlencode({'image': image, **VIEWER})}"
            headers = th._apikey_headers(account)
            for base in bases.values():
                lt.wrk(base, [path], seconds=2, headers=headers)
            runs: dict[str, list[Run]] = {}
            for _ in range(args.rounds):
                for name, base in bases.items():
                    runs.setdefault(name, []).append(
                        _timed(base, trees_of[name], path, args.seconds, headers)
                    )
    finally:
        standby.stop()
    print(
        f"listing of {args.polygons} polygons (API key, viewer shape); wrk 2 threads, 32 conn,"
        f" {args.seconds} s x {args.rounds} rounds (medians); {os.cpu_count()} cores, shared"
    )
    alone, replica = _median(runs["primary only"]), _median(runs["with replica"])
    print(f"  primary only   {alone.line()}")
    print(f"  with replica   {replica.line()}")
    print(f"  ratio          {replica.result.rate / alone.result.rate:5.2f}x")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    for flag, default in (("--seconds", 5), ("--rounds", 3), ("--polygons", 100)):
        parser.add_argument(flag, type=int, default=default)
    with lt.bench_root() as root:
        run(parser.parse_args(), root)


if __name__ == "__main__":
    main()
