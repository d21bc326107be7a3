"""The plane (channel, z, time) a picture request renders, and its large-image frame.

A slice names its plane in the database; image-level requests render the first plane unless the
viewer's ``channels`` / ``zSlices`` / ``timepoints`` parameters name another (they also override a
slice's own plane, as Cytomine does for tiles). Slice planes never change, so they are remembered
in the worker for a minute and warm tiles never touch the pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from litestar.datastructures import State

from contracts.errors import NotFound
from server import imaging
from server.db import queries as q
from server.http.picture_params import Params, plane_of
from tiling import composite
from tiling.planes import Plane

PLANE_SECONDS = 60.0
# Statements are read when they run (``queries.use_overrides`` may replace them).
_SQL: dict[str, tuple[Callable[[], str], str]] = {
    "sliceinstance": (lambda: q.IMAGE_PLANE_BY_SLICE_INSTANCE, "SliceInstance"),
    "abstractslice": (lambda: q.IMAGE_PLANE_BY_ABSTRACT_SLICE, "AbstractSlice"),
}


def _cache(state: State) -> dict[tuple[str, int], tuple[float, Plane]]:
    """The worker's remembered slice planes (created on first use)."""
    cache: dict[tuple[str, int], tuple[float, Plane]] | None = getattr(state, "slice_planes", None)
    if cache is None or len(cache) > 10_000:
        cache = {}
        state.slice_planes = cache
    return cache


async def stored_plane(state: State, kind: str, object_id: int) -> Plane:
    """The plane of a slice from the database (the first plane for whole images)."""
    if kind not in _SQL:
        return Plane()
    cache = _cache(state)
    hit = cache.get((kind, object_id))
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    query, class_name = _SQL[kind]
    sql = query()
    async with state.pool.acquire() as conn:
        row = await conn.fetchrow(sql, object_id)
    if row is None:
        raise NotFound(class_name, object_id)
    plane = Plane(row["channel"], row["z_stack"], row["time"])
    cache[(kind, object_id)] = (time.monotonic() + PLANE_SECONDS, plane)
    return plane


async def requested_plane(state: State, access: imaging.Access, params: Params) -> Plane:
    """The plane to render: the object's own, overridden by the viewer's parameters."""
    return plane_of(params, await stored_plane(state, access.kind, access.object_id))


def plane_tag(plane: Plane) -> tuple[Any, ...]:
    """ETag parameters of a plane (empty for the first plane, so old tags stay valid)."""
    return () if plane == Plane() else ("plane", *plane)


def mix_tag(mix: composite.Mix | None) -> tuple[Any, ...]:
    """ETag parameters of a channel blend (empty without one)."""
    return () if mix is None else ("mix", repr(tuple(mix)))


__all__ = ["mix_tag", "plane_tag", "requested_plane", "stored_plane"]
