"""Intensity histograms (whole image, per channel, bounds) and associated image names.

Histograms are computed on a low-resolution read in the tile thread pool and cached per file
by ``tiling.histogram``. Image routes describe the first z stack and time point; slice routes
describe the slice's own plane (``histogram``) or every channel at its z and t
(``channelhistogram``), as Cytomine asks its image server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import msgspec
from litestar import Request, get
from litestar.params import FromPath

from contracts.envelopes import Page, page
from server import imaging
from server.db.store.image_files import Kind
from server.http.picture_params import int_of
from server.http.picture_planes import stored_plane
from server.runtime import Runtime, request_runtime
from tiling import histogram, planes, sources

DEFAULT_BINS = 256
_OPT = {"query_token": True}


async def _in_pool(runtime: Runtime, work: Callable[[], Any]) -> Any:
    """Run blocking pixel work in the tile thread pool."""
    return await anyio.to_thread.run_sync(work, limiter=runtime.tile_limiter)


def _bins(request: Request[Any, Any, Any]) -> int:
    """The ``nBins`` query parameter (256 by default)."""
    value = request.query_params.get("nBins")
    return histogram.check_bins(DEFAULT_BINS if value in (None, "") else int_of(value, "nBins"))


def _paged(request: Request[Any, Any, Any], items: list[Any]) -> Page[Any]:
    """One page (``max``/``offset``) of a computed list."""
    max_ = int_of(request.query_params.get("max") or "0", "max")
    offset = int_of(request.query_params.get("offset") or "0", "offset")
    chosen = items[offset : offset + max_] if max_ > 0 else items[offset:]
    return page(chosen, size=len(items), offset=offset, max_=max_)


def _bounds(item: msgspec.Struct) -> dict[str, Any]:
    """A histogram reduced to its bounds (and its channel's identifying keys)."""
    data: dict[str, Any] = msgspec.to_builtins(item)
    for key in ("firstBin", "lastBin", "nBins", "histogram"):
        data.pop(key, None)
    return data


async def _channels(
    request: Request[Any, Any, Any], kind: Kind, object_id: int, *, every_channel: bool
) -> list[histogram.ChannelHistogram]:
    """Channel histograms of an image (first plane) or a slice (its plane or all channels)."""
    runtime = request_runtime(request)
    access = await imaging.open_image(request, runtime, kind, object_id)
    own = await stored_plane(runtime, kind, object_id)
    n_bins = _bins(request)

    def work() -> list[histogram.ChannelHistogram]:
        chosen = planes.planes_of_channels(access.path, own.z, own.t) if every_channel else [own]
        return histogram.channel_histograms(access.path, chosen, n_bins)

    found: list[histogram.ChannelHistogram] = await _in_pool(runtime, work)
    return found


async def _image(request: Request[Any, Any, Any], instance_id: int) -> histogram.Histogram:
    """The whole-image histogram of an image instance."""
    runtime = request_runtime(request)
    access = await imaging.open_image(request, runtime, "imageinstance", instance_id)
    n_bins = _bins(request)
    found: histogram.Histogram = await _in_pool(
        runtime, lambda: histogram.image_histogram(access.path, n_bins)
    )
    return found


@get("/api/imageinstance/{instance_id:int}/histogram", opt=_OPT, tags=["Image instance"])
async def image_histogram(
    request: Request[Any, Any, Any], instance_id: FromPath[int]
) -> histogram.Histogram:
    """Intensity histogram of every channel of the image together (``nBins`` bins)."""
    return await _image(request, instance_id)


@get("/api/imageinstance/{instance_id:int}/histogram/bounds", opt=_OPT, tags=["Image instance"])
async def image_histogram_bounds(
    request: Request[Any, Any, Any], instance_id: FromPath[int]
) -> dict[str, Any]:
    """Minimum and maximum intensity of the image."""
    return _bounds(await _image(request, instance_id))


@get("/api/imageinstance/{instance_id:int}/channelhistogram", opt=_OPT, tags=["Image instance"])
async def image_channel_histograms(
    request: Request[Any, Any, Any], instance_id: FromPath[int]
) -> Page[Any]:
    """One histogram per channel (per band of an RGB image)."""
    items = await _channels(request, "imageinstance", instance_id, every_channel=True)
    return _paged(request, items)


@get(
    "/api/imageinstance/{instance_id:int}/channelhistogram/bounds",
    opt=_OPT,
    tags=["Image instance"],
)
async def image_channel_bounds(
    request: Request[Any, Any, Any], instance_id: FromPath[int]
) -> Page[Any]:
    """Minimum and maximum intensity per channel."""
    items = await _channels(request, "imageinstance", instance_id, every_channel=True)
    return _paged(request, [_bounds(item) for item in items])


@get("/api/sliceinstance/{slice_id:int}/histogram", opt=_OPT, tags=["Slice instance"])
async def slice_histogram(request: Request[Any, Any, Any], slice_id: FromPath[int]) -> Page[Any]:
    """Histograms of the slice's own plane (one per band of an RGB plane)."""
    items = await _channels(request, "sliceinstance", slice_id, every_channel=False)
    return _paged(request, items)


@get("/api/sliceinstance/{slice_id:int}/histogram/bounds", opt=_OPT, tags=["Slice instance"])
async def slice_histogram_bounds(
    request: Request[Any, Any, Any], slice_id: FromPath[int]
) -> Page[Any]:
    """Minimum and maximum intensity of the slice's plane."""
    items = await _channels(request, "sliceinstance", slice_id, every_channel=False)
    return _paged(request, [_bounds(item) for item in items])


@get("/api/sliceinstance/{slice_id:int}/channelhistogram", opt=_OPT, tags=["Slice instance"])
async def slice_channel_histograms(
    request: Request[Any, Any, Any], slice_id: FromPath[int]
) -> Page[Any]:
    """Histograms of every channel at the slice's z stack and time point."""
    items = await _channels(request, "sliceinstance", slice_id, every_channel=True)
    return _paged(request, items)


@get(
    "/api/sliceinstance/{slice_id:int}/channelhistogram/bounds",
    opt=_OPT,
    tags=["Slice instance"],
)
async def slice_channel_bounds(
    request: Request[Any, Any, Any], slice_id: FromPath[int]
) -> Page[Any]:
    """Minimum and maximum intensity of every channel at the slice's z and t."""
    items = await _channels(request, "sliceinstance", slice_id, every_channel=True)
    return _paged(request, [_bounds(item) for item in items])


async def _associated_names(request: Request[Any, Any, Any], kind: Kind, object_id: int) -> Any:
    """Names of the associated images of a slide (label, macro, thumbnail...)."""
    runtime = request_runtime(request)
    access = await imaging.open_image(request, runtime, kind, object_id)
    names = await _in_pool(runtime, lambda: sources.associated_names(access.path))
    return _paged(request, list(names))


@get("/api/imageinstance/{instance_id:int}/associated", opt=_OPT, tags=["Image instance"])
async def image_associated(
    request: Request[Any, Any, Any], instance_id: FromPath[int]
) -> Page[Any]:
    """Associated image names of an image instance's file."""
    found: Page[Any] = await _associated_names(request, "imageinstance", instance_id)
    return found


@get("/api/abstractimage/{image_id:int}/associated", opt=_OPT, tags=["Abstract image"])
async def abstract_associated(
    request: Request[Any, Any, Any], image_id: FromPath[int]
) -> Page[Any]:
    """Associated image names of an abstract image's file."""
    found: Page[Any] = await _associated_names(request, "abstractimage", image_id)
    return found


ROUTES: list[Any] = [
    image_histogram,
    image_histogram_bounds,
    image_channel_histograms,
    image_channel_bounds,
    slice_histogram,
    slice_histogram_bounds,
    slice_channel_histograms,
    slice_channel_bounds,
    image_associated,
    abstract_associated,
]

__all__ = ["ROUTES"]
