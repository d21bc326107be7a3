"""Spectral profile of an annotation: its pixels' values across the z planes of its image.

Cytomine serves it from an HDF5 companion file; here it is computed from the planes (one region
read per z, in the tile thread pool) for points and small shapes: the bounding box may cover at
most ``tiling.profile.MAX_PROFILE_PIXELS`` pixels. Images with a single z plane have no profile
(400). Channel and time are those of the annotation's slice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from litestar import Request, get
from litestar.params import FromPath

from contracts.envelopes import Page, page
from contracts.errors import Invalid
from server import imaging
from server.auth.provider import provide_principal
from server.db.store import pictures
from server.http.deps import RuntimeDep
from server.http.picture_planes import stored_plane
from spatial import crops
from tiling import levels, planes, profile
from tiling.planes import Plane


def _compute(path: Path, box: levels.Box, shapes: crops.Shapes, plane: Plane) -> list[Any]:
    """Read one region per z plane and collect the values of the covered pixels."""
    depth = planes.layout(path).size("Z")
    if depth <= 1:
        raise Invalid("This image has a single z plane: it has no spectral profile")
    frames = [planes.frame_of(path, Plane(plane.channel, z, plane.t)) for z in range(depth)]
    mask = profile.covered(box, shapes.polygons, shapes.lines, shapes.points)
    return profile.profile(path, box, mask, frames)


@get("/api/annotation/{annotation_id:int}/profile", tags=["Annotation (generic)"])
async def annotation_profile(
    request: Request[Any, Any, Any], runtime: RuntimeDep, annotation_id: FromPath[int]
) -> Page[profile.ProfilePoint]:
    """Value of each pixel of a point or small annotation in every z plane of its image."""
    me = await provide_principal(request)
    async with runtime.acquire() as conn:
        slice_id, location = await pictures.crop_source(conn, me, annotation_id)
    access = await imaging.open_image(request, runtime, "sliceinstance", slice_id)
    region = crops.crop_region(crops.parse_wkt(location), access.file.height)
    box = levels.Box(region.left, region.top, region.width, region.height)
    profile.check_size(box)
    plane = await stored_plane(runtime, "sliceinstance", slice_id)
    points = await anyio.to_thread.run_sync(
        _compute, access.path, box, region.shapes, plane, limiter=runtime.tile_limiter
    )
    return page(points, size=len(points), offset=0, max_=0)


ROUTES = [annotation_profile]
