"""Attached files through the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment:
``python attachments.py HOST PUBLIC PRIVATE SLIDE WORKDIR``.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AttachedFile,
    AttachedFileCollection,
    ImageInstanceCollection,
    Project,
    StorageCollection,
)


def attach(obj: Any, workdir: Path) -> dict[str, Any]:
    """Upload two files to an object (own name, given name), list, read, download, delete."""
    source = workdir / "notes.txt"
    source.write_text("hello")
    plain = AttachedFile(obj, filename=str(source)).save()
    named = AttachedFile(obj, filename="shown.txt", file=str(source)).save()
    fetched = AttachedFile(obj).fetch(plain.id)
    target = workdir / f"copy-{plain.id}.txt"
    out: dict[str, Any] = {
        "names": [plain.filename, named.filename],
        "listed": sorted(f.filename for f in AttachedFileCollection(obj).fetch()),
        "fetched": fetched.filename,
        "downloaded": fetched.download(str(target)) and target.read_text(),
        "deleted": named.delete() is True,
    }
    out["after_delete"] = len(AttachedFileCollection(obj).fetch())
    return out


def main() -> None:
    host, public_key, private_key, path, workdir = sys.argv[1:6]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR):
        project = Project("Attachments").save()
        storage = StorageCollection().fetch()[0]
        Cytomine.get_instance().upload_image(path, storage.id, project.id, sync=True)
        image = ImageInstanceCollection().fetch_with_filter("project", project.id)[0]
        annotation = Annotation("POINT (10 10)", image.id).save()
        out = {
            "project": attach(project, Path(workdir)),
            "annotation": attach(annotation, Path(workdir)),
        }
        print(json.dumps(out))


if __name__ == "__main__":
    main()
