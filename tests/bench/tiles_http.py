"""Tile serving over HTTP against its floors and nginx, in one run on this machine.

    python -m tests.bench.tiles_http [--width 60000 --height 40000] [--seconds 10]

It writes (or reuses, under ``.cache/bench/``) a synthetic pyramidal JPEG TIFF, starts a
private PostGIS cluster and ``lamina serve`` (one worker, log level warning), uploads the
slide through ``POST /upload`` and signs its URLs with ``tileurl``. Then, with wrk (2 threads,
32 connections, keep-alive) on this same machine:
- warm tiles: 512 normalized tiles of four zooms, requested once first so they are in the
  server's tile cache, then replayed; once with signed URLs (what viewers given a
  ``tileurl`` template send) and once with a CYTOMINE API-key signature (python client);
- uncached tiles: distinct tiles of the two finest zooms in a shuffled order, signed URLs,
  each requested once (copy-through: the stored JPEG bytes, no decode), for no longer than
  the warm rate takes to request them all;
- the floor: large-image's own ``getTile`` on distinct tiles, in-process, one thread (and
  ``tiling.stored``, the one-``pread`` copy-through the server uses for stored JPEG tiles);
- nginx (one worker, sendfile, no access log) serving the same warm tile bytes as static
  files, when nginx is installed;
- the ratios the tile targets name: API key / signed URL, uncached / warm.
The machine is shared and noisy: compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path

import asyncpg
import httpx
import large_image

from server.db.cluster import Cluster
from server.db.migrate import migrate_url
from server.db.store.accounts import NewAccount, create_account
from tests.bench import load_tools as lt
from tests.signing import CytomineAuth
from tiling import levels, sources, stored, synthetic

CACHE = Path(".cache/bench")
WARM_TILES = 512


def slide(width: int, height: int) -> Path:
    """The cached synthetic slide of this size, written first if missing."""
    path = CACHE / f"slide-{width}x{height}.tiff"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE.parent / ".gitignore").write_text("*\n")
        start = time.perf_counter()
        partial = path.with_suffix(".partial.tiff")
        synthetic.write(partial, width, height)
        partial.replace(path)
        print(f"generated {path} in {time.perf_counter() - start:.0f} s")
    return path


async def viewer_account(url: str) -> NewAccount:
    """A migrated database's account ``viewer``, made now."""
    await migrate_url(url)
    conn = await asyncpg.connect(url)
    try:
        return await create_account(conn, username="viewer")
    finally:
        await conn.close()


def _upload(base: str, account: NewAccount, path: Path) -> tuple[int, str]:
    """Storage, project, upload; returns the reference slice id and its signed query."""
    auth = CytomineAuth(account.public_key, account.private_key)
    with httpx.Client(base_url=base, auth=auth, timeout=600) as http:
        storage = http.post("/api/storage.json", json={"name": "bench"}).json()["storage"]["id"]
        project = http.post("/api/project.json", json={"name": "bench"}).json()["project"]["id"]
        params = {"idStorage": storage, "idProject": project, "sync": "true"}
        with path.open("rb") as handle:
            files = {"files[]": (path.name, handle, "image/tiff")}
            r = http.post("/upload", params=params, files=files)
        r.raise_for_status()
        instance = r.json()[0]["images"][0]["imageInstances"][0]["id"]
        ref = http.get(f"/api/imageinstance/{instance}/sliceinstance/reference.json").json()
        signed = http.get(f"/api/sliceinstance/{ref['id']}/tileurl.json").json()
    return int(ref["id"]), str(signed["query"])


def _tiles(width: int, height: int, zooms: list[int]) -> list[tuple[int, int, int]]:
    """Every (zoom, tx, ty) of the given zooms."""
    out = []
    count = levels.zoom_count(width, height)
    for z in zooms:
        across, down = levels.tiles_across(width, height, z, count)
        out += [(z, tx, ty) for ty in range(down) for tx in range(across)]
    return out


def _path(slice_id: int, tile: tuple[int, int, int]) -> str:
    z, tx, ty = tile
    return f"/api/sliceinstance/{slice_id}/normalized-tile/zoom/{z}/tx/{tx}/ty/{ty}.jpg"


