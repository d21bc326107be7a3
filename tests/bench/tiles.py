"""In-process tile rates on a generated slide: stored-tile copy-through against re-encoding.

    python -m tests.bench.tiles [--slide PATH] [--width 20000 --height 15000] [--tiles 2000]

Without ``--slide`` it writes a synthetic pyramidal JPEG TIFF in a temporary directory. Each
mode reads distinct full-resolution tiles once (large-image's tile cache cannot answer), on
one thread, with the file in the OS page cache; "warm" repeats one tile (cache hits).
Modes: ``copy`` = tiling.sources.tile(..., "jpg") (stored JPEG bytes handed out),
``stored`` = tiling.stored.jpeg_tile (the same bytes with one pread, what the server uses),
``getTile`` = large-image's own getTile with its default JPEG encoding (also copy-through),
``reencode-jpg`` / ``png`` / ``webp`` = decode the stored tile and encode it again.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tiling import levels, sources, stored, synthetic


def _rate(name: str, fn: Callable[[int, int], object], coords: list[tuple[int, int]]) -> None:
    """Call fn over coords and print calls per second."""
    start = time.perf_counter()
    for tx, ty in coords:
        fn(tx, ty)
    elapsed = time.perf_counter() - start
    print(
        f"{name:14s} {len(coords) / elapsed:9.0f} tiles/s  ({elapsed / len(coords) * 1e3:.2f} ms)"
    )


def run(path: Path, count: int) -> None:
    """Measure every mode on distinct tiles of the finest zoom of path."""
    pyr = sources.pyramid(path)
    zoom = pyr.zooms - 1
    across, down = levels.tiles_across(pyr.width, pyr.height, zoom, pyr.zooms)
    everything = [(tx, ty) for ty in range(down - 1) for tx in range(across - 1)]
    picks = random.Random(1).sample(everything, min(len(everything), count * 6))
    sets = [picks[i::6] for i in range(6)]
    src = sources.open_source(path)
    print(f"{path.name}: {pyr.width}x{pyr.height}, {pyr.zooms} zooms, {len(sets[0])} tiles/mode")
    _rate("copy", lambda x, y: sources.tile(path, zoom, x, y, "jpg"), sets[0])
    stored.prepare(path)
    _rate("stored", lambda x, y: stored.jpeg_tile(path, zoom, x, y), sets[5])
    _rate("getTile", lambda x, y: src.getTile(x, y, zoom), sets[1])
    _rate("reencode-jpg", lambda x, y: _reencode(src, x, y, zoom, "jpg"), sets[2])
    _rate("reencode-png", lambda x, y: _reencode(src, x, y, zoom, "png"), sets[3])
    _rate("reencode-webp", lambda x, y: _reencode(src, x, y, zoom, "webp"), sets[4])
    warm = [sets[0][0]] * len(sets[0])
    _rate("warm copy", lambda x, y: sources.tile(path, zoom, x, y, "jpg"), warm)


def _reencode(src: object, tx: int, ty: int, zoom: int, fmt: str) -> bytes:
    """Decode a stored tile and encode it again, bypassing large-image's tile cache."""
    pixels = src.getTile(tx, ty, zoom, numpyAllowed="always")  # type: ignore[attr-defined]
    return sources.encode(pixels, fmt)[0]


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slide", type=Path)
    parser.add_argument("--width", type=int, default=20000)
    parser.add_argument("--height", type=int, default=15000)
    parser.add_argument("--tiles", type=int, default=2000)
    args = parser.parse_args()
    if args.slide:
        run(args.slide, args.tiles)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.tiff"
        start = time.perf_counter()
        synthetic.write(path, args.width, args.height)
        print(f"generated in {time.perf_counter() - start:.1f} s")
        run(path, args.tiles)


if __name__ == "__main__":
    main()
