"""Synthetic cell-like polygons (8-32 vertices, 10-60 px across) for tests and benchmarks."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely


def cells(count: int, *, size: float = 50_000.0, seed: int = 0) -> np.ndarray[Any, Any]:
    """Random star-shaped, valid polygons inside a size x size image."""
    rng = np.random.default_rng(seed)
    vertices = rng.integers(8, 33, count)
    out = np.empty(count, dtype=object)
    for n in np.unique(vertices):
        rows = np.flatnonzero(vertices == n)
        angles = np.sort(rng.uniform(0, 2 * np.pi, (len(rows), n)), axis=1)
        radius = rng.uniform(5, 30, (len(rows), 1)) * rng.uniform(0.8, 1.0, (len(rows), n))
        centre = rng.uniform(60, size - 60, (len(rows), 2))
        x = centre[:, :1] + radius * np.cos(angles)
        y = centre[:, 1:] + radius * np.sin(angles)
        ring = np.stack([x, y], axis=2).round(2)
        ring = np.concatenate([ring, ring[:, :1]], axis=1)
        out[rows] = shapely.polygons(ring)
    return out


def cell_wkts(count: int, *, size: float = 50_000.0, seed: int = 0) -> list[str]:
    """The same polygons as WKT texts."""
    return list(shapely.to_wkt(cells(count, size=size, seed=seed), rounding_precision=2))
