"""Benchmark bulk annotation writes over REST beside their in-process COPY floor, in one run.

    python -m tests.bench.annotation_import [--existing 200000] [--rows 100000]
        [--chunk 5000] [--clients 2] [--small 3000] [--side 60000]

It starts a private PostGIS cluster in a temporary directory, makes one large image, loads
``--existing`` cell-like polygons (so the GiST index is not empty) and analyzes the tables (as
autovacuum would have by then in a running database), then writes ``--rows``
more polygons (8-32 vertices, 10-60 px, one term each) three ways and prints rows/s:
- the floor: the same binary COPY through asyncpg (ids, annotations, terms and the command
  row in one transaction per chunk), geometry already WKB, with the overview triggers
  disabled: what PostgreSQL alone takes while it keeps references and counters; measured
  with one session and with ``--clients`` sessions, before and after the REST runs (ratios
  use the faster of each);
- the same COPY with every trigger enabled (what the overview triggers add to a write), and
  with the overview changes computed while encoding and copied beside the rows, the way the
  REST writers log them (migration 0037);
- the array POST ``/api/annotation.json`` with ``--chunk`` items per request from
  ``--clients`` threads, and ``--small`` items sent the official client's way (chunks of 15
  from 8 threads), on a server first warmed up as a running one is (its checker process
  started, its connections opened): the first array POST of the fresh server, which pays
  for that, is timed and printed on its own;
- the streaming import (one NDJSON body, then one GeoJSON FeatureCollection body);
- a diagnostic floor with every trigger (FK checks and counters too) disabled.
The machine is shared and noisy (2 cores for the server, PostgreSQL and this client).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import numpy as np
import shapely

from server.auth.apikey import sign
from server.db import queries as q
from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store import annotation_copy as cp
from server.db.store import annotation_overview
from server.db.store.accounts import NewAccount, create_account
from server.db.store.annotation_rows import Row
from tests.server.annotation_helpers import make_image

# The image's side: at the defaults the run ends with about 1.2M polygons in it, near the
# density of the 1M-polygon listing benchmark (a dense tissue section). A sparser image (a
# larger side) spreads each batch over more overview cells, which the triggers then update.
SIDE = 60_000


class World(msgspec.Struct, kw_only=True):
    """The account, project, terms and image the benchmark writes into."""

    account: NewAccount
    project: int
    terms: list[int]
    image: int
    slice: int
    side: int


def cells(rng: np.random.Generator, n: int, side: int) -> np.ndarray:
    """``n`` star-shaped polygons: 8-32 vertices, 10-60 px across, in tile order."""
    k = rng.integers(8, 33, n)
    radius = rng.uniform(5, 30, n)
    cx, cy = rng.uniform(40, side - 40, n), rng.uniform(40, side - 40, n)
    order = np.lexsort((cx, cy // 512, cx // 512))
    k, radius, cx, cy = k[order], radius[order], cx[order], cy[order]
    sizes = k + 1
    owner = np.repeat(np.arange(n), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    j = np.arange(owner.size) - starts
    theta = 2 * math.pi * (j % k[owner]) / k[owner]
    r = radius[owner] * rng.uniform(0.75, 1.0, owner.size)
    r[j == k[owner]] = r[starts[j == k[owner]]]
    x = np.round(cx[owner] + r * np.cos(theta), 2)
    y = np.round(cy[owner] + r * np.sin(theta), 2)
    rings = np.concatenate(([0], np.cumsum(sizes)))
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, np.column_stack((x, y)), (rings, np.arange(n + 1))
    )


async def _world(url: str, side: int = SIDE) -> World:
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        account = await create_account(conn, username="importer")
        ontology = await conn.fetchval(
            "INSERT INTO ontology (name, user_id) VALUES ('cells', $1) RETURNING id", account.id
        )
        project = await conn.fetchval(
            "INSERT INTO project (name, creator_id, ontology_id) VALUES ('bench', $1, $2)"
            " RETURNING id",
            account.id,
            ontology,
        )
        await conn.execute(
            "INSERT INTO project_member (project_id, user_id, is_manager) VALUES ($1, $2, true)",
            project,
            account.id,
        )
        terms = [
            await conn.fetchval(
                "INSERT INTO term (name, ontology_id, color) VALUES ($1, $2, '#00FF00')"
                " RETURNING id",
                name,
                ontology,
            )
            for name in ("tumour", "stroma", "lymphocyte")
        ]
        image, slice_ = await make_image(conn, project, account.id, width=side, height=side)
    finally:
        await conn.close()
    return World(
        account=account, project=project, terms=terms, image=image, slice=slice_, side=side
    )


def _rows(world: World, geoms: np.ndarray) -> list[Row]:
    wkbs = shapely.to_wkb(geoms, output_dimension=2).tolist()
    area, length = np.round(shapely.area(geoms)), np.round(shapely.length(geoms))
    bounds = shapely.bounds(geoms)
    xs, ys = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    measures = zip(wkbs, area.tolist(), length.tolist(), xs.tolist(), ys.tolist(), strict=True)
    return [
        Row(
            image_id=world.image,
            slice_id=world.slice,
            project_id=world.project,
            wkb=w,
            area=a,
            area_unit="pixels²",
            perimeter=p,
            perimeter_unit="pixels",
            terms=[world.terms[i % 3]],
            centre_x=x,
            centre_y=y,
        )
        for i, (w, a, p, x, y) in enumerate(measures)
    ]


Chunk = tuple[int, cp.Batch]
"""The first id of a chunk and its COPY tuples (annotations, term links, overview changes)
and counts."""


async def _encode_chunks(url: str, world: World, geoms: np.ndarray, chunk: int) -> list[Chunk]:
    """Every chunk's first id and COPY tuples: ids, WKB and tuples made beforehand."""
    conn = await asyncpg.connect(url)
    sizes = {world.image: (world.side, world.side)}
    try:
        out = []
        for k in range(0, len(geoms), chunk):
            rows = _rows(world, geoms[k : k + chunk])
            allocated = await cp.allocate_ids(conn, len(rows) + cp.link_count(rows))
            ids, links = allocated[: len(rows)], allocated[len(rows) :]
            users = [world.account.id] * len(rows)
            terms, _ = cp.encode_terms(ids, users, rows, links)
            overview = cp.encode_overview(users, rows, sizes)
            encoded = cp.encode_annotations(ids, users, rows, 0, links)
            batch = (encoded, terms, overview, cp.tally(rows), cp.parents(users, rows))
            out.append((ids[0], batch))
        return out
    finally:
        await conn.close()


