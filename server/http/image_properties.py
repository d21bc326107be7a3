"""Image properties: vendor metadata of abstract images, kept as their properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio.to_thread
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery

from contracts.envelopes import Page
from server.db.store import domains, image_instances, properties
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.principal import Principal
from server.runtime import Runtime
from tiling import convert, metadata

# What each POST does, in Cytomine's terms: clear drops the image's properties, populate adds
# the file's vendor metadata (keeping keys already set), extract refreshes the image's optics
# from the file, regenerate does all three.
_STEPS = {
    "clear": frozenset({"clear"}),
    "populate": frozenset({"populate"}),
    "extract": frozenset({"extract"}),
    "regenerate": frozenset({"clear", "populate", "extract"}),
}


async def _refresh(
    conn: Conn, me: Principal, runtime: Runtime, image_id: int, action: str
) -> dict[str, Any]:
    steps = _STEPS[action]
    await domains.writable(conn, me, domains.ABSTRACT_IMAGE, image_id)
    meta = None
    if steps - {"clear"}:
        path, _ = await properties.image_file(conn, image_id)
        meta = await anyio.to_thread.run_sync(
            _read, Path(runtime.storage_root) / path, limiter=runtime.ingest_limiter
        )
    await properties.refresh_image(conn, image_id, meta, steps)
    return {}


def _read(path: Path) -> metadata.ImageMetadata:
    """The metadata of an image file, with the optics its original declares if converted."""
    original = convert.original_of(path)
    return metadata.read_metadata(str(path), str(original) if original else None)


class ImagePropertiesController(Controller):
    """Vendor metadata of image files."""

    path = "/api"
    tags = ["Abstract image"]

    @post("/abstractimage/{image_id:int}/properties/clear", status_code=200)
    async def clear(
        self, conn: Conn, me: Me, runtime: RuntimeDep, image_id: FromPath[int]
    ) -> dict[str, Any]:
        """Delete the properties of an abstract image."""
        return await _refresh(conn, me, runtime, image_id, "clear")

    @post("/abstractimage/{image_id:int}/properties/populate", status_code=200)
    async def populate(
        self, conn: Conn, me: Me, runtime: RuntimeDep, image_id: FromPath[int]
    ) -> dict[str, Any]:
        """Add the file's vendor metadata as properties (keys already set keep their value)."""
        return await _refresh(conn, me, runtime, image_id, "populate")

    @post("/abstractimage/{image_id:int}/properties/extract", status_code=200)
    async def extract(
        self, conn: Conn, me: Me, runtime: RuntimeDep, image_id: FromPath[int]
    ) -> dict[str, Any]:
        """Read the file again and refresh the image's resolution, magnification and depth."""
        return await _refresh(conn, me, runtime, image_id, "extract")

    @post("/abstractimage/{image_id:int}/properties/regenerate", status_code=200)
    async def regenerate(
        self,
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        image_id: FromPath[int],
        deep: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        """Clear, populate and extract again (``deep`` is accepted; slices are not rebuilt)."""
        return await _refresh(conn, me, runtime, image_id, "regenerate")

    @get("/abstractimage/{image_id:int}/metadata")
    async def abstract_metadata(
        self, conn: Conn, me: Me, image_id: FromPath[int], list_params: Lists
    ) -> Page[properties.MetadataItem]:
        """Raw metadata of the image's file: {key, value, type, namespace} items."""
        await domains.readable(conn, me, domains.ABSTRACT_IMAGE, image_id)
        _, raw = await properties.image_file(conn, image_id)
        return properties.metadata_items(raw, list_params)

    @get("/imageinstance/{instance_id:int}/metadata")
    async def instance_metadata(
        self, conn: Conn, me: Me, instance_id: FromPath[int], list_params: Lists
    ) -> Page[properties.MetadataItem]:
        """Raw metadata of the file behind an image instance."""
        instance = await image_instances.get(conn, me, instance_id)
        _, raw = await properties.image_file(conn, instance.base_image)
        return properties.metadata_items(raw, list_params)


ROUTES = [ImagePropertiesController]
