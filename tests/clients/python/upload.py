"""Upload a slide with the official cytomine-python-client and list it; print JSON.

Runs inside the client's own virtual environment: ``python upload.py HOST PUBLIC PRIVATE FILE``.
"""

from __future__ import annotations

import json
import logging
import sys

from cytomine import Cytomine
from cytomine.models import ImageInstanceCollection, Project, StorageCollection


def main() -> None:
    host, public_key, private_key, path = sys.argv[1:5]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR) as cytomine:
        project = Project("Slides").save()
        storage = StorageCollection().fetch()[0]
        uploaded = cytomine.upload_image(
            path, storage.id, project.id, properties={"stain": "HE"}, sync=True
        )
        images = ImageInstanceCollection().fetch_with_filter("project", project.id)
        listed = [
            {
                "width": image.width,
                "height": image.height,
                "zoom": image.zoom,
                "tileSize": image.tileSize,
                "instanceFilename": image.instanceFilename,
            }
            for image in images
        ]
        print(
            json.dumps(
                {
                    "uploaded_status": uploaded.status if uploaded else None,
                    "uploaded_images": len(uploaded.images) if uploaded else None,
                    "listed": listed,
                }
            )
        )


if __name__ == "__main__":
    main()
