"""Benchmark bulk location parsing and WKB encoding (prints rows/s; not a timed test).

    python -m tests.bench.spatial [--rows 100000] [--repeat 3]

Cell-like polygons (8-32 vertices, 10-60 px) are generated once as WKT, then parsed with
``spatial.parse_locations`` (the whole validation policy, clipping to a 50k x 50k image) and
encoded with ``spatial.to_wkb_many``. The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import time

from spatial import parse_locations, to_wkb_many
from tests.spatial.polygons import cell_wkts


def _best(repeat: int, run: object) -> float:
    """Best wall time in seconds of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Generate, parse and encode; print rows/s for each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wkts = cell_wkts(args.rows, seed=1)
    size = 50_000
    geometries, errors = parse_locations(wkts, image_width=size, image_height=size)
    parse = _best(args.repeat, lambda: parse_locations(wkts, image_width=size, image_height=size))
    encode = _best(args.repeat, lambda: to_wkb_many(geometries))
    print(f"rows: {args.rows}, rejected: {len(errors)}")
    print(f"parse_locations: {args.rows / parse:,.0f} rows/s ({parse * 1000:.0f} ms)")
    print(f"to_wkb_many:     {args.rows / encode:,.0f} rows/s ({encode * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