async def floor(
    url: str, world: World, geoms: np.ndarray, chunk: int, conns: int = 1, logged: bool = False
) -> float:
    """Rows/s of the binary COPY alone (tuples encoded beforehand), ``conns`` sessions at once.

    Each chunk is one transaction: annotations, term links and a command row, as over REST;
    ``logged``: with the overview changes computed beforehand, copied the REST writers' way.
    """
    chunks = await _encode_chunks(url, world, geoms, chunk)

    async def work(mine: list[Chunk]) -> None:
        conn = await asyncpg.connect(url)
        try:
            for first, batch in mine:
                annotations, terms, _, counts, named = batch
                async with conn.transaction():
                    if logged:
                        await cp.copy_batches(conn, _one(batch))
                    else:
                        await cp.copy_annotations(conn, cp.once(annotations))
                        await cp.copy_terms(conn, cp.once(terms))
                        await cp.check_parents(conn, [named])
                    await conn.execute(
                        "INSERT INTO command (user_id, project_id, type, class_name, object_id)"
                        " VALUES ($1, $2, 'ADD', 'bench', $3)",
                        world.account.id,
                        world.project,
                        first,
                    )
                    await cp.count_added(conn, counts)  # last, as the REST writers do
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(work(chunks[i::conns]) for i in range(conns)))
    return len(geoms) / (time.perf_counter() - start)


async def _one(batch: cp.Batch) -> AsyncIterator[cp.Batch]:
    yield batch


# The overview triggers: disabled for the floor (a private cluster, superuser); the rows
# written meanwhile leave the aggregates stale, which nothing reads here.
OVERVIEW_TRIGGERS = ("annotation_overview_added", "annotation_overview_term_added")
EVERY_TRIGGER = ("ALL",)


async def _without(
    url: str, world: World, geoms: np.ndarray, chunk: int, triggers: tuple[str, ...], conns: int
) -> float:
    """The COPY rate with ``triggers`` disabled on both tables (absent ones are skipped)."""
    conn = await asyncpg.connect(url)
    names = {r[0] for r in await conn.fetch("SELECT tgname FROM pg_trigger")} | {"ALL"}
    found = [t for t in triggers if t in names]
    try:
        for name in found:
            await _toggle(conn, name, "DISABLE")
        return await floor(url, world, geoms, chunk, conns)
    finally:
        for name in found:
            await _toggle(conn, name, "ENABLE")
        await conn.close()


async def _toggle(conn: asyncpg.Connection, name: str, action: str) -> None:
    for table in ("annotation", "annotation_term"):
        exists = name == "ALL" or await conn.fetchval(
            "SELECT count(*) FROM pg_trigger WHERE tgname = $1 AND tgrelid = $2::regclass",
            name,
            table,
        )
        if exists:
            target = "ALL" if name == "ALL" else f'"{name}"'
            await conn.execute(f"ALTER TABLE {table} {action} TRIGGER {target}")  # noqa: S608


