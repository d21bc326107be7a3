"""The plane (channel, z, time) a picture request renders, and its large-image frame.

A slice names its plane in the database; image-level requests render the first plane unless the
viewer's ``channels`` / ``zSlices`` / ``timepoints`` parameters name another (they also override a
slice's own plane, as Cytomine does for tiles). Slice planes never change, so they are remembered
in the worker for a minute and warm tiles never touch the pool.
"""

from __future__ import annotations

import time
from typing import Any

from server import imaging
from server.db.store import pictures
from server.http.picture_params import Params, plane_of
from server.runtime import Runtime
from tiling import composite
from tiling.planes import Plane

PLANE_SECONDS = 60.0


async def stored_plane(runtime: Runtime, kind: str, object_id: int) -> Plane:
    """The plane of a slice from the database (the first plane for whole images)."""
    if kind not in pictures.PLANE_KINDS:
        return Plane()
    cache = runtime.slice_planes
    if len(cache) > 10_000:
        cache.clear()
    hit = cache.get((kind, object_id))
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    async with runtime.acquire() as conn:
        plane = await pictures.slice_plane(conn, kind, object_id)
    cache[(kind, object_id)] = (time.monotonic() + PLANE_SECONDS, plane)
    return plane


async def requested_plane(runtime: Runtime, access: imaging.Access, params: Params) -> Plane:
    """The plane to render: the object's own, overridden by the viewer's parameters."""
    return plane_of(params, await stored_plane(runtime, access.kind, access.object_id))


def plane_tag(plane: Plane) -> tuple[Any, ...]:
    """ETag parameters of a plane (empty for the first plane, so old tags stay valid)."""
    return () if plane == Plane() else ("plane", *plane)


def mix_tag(mix: composite.Mix | None) -> tuple[Any, ...]:
    """ETag parameters of a channel blend (empty without one)."""
    return () if mix is None else ("mix", repr(tuple(mix)))


__all__ = ["mix_tag", "plane_tag", "requested_plane", "stored_plane"]
