"""Demo data for a fresh server: a project holding a synthetic slide, owned by the first admin.

``lamina serve`` creates it once, right after the first admin account (on an empty database),
unless the environment sets ``LAMINA_DEMO=0``. The slide is a modest synthetic Aperio SVS
(H&E-like texture, label and macro images), written and registered like an upload, so the
first start stays within a few seconds.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio
import asyncpg
import msgspec

from contracts import _generated as c
from server import ingest
from server.db.store import projects, storages
from server.db.store.projects import ProjectBody
from server.principal import SUPER_ADMIN, Principal
from tiling import config, synthetic

PROJECT_NAME = "Demo project"
SLIDE_NAME = "demo-slide.svs"
WIDTH, HEIGHT = 4096, 3072


class Demo(msgspec.Struct, frozen=True, kw_only=True):
    """What the demo data is made of."""

    project_id: int
    image_id: int
    image_instance_id: int
    width: int
    height: int


async def _slide(root: Path, width: int, height: int) -> ingest.Received:
    """Write the synthetic slide where uploads land before they are stored."""
    temp = root / ".incoming" / uuid.uuid4().hex
    await anyio.Path(temp.parent).mkdir(parents=True, exist_ok=True)
    await anyio.to_thread.run_sync(lambda: synthetic.write(temp, width, height, fmt="svs"))
    size = (await anyio.Path(temp).stat()).st_size
    return ingest.Received(
        original_filename=SLIDE_NAME, content_type="image/tiff", size=size, temp_path=str(temp)
    )


async def create(
    conn: asyncpg.Connection,
    admin_id: int,
    storage_root: Path,
    *,
    width: int | None = None,
    height: int | None = None,
) -> Demo:
    """Create the demo storage, project and slide (WIDTH x HEIGHT by default) as the admin."""
    width, height = width or WIDTH, height or HEIGHT
    config.configure()
    me = Principal(id=admin_id, username="admin", rank=SUPER_ADMIN)
    storage, _ = await storages.create(conn, me, c.StorageInput(name="Demo storage"))
    project, _ = await projects.create(conn, me, ProjectBody(name=PROJECT_NAME))
    target = ingest.UploadTarget(storage_id=storage.id, projects=(project.id,))
    received = await _slide(storage_root, width, height)
    uploaded_id = await ingest.store(conn, me, received, target, storage_root)
    limiter = anyio.CapacityLimiter(1)
    result = await ingest.deploy(conn, me, uploaded_id, target, storage_root, limiter)
    if not result.images:
        raise RuntimeError(f"the demo slide was not registered: {result.error}")
    made = result.images[0]
    return Demo(
        project_id=project.id,
        image_id=made.image.id,
        image_instance_id=made.image_instances[0].id,
        width=width,
        height=height,
    )


__all__ = ["PROJECT_NAME", "Demo", "create"]