def _headers(account: NewAccount, method: str) -> dict[str, str]:
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    signature = sign(account.private_key, f"{method}\n\n\n{date}")
    return {"date": date, "authorization": f"CYTOMINE {account.public_key}:{signature}"}


# The official Python client's bulk writes: arrays of 15 from 8 threads.
SMALL_CLIENTS = 8


def _array_bodies(world: World, geoms: np.ndarray, chunk: int) -> list[bytes]:
    wkts = shapely.to_wkt(geoms, rounding_precision=-1).tolist()
    items = [
        {"location": w, "image": world.image, "term": [world.terms[i % 3]]}
        for i, w in enumerate(wkts)
    ]
    return [msgspec.json.encode(items[k : k + chunk]) for k in range(0, len(items), chunk)]


def _post_all(port: int, account: NewAccount, bodies: list[bytes], clients: int) -> float:
    """POST every body from ``clients`` threads; wall-clock seconds."""
    failures: list[str] = []

    def work(mine: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for body in mine:
            headers = {**_headers(account, "POST"), "content-type": "application/json"}
            conn.request("POST", "/api/annotation.json", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200 or b'"status":200' not in answer:
                failures.append(answer[:300].decode(errors="replace"))

    threads = [threading.Thread(target=work, args=(bodies[i::clients],)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{len(failures)} POSTs failed, first: {failures[0]}")
    return time.perf_counter() - start


# Items of the warm-up arrays and import: more than the array POST checks inline
# (annotation_rows.THREAD_THRESHOLD), so that the checker process serves them.
WARM_ROWS = 200


def _warm_up(port: int, world: World, rng: np.random.Generator, clients: int) -> float:
    """Bring the fresh server to where a running one is: its checker process started, the
    connections each concurrency needs opened, their statements prepared. Returns the
    seconds its first array POST took (what the first bulk write after a start pays)."""

    def post(rows: int, chunk: int, threads: int) -> float:
        bodies = _array_bodies(world, cells(rng, rows, world.side), chunk)
        return _post_all(port, world.account, bodies, threads)

    first = post(WARM_ROWS, WARM_ROWS, 1)
    post(WARM_ROWS * clients, WARM_ROWS, clients)
    post(15 * SMALL_CLIENTS, 15, SMALL_CLIENTS)
    features = _features(world, cells(rng, WARM_ROWS, world.side))
    _stream(port, world, _ndjson(features), "application/x-ndjson")
    return first


def _features(world: World, geoms: np.ndarray) -> list[bytes]:
    shapes = shapely.to_geojson(geoms).tolist()
    return [
        b'{"type":"Feature","geometry":%s,"properties":{"term":[%d]}}'
        % (g.encode(), world.terms[i % 3])
        for i, g in enumerate(shapes)
    ]


def _ndjson(features: list[bytes]) -> Iterator[bytes]:
    for k in range(0, len(features), 2000):
        yield b"\n".join(features[k : k + 2000]) + b"\n"


def _collection(features: list[bytes]) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    for k in range(0, len(features), 2000):
        yield (b"," if k else b"") + b",".join(features[k : k + 2000])
    yield b"]}"


def _stream(port: int, world: World, body: Iterator[bytes], kind: str) -> tuple[float, Any]:
    """POST one streamed (chunked) import body; seconds and the job it answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    headers = {**_headers(world.account, "POST"), "content-type": kind}
    start = time.perf_counter()
    conn.request(
        "POST",
        f"/api/imageinstance/{world.image}/annotation/import.json",
        body=body,
        headers=headers,
        encode_chunked=True,
    )
    response = conn.getresponse()
    answer = msgspec.json.decode(response.read())
    elapsed = time.perf_counter() - start
    if response.status != 200 or answer.get("status") != "done":
        raise RuntimeError(f"import answered {response.status}: {str(answer)[:300]}")
    return elapsed, answer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "server.cli", "--database-url", url, "--data-dir"]
    cmd += [str(data_dir), "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/server/ping")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("server did not answer the ping")


async def _analyze(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(q.ANNOTATION_ANALYZE)
    finally:
        await conn.close()


async def _flush_pending(url: str) -> tuple[int, float] | None:
    """Overview changes still pending after the REST runs, and the seconds to fold them in."""
    conn = await asyncpg.connect(url)
    try:
        if await conn.fetchval("SELECT to_regclass('annotation_overview_delta')") is None:
            return None  # overviews kept by the write statements themselves
        left = int(await conn.fetchval("SELECT count(*) FROM annotation_overview_delta"))
        start = time.perf_counter()
        await annotation_overview.flush_pending(conn)
        return left, time.perf_counter() - start
    finally:
        await conn.close()


async def _count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM annotation"))
    finally:
        await conn.close()


def _line(label: str, rate: float, base: float) -> None:
    print(f"  {label:<62} {rate:>9,.0f} rows/s   {rate / base:5.2f}x floor")


def _over_http(
    args: argparse.Namespace, url: str, root: Path, world: World
) -> list[tuple[str, int, float]]:
    """The REST figures as (label, concurrent requests, rows/s)."""
    rng = np.random.default_rng(7)
    port = _free_port()
    proc = _serve(url, root / "data", port)
    out: list[tuple[str, int, float]] = []
    try:
        first = _warm_up(port, world, rng, args.clients)
        print(f"  first array POST of the fresh server ({WARM_ROWS} items): {first * 1000:,.0f} ms")
        bodies = _array_bodies(world, cells(rng, args.rows, world.side), args.chunk)
        seconds = _post_all(port, world.account, bodies, args.clients)
        label = f"array POST, {args.chunk}/request, {args.clients} clients"
        out.append((label, args.clients, args.rows / seconds))
        if args.small:
            bodies = _array_bodies(world, cells(rng, args.small, world.side), 15)
            seconds = _post_all(port, world.account, bodies, SMALL_CLIENTS)
            label = "array POST, 15/request, 8 clients (python client)"
            out.append((label, args.clients, args.small / seconds))
        features = _features(world, cells(rng, args.rows, world.side))
        seconds, _ = _stream(port, world, _ndjson(features), "application/x-ndjson")
        out.append(("streaming import, NDJSON, 1 request", 1, args.rows / seconds))
        features = _features(world, cells(rng, args.rows, world.side))
        seconds, _ = _stream(port, world, _collection(features), "application/geo+json")
        out.append(("streaming import, FeatureCollection, 1 request", 1, args.rows / seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--existing", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--small", type=int, default=3000)
    parser.add_argument("--side", type=int, default=SIDE, help="the image's width and height")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="lamina-bench-"))
    root.chmod(0o755)  # the postgres account must reach the cluster inside it
    cluster = Cluster(root / "db")
    try:
        url = cluster.ensure()
        world = asyncio.run(_world(url, args.side))
        rng = np.random.default_rng(1)
        if args.existing:
            asyncio.run(floor(url, world, cells(rng, args.existing, world.side), 50_000))
        # The table as a running database has it: analyzed (autovacuum would have, a minute
        # after the load), so the REST figures measure steady writes, not the one-time
        # ANALYZE a first bulk write runs when the table has no statistics.
        asyncio.run(_analyze(url))
        # Floors with one session (what one import request can use) and with as many
        # sessions as array-POST clients, taken before and after the REST runs (the machine
        # is shared and its load drifts); each REST figure is divided by the faster floor of
        # its own concurrency.
        one, many = (1, args.clients)

        def batch() -> np.ndarray:
            return cells(rng, args.rows, world.side)

        def bare(n: int, triggers: tuple[str, ...] = OVERVIEW_TRIGGERS) -> float:
            return asyncio.run(_without(url, world, batch(), args.chunk, triggers, n))

        floors = {n: [bare(n)] for n in (one, many)}
        full = asyncio.run(floor(url, world, batch(), args.chunk, one))
        logged = asyncio.run(floor(url, world, batch(), args.chunk, one, logged=True))
        figures = _over_http(args, url, root, world)
        for n in (one, many):
            floors[n].append(bare(n))
        base = {n: max(v) for n, v in floors.items()}
        print(f"{args.rows:,} cell polygons into an indexed table of {args.existing:,}+ rows")
        for n, (before, after) in floors.items():
            label = f"floor: binary COPY without overview triggers, {n} session(s)"
            _line(f"{label}, before", before, base[n])
            _line(f"{label}, after", after, base[n])
        _line("binary COPY with every trigger, 1 session", full, base[one])
        _line("binary COPY logging its overview changes (as REST), 1 session", logged, base[one])
        for label, sessions, rate in figures:
            _line(label, rate, base[sessions if sessions in base else one])
        rate = bare(one, EVERY_TRIGGER)
        _line("diagnostic: binary COPY without any trigger, 1 session", rate, base[one])
        pending = asyncio.run(_flush_pending(url))
        if pending is not None:
            print(f"  overview changes pending at the end: {pending[0]:,} rows,"
                  f" flushed in {pending[1]:.2f} s")  # fmt: skip
        print(f"  table now holds {asyncio.run(_count(url)):,} annotations")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
