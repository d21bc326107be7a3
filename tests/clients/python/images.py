"""Upload a slide with the official python client, then fetch its pixels; print JSON.

Runs inside the client's own virtual environment:
``python images.py HOST PUBLIC PRIVATE FILE OUTDIR``. Writes thumb.png, window.png and the
downloaded original into OUTDIR.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from cytomine import Cytomine
from cytomine.models import ImageInstanceCollection, Project, StorageCollection


def main() -> None:
    host, public_key, private_key, path, folder = sys.argv[1:6]
    out = Path(folder)
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR) as cytomine:
        project = Project("Pixels").save()
        storage = StorageCollection().fetch()[0]
        cytomine.upload_image(path, storage.id, project.id, sync=True)
        image = ImageInstanceCollection().fetch_with_filter("project", project.id)[0]
        done = {
            "thumb": image.dump(str(out / "thumb.png"), max_size=256),
            "window": image.window(100, 200, 300, 150, str(out / "window.png")),
            "download": image.download(str(out / "original.tif")),
        }
        print(json.dumps(done))


if __name__ == "__main__":
    main()
