"""Build an image catalog record by record with the official python client; print JSON.

Runs inside the client's own virtual environment: ``python image_catalog.py HOST PUBLIC
PRIVATE``. Each step records plain values (or its error), and the pytest side asserts them.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable

from cytomine import Cytomine
from cytomine.models import (
    AbstractImage,
    AbstractSlice,
    AbstractSliceCollection,
    CurrentUser,
    ImageInstance,
    Project,
    SliceInstance,
    SliceInstanceCollection,
    Storage,
    StorageCollection,
    UploadedFile,
    UploadedFileCollection,
)

Ids = dict[str, int]


def uploaded_file_create(ids: Ids) -> object:
    me = CurrentUser().fetch()
    storages = StorageCollection().fetch()
    storage = storages[0] if len(storages) else Storage("Catalog", me.id).save()
    made = UploadedFile(
        "stack.tif", "stack.tif", 10, "tif", "image/tiff", None, storage.id, me.id, 0
    ).save()
    ids["upload"], ids["storage"], ids["me"] = made.id, storage.id, me.id
    return {
        "user": made.user == me.id,
        "status": made.status,
        "storage": made.storage == storage.id,
    }


def uploaded_file_update(ids: Ids) -> object:
    found = UploadedFile().fetch(ids["upload"])
    found.update(status=UploadedFile.DEPLOYED, size=2048)
    again = UploadedFile().fetch(ids["upload"])
    return {"status": again.status, "size": again.size}


def uploaded_file_child(ids: Ids) -> object:
    child = UploadedFile(
        "inner.tif", "inner.tif", 5, "tif", None, None, ids["storage"], ids["me"], 0, ids["upload"]
    ).save()
    listed = UploadedFileCollection(parent=ids["upload"]).fetch()
    return [f.id == child.id for f in listed]


def abstract_image_create(ids: Ids) -> object:
    image = AbstractImage("stack.tif", ids["upload"], width=1000, height=800, depth=2).save()
    ids["image"] = image.id
    return {
        "width": image.width,
        "depth": image.depth,
        "uploadedFile": image.uploadedFile == ids["upload"],
    }


def abstract_slices_create(ids: Ids) -> object:
    for z in range(2):
        made = AbstractSlice(ids["image"], ids["upload"], 0, z, 0).save()
        ids[f"slice{z}"] = made.id
    listed = AbstractSliceCollection().fetch_with_filter("abstractimage", ids["image"])
    return sorted(s.zStack for s in listed)


def abstract_slices_bulk(ids: Ids) -> object:
    planes = AbstractSliceCollection()
    for channel in (1, 2):
        planes.append(AbstractSlice(ids["image"], ids["upload"], channel, 0, 0))
    saved = bool(planes.save())
    listed = AbstractSliceCollection().fetch_with_filter("abstractimage", ids["image"])
    return {"saved": saved, "channels": sorted(s.channel for s in listed)}


def image_instance_create(ids: Ids) -> object:
    project = Project("Catalog").save()
    instance = ImageInstance(ids["image"], project.id).save()
    ids["project"], ids["instance"] = project.id, instance.id
    listed = SliceInstanceCollection().fetch_with_filter("imageinstance", instance.id)
    return sorted(s.zStack for s in listed)


def slice_instance_recreate(ids: Ids) -> object:
    listed = SliceInstanceCollection().fetch_with_filter("imageinstance", ids["instance"])
    first = next(s for s in listed if s.zStack == 0 and s.channel == 0)
    deleted = first.delete()
    made = SliceInstance(ids["project"], ids["instance"], ids["slice0"]).save()
    return {"deleted": deleted, "zStack": made.zStack, "baseSlice": made.baseSlice == ids["slice0"]}


STEPS: list[Callable[[Ids], object]] = [
    uploaded_file_create,
    uploaded_file_update,
    uploaded_file_child,
    abstract_image_create,
    abstract_slices_create,
    abstract_slices_bulk,
    image_instance_create,
    slice_instance_recreate,
]


def main(host: str, public_key: str, private_key: str) -> None:
    """Run every step in order; a failing step records its error and the next ones go on."""
    logging.disable(logging.CRITICAL)
    results: dict[str, object] = {}
    ids: Ids = {}
    with Cytomine(host, public_key, private_key, configure_logging=False):
        for step in STEPS:
            try:
                results[step.__name__] = step(ids)
            except Exception:  # the test asserts on the recorded error
                results[step.__name__] = {"error": traceback.format_exc(limit=3)}
    print(json.dumps(results))


if __name__ == "__main__":
    main(*sys.argv[1:4])
