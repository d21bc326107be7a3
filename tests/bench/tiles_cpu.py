"""CPU time per tile request on the raw-ASGI fast path, in-process, beside its floors.

    python -m tests.bench.tiles_cpu [--width 8192 --height 8192] [--rounds 7] [--requests 2000]

It starts a private PostGIS cluster and the app behind ``server.fast_tiles`` in this process,
uploads a synthetic slide and signs its URLs. Then it calls the fast path's ASGI callable
directly (a made-up scope, a ``send`` that drops the messages, no socket, no event loop work
besides the awaits) and counts ``time.process_time`` per request, median of ``--rounds``:
- warm tiles (in the picture cache) with a signed URL, then with a ``CYTOMINE`` API key;
- uncached tiles (distinct, copied through from the stored pyramid with one ``pread``);
and, as floors measured in the same run: the picture cache lookup alone, and
``tiling.stored.jpeg_tile`` alone on distinct tiles. HTTP parsing and the socket are not
counted: ``tests.bench.tiles_http`` measures those with wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.cluster import Cluster
from server.db.store.accounts import NewAccount
from server.fast_tiles import FastTiles, wrap
from server.gc_tuning import calm_gc
from server.malloc_tuning import keep_freed_memory
from server.runtime import runtime_of
from server.settings import Settings
from tests.bench import load_tools as lt
from tests.bench.tiles_http import slide, slide_arguments, viewer_account
from tests.signing import CytomineAuth
from tiling import levels, sources, stored

Scope = dict[str, Any]
Batches = Callable[[int], list[Scope]]


async def _upload(client: AsyncTestClient, account: NewAccount, path: Path) -> tuple[int, str]:  # type: ignore[type-arg]
    """Storage, project, upload; the reference slice id and its signed query."""
    auth = CytomineAuth(account.public_key, account.private_key)
    r = await client.post("/api/storage.json", json={"name": "bench"}, auth=auth)
    storage = r.json()["storage"]["id"]
    r = await client.post("/api/project.json", json={"name": "bench"}, auth=auth)
    project = r.json()["project"]["id"]
    params = {"idStorage": storage, "idProject": project, "sync": "true"}
    with path.open("rb") as handle:
        files = {"files[]": (path.name, handle, "image/tiff")}
        r = await client.post("/upload", params=params, files=files, auth=auth)
    r.raise_for_status()
    instance = r.json()[0]["images"][0]["imageInstances"][0]["id"]
    ref = await client.get(f"/api/imageinstance/{instance}/sliceinstance/reference.json", auth=auth)
    signed = await client.get(f"/api/sliceinstance/{ref.json()['id']}/tileurl.json", auth=auth)
    return int(ref.json()["id"]), str(signed.json()["query"])


def _apikey_headers(account: NewAccount) -> list[tuple[bytes, bytes]]:
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    auth = CytomineAuth(account.public_key, account.private_key)
    signed = next(auth.auth_flow(httpx.Request("GET", "http://x/", headers={"date": date})))
    return [(b"date", date.encode()), (b"authorization", signed.headers["authorization"].encode())]


def _scope(path: str, query: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    """What uvicorn hands the app for one keep-alive GET (its usual headers included)."""
    base = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept", b"*/*")]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": "GET",
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": base + headers,
        "state": {},
    }


class _Sink:
    """An ASGI ``send`` that keeps the status of the last answer."""

    def __init__(self) -> None:
        self.statuses: list[int] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.statuses.append(message["status"])


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _per_request(app: FastTiles, scopes: list[Scope], strict: bool = True) -> float:
    """Microseconds of CPU per request over scopes; every answer must be the fast path's 200
    (``strict``: the first tile of a file goes to the app, which indexes its stored tiles)."""
    sink = _Sink()
    hits = app.hits
    start = time.process_time()
    for scope in scopes:
        await app(scope, _receive, sink)  # type: ignore[arg-type]
    spent = time.process_time() - start
    assert app.hits - hits == len(scopes) or not strict, "some requests went to the app"
    assert set(sink.statuses) == {200}, set(sink.statuses)
    return spent / len(scopes) * 1e6


def _floor(fn: Callable[[], object], count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        fn()
    return (time.process_time() - start) / count * 1e6


def _median(rounds: int, measure: Callable[[int], float]) -> float:
    return statistics.median(measure(i) for i in range(rounds))


def _in_app(client: AsyncTestClient, rounds: int, app: FastTiles, batches: Batches) -> float:  # type: ignore[type-arg]
    """Median CPU per request over rounds, run on the app's own event loop (the test client
    serves the app from a thread of its own, where the pool lives)."""
    portal = client.blocking_portal
    return statistics.median(portal.call(_per_request, app, batches(i)) for i in range(rounds))


async def run(args: argparse.Namespace, root: Path) -> None:
    """Set up, measure and print every figure."""
    path = slide(args.width, args.height)
    width, height = sources.pyramid(path)[:2]
    url = Cluster(root / "db").ensure()
    account = await viewer_account(url)
    settings = Settings(database_url=url, storage_dir=str(root / "files"))
    app = wrap(create_app(settings))
    calm_gc()  # as ``lamina serve`` does
    keep_freed_memory()
    async with AsyncTestClient(app=app) as client:  # type: ignore[arg-type]
        slice_id, query = await _upload(client, account, path)
        top = levels.zoom_count(width, height) - 1
        tiles = []
        for z in range(top, -1, -1):
            across, down = levels.tiles_across(width, height, z, top + 1)
            tiles += [(z, x, y) for y in range(down) for x in range(across)]
        random.Random(5).shuffle(tiles)
        need = args.rounds * args.requests
        if len(tiles) < need + 64:
            raise SystemExit(f"{len(tiles)} tiles: use a larger slide or fewer requests")
        tile_path = "/api/sliceinstance/{}/normalized-tile/zoom/{}/tx/{}/ty/{}.jpg"
        paths = [tile_path.format(slice_id, *t) for t in tiles]
        warm = [_scope(p, query, []) for p in paths[:64]]
        keyed = _apikey_headers(account)
        warm_key = [_scope(p, "", keyed) for p in paths[:64]]
        cold = [_scope(p, query, []) for p in paths[64 : 64 + need]]
        # The first round fills the picture cache, the decision and the credential caches.
        client.blocking_portal.call(_per_request, app, warm + warm_key, False)
        n = args.requests
        signed = _in_app(client, args.rounds, app, lambda _: warm * (n // len(warm)))
        api_key = _in_app(client, args.rounds, app, lambda _: warm_key * (n // len(warm)))
        uncached = _in_app(client, args.rounds, app, lambda i: cold[i * n : (i + 1) * n])
        cache = runtime_of(app.state).picture_cache
        keys = list(cache._items)[:64] * (n // 64)  # noqa: SLF001
        lookup = _median(args.rounds, lambda _: _floor(lambda: [cache.get(k) for k in keys], 1))
        lookup /= len(keys)
    store_tiles = tiles[64 + need : 64 + need + args.requests] or tiles[:64]
    it = iter(store_tiles * args.rounds)
    stored.prepare(path)
    pread = _median(
        args.rounds,
        lambda _: _floor(lambda: stored.jpeg_tile(path, *next(it)), len(store_tiles)),
    )
    print(f"{path.name}: {width}x{height}; CPU us per request, median of {args.rounds} rounds")
    print(f"  {'warm signed URL':36s}{signed:8.1f} us  (floor: cache lookup {lookup:.2f} us)")
    print(f"  {'warm CYTOMINE API key':36s}{api_key:8.1f} us  {signed / api_key:5.2f}x signed")
    print(f"  {'uncached signed URL (copy-through)':36s}{uncached:8.1f} us  (floor: pread", end="")
    print(f" {pread:.1f} us)  {signed / uncached:5.2f}x warm")


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    slide_arguments(parser, 16384, 16384)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=500)
    return parser


def main() -> None:
    """Command line entry point."""
    args = _arguments().parse_args()
    with lt.bench_root() as root:
        asyncio.run(run(args, root))


if __name__ == "__main__":
    main()