def _warm_set(width: int, height: int) -> list[tuple[int, int, int]]:
    """WARM_TILES tiles spread over the four finest zooms (what a viewer pans over)."""
    top = levels.zoom_count(width, height) - 1
    picks: list[tuple[int, int, int]] = []
    for z in range(top, max(-1, top - 4), -1):
        tiles = _tiles(width, height, [z])
        picks += random.Random(z).sample(tiles, min(len(tiles), WARM_TILES // 4))
    return picks


def _fetch(base: str, paths: list[str], query: str, out: Path | None) -> None:
    """Request every path once (filling the tile cache); optionally keep the bytes as files."""
    with httpx.Client(base_url=base, timeout=60) as http:
        for path in paths:
            r = http.get(f"{path}?{query}")
            r.raise_for_status()
            if out is not None:
                target = out / path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(r.content)


def slide_arguments(parser: argparse.ArgumentParser, width: int, height: int) -> None:
    """``--width`` and ``--height`` of the synthetic slide (cached under ``.cache/bench/``)."""
    parser.add_argument("--width", type=int, default=width)
    parser.add_argument("--height", type=int, default=height)


def floor_rate(path: Path, tiles: list[tuple[int, int, int]]) -> float:
    """Distinct tiles per second from large-image's own getTile, in-process, one thread."""
    src = large_image.open(str(path))
    start = time.perf_counter()
    for z, tx, ty in tiles:
        src.getTile(tx, ty, z)
    return len(tiles) / (time.perf_counter() - start)


def stored_rate(path: Path, tiles: list[tuple[int, int, int]]) -> float:
    """Distinct tiles per second read by tiling.stored (the server's copy-through), in-process."""
    stored.prepare(path)
    start = time.perf_counter()
    for z, tx, ty in tiles:
        stored.jpeg_tile(path, z, tx, ty)
    return len(tiles) / (time.perf_counter() - start)


def _apikey_headers(account: NewAccount) -> dict[str, str]:
    """A python-client style signature; it covers method and date, so one lasts the run."""
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    auth = CytomineAuth(account.public_key, account.private_key)
    signed = next(auth.auth_flow(httpx.Request("GET", "http://x/", headers={"date": date})))
    return {"date": date, "authorization": signed.headers["authorization"]}


def _report(name: str, result: lt.WrkResult, reference: float | None = None) -> None:
    ratio = f"  {result.rate / reference:5.2f}x" if reference else ""
    print(f"  {name:34s}{result.line()}{ratio}")


def run(args: argparse.Namespace, root: Path) -> None:
    """Set up, measure and print every figure."""
    path = slide(args.width, args.height)
    width, height = sources.pyramid(path)[:2]
    url = Cluster(root / "db").ensure()
    account = asyncio.run(viewer_account(url))
    port = lt.free_port()
    base = f"http://127.0.0.1:{port}"
    top = levels.zoom_count(width, height) - 1
    cold = _tiles(width, height, [top, top - 1])
    random.Random(3).shuffle(cold)
    warm = _warm_set(width, height)
    print(f"{path.name}: {width}x{height}, {top + 1} zooms; wrk 2 threads, {args.connections} conn")
    with lt.lamina(url, root / "files", port):
        slice_id, query = _upload(base, account, path)
        warm_paths = [_path(slice_id, t) for t in warm]
        statics = root / "static"
        _fetch(base, warm_paths, query, statics)
        signed = [f"{p}?{query}" for p in warm_paths]
        opts = {"seconds": args.seconds, "connections": args.connections}
        hot = lt.wrk(base, signed, **opts)
        hot_key = lt.wrk(base, warm_paths, headers=_apikey_headers(account), **opts)
        seen = set(warm)
        cold_paths = [f"{_path(slice_id, t)}?{query}" for t in cold if t not in seen]
        # Uncached tiles are never faster than warm ones: a run this short cannot exhaust
        # the distinct tiles (once wrk wraps around the list, repeats would be cache hits).
        cold_seconds = max(1, min(args.seconds, int(len(cold_paths) / max(hot.rate, 1))))
        uncached = lt.wrk(base, cold_paths, **{**opts, "seconds": cold_seconds})
    floor = floor_rate(path, cold[-2000:])
    pread = stored_rate(path, cold[-4000:-2000])
    static = _nginx(root / "static", signed, opts)
    print("warm tiles (server tile cache)")
    _report("nginx static files", static) if static else print("  nginx: not installed")
    reference = static.rate if static else None
    _report("HTTP signed URL", hot, reference)
    _report("HTTP CYTOMINE API key", hot_key, reference)
    print("uncached tiles (distinct, copy-through)")
    print(f"  {'large-image getTile in-process':34s}{floor:9.0f} tiles/s (1 thread)")
    print(f"  {'tiling.stored pread in-process':34s}{pread:9.0f} tiles/s (1 thread)")
    _report(f"HTTP signed URL ({cold_seconds} s)", uncached, floor)
    if uncached.requests > len(cold_paths):
        print(f"  note: {uncached.requests} requests > {len(cold_paths)} distinct tiles")
    print("ratios in this run")
    print(f"  {'API key / signed URL (warm)':34s}{hot_key.rate / hot.rate:9.2f}x")
    print(f"  {'uncached / warm (signed URLs)':34s}{uncached.rate / hot.rate:9.2f}x")


def _nginx(files: Path, paths: list[str], opts: dict[str, int]) -> lt.WrkResult | None:
    if lt.nginx_binary() is None:
        return None
    for folder in [files, *files.rglob("*")]:
        folder.chmod(0o755 if folder.is_dir() else 0o644)
    port = lt.free_port()
    with lt.nginx(files, port):
        return lt.wrk(f"http://127.0.0.1:{port}", paths, **opts)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    slide_arguments(parser, 60000, 40000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with lt.bench_root() as root:
        run(args, root)


if __name__ == "__main__":
    main()
