"""Window pictures drawn with annotations: Cytomine's ``mask``/``alphaMask``/``draw`` windows.

The annotations are those of the image instance (or slice) crossing the window: the listed
``annotations`` ids, else the user annotations (``reviewed=true``: the reviewed ones) narrowed
by ``terms`` and ``users``. Reading the picture already needs read access to the image.
"""

from __future__ import annotations

from typing import NamedTuple

import shapely  # type: ignore[import-untyped]

from contracts.errors import Invalid
from server import imaging
from server.db.store import pictures
from server.http.picture_crops import crop_options, geometry_key, mode_of
from server.http.picture_params import Params
from server.params import id_filter
from server.runtime import Runtime
from spatial import crops, frames
from tiling import crop, levels

MAX_SHAPES = 10_000
"""Most annotations drawn into one window."""


class WindowMask(NamedTuple):
    """How to draw a window: style, output format, top-left shapes and a cache key."""

    style: crop.Style
    fmt: str
    shapes: crops.Shapes
    key: str


def _window_wkt(box: levels.Box, height: int) -> str:
    """The window as a bottom-left WKT polygon."""
    x0, x1 = box.left, box.left + box.width
    y0, y1 = height - box.top - box.height, height - box.top
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


async def window_mask(
    runtime: Runtime, access: imaging.Access, box: levels.Box, fmt: str, params: Params
) -> WindowMask | None:
    """What to draw into a window; None for a plain window."""
    if mode_of(params) == "crop":
        return None
    options = crop_options(params, fmt)
    if access.kind not in ("imageinstance", "sliceinstance"):
        raise Invalid("Annotation masks are drawn on image or slice instance windows only")
    image_id = access.object_id if access.kind == "imageinstance" else None
    slice_id = access.object_id if access.kind == "sliceinstance" else None
    kind = "reviewed" if params.flag("reviewed") else "user"
    window = _window_wkt(box, access.file.height)
    ids, terms, users = (
        id_filter(params.text(n), name=n) for n in ("annotations", "terms", "users")
    )
    chosen = pictures.WindowFilter(kind, ids, terms, users)
    async with runtime.acquire() as conn:
        texts = await pictures.window_shapes(conn, (image_id, slice_id), window, chosen, MAX_SHAPES)
    collection = shapely.GeometryCollection([crops.parse_wkt(t) for t in texts])
    shapes = crops.shapes_of(frames.to_top_left(collection, access.file.height))
    key = f"{options.mode}:{geometry_key(';'.join(texts))}"
    return WindowMask(options.style, options.fmt, shapes, key)


__all__ = ["MAX_SHAPES", "WindowMask", "window_mask"]
