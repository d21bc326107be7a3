"""Microseconds per row of the bulk writers' checker tasks, in this process.

    python -m tests.bench.annotation_checks [--rows 1000] [--repeat 30]

What a checker process spends on one batch (the bulk routes send batches of 1,000 rows):
decoding the task, parsing and checking every geometry, measuring, and encoding the COPY
tuples and the answer. Cell-like polygons (8-32 vertices, one term each) as
``tests.bench.annotation_import`` sends them:
- ``array``: the array POST's task (WKT locations);
- ``import``: the streaming import's task (GeoJSON features);
then the geometry readers alone (GEOS's and ``spatial.rings``) on the same texts.
Each figure is the fastest of ``--repeat`` runs (the machine is shared: the minimum is the
least disturbed), in microseconds per row.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely

from server.db.store import annotation_import as imports
from server.db.store import user_annotations
from server.db.store.annotation_features import decode
from server.db.store.annotation_rows import ImageContext, Row
from spatial import rings
from tests.bench.annotation_import import cells

SIDE = 60_000


def _per_row(task: Callable[[], Any], rows: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        best = min(best, time.perf_counter() - start)
    return best * 1e6 / rows


def _tasks(rows: int) -> dict[str, Callable[[], Any]]:
    geoms = cells(np.random.default_rng(1), rows, SIDE)
    ctx = ImageContext(
        image_id=1, project_id=2, width=SIDE, height=SIDE, resolution=None, reference_slice_id=3
    )
    wkts = shapely.to_wkt(geoms, rounding_precision=-1).tolist()
    chunk = user_annotations._Chunk(
        texts=wkts,
        rows=[Row(image_id=1, slice_id=3, project_id=2, terms=[5]) for _ in wkts],
        images={1: ctx},
        ids=list(range(rows)),
        links=list(range(rows, 2 * rows)),
        user=7,
    )
    array = user_annotations._CHUNK_OUT.encode(chunk)
    shapes = shapely.to_geojson(geoms).tolist()
    features = [
        (n, b'{"type":"Feature","geometry":%s,"properties":{"term":[5]}}' % g.encode())
        for n, g in enumerate(shapes)
    ]
    where = imports.Target(
        ctx=ctx, me=7, slices=frozenset({3}), terms={5}, names={}, users={7}, may_assign=False
    )
    batch = imports._Task(batch=decode(features), where=where, ids=list(range(2 * rows)))
    imported = imports._TASK_OUT.encode(batch)
    texts = np.asarray(wkts, dtype=object)
    encoded = [t.encode() for t in wkts]
    return {
        "array": lambda: user_annotations.check_encoded(array),
        "import": lambda: imports.check_encoded(imported),
        "WKT: GEOS": lambda: shapely.from_wkt(texts),
        "WKT: rings": lambda: rings.read(encoded, rings.WKT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    tasks = _tasks(args.rows)
    gc.disable()  # as in a checker process during a task
    for name, task in tasks.items():
        print(f"{name:12} {_per_row(task, args.rows, args.repeat):7.2f} us/row")


if __name__ == "__main__":
    main()
