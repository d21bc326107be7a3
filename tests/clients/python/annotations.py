"""Create, find, change and delete annotations with the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment: ``python annotations.py HOST PUBLIC PRIVATE FILE``.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AnnotationCollection,
    ImageInstanceCollection,
    Ontology,
    Project,
    StorageCollection,
    Term,
)


def square(x: int, y: int, size: int = 10) -> str:
    """A WKT square with its lower-left corner at (x, y)."""
    return f"POLYGON (({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"


def listed(**params: Any) -> list[dict[str, Any]]:
    """The annotations a filtered collection fetch returns, oldest first."""
    found = AnnotationCollection(showWKT=True, showTerm=True, **params).fetch()
    return sorted(
        ({"id": a.id, "location": a.location, "term": a.term} for a in found),
        key=lambda a: a["id"],
    )


def main() -> None:
    host, public_key, private_key, path = sys.argv[1:5]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR) as cytomine:
        ontology = Ontology("Cells").save()
        tumour = Term("Tumour", ontology.id, "#FF0000").save()
        stroma = Term("Stroma", ontology.id, "#00FF00").save()
        project = Project("Annotated", ontology.id).save()
        storage = StorageCollection().fetch()[0]
        cytomine.upload_image(path, storage.id, project.id, sync=True)
        image = ImageInstanceCollection().fetch_with_filter("project", project.id)[0]
        one = Annotation(square(10, 10), image.id, [tumour.id]).save()
        out: dict[str, Any] = {"created": {"term": one.term, "slice": one.slice is not None}}
        bulk = AnnotationCollection()
        for i in range(45):
            bulk.append(Annotation(square(200 + 20 * i, 500), image.id, [stroma.id]))
        out["bulk_saved"] = bulk.save(chunk=15) is True
        out["total"] = len(AnnotationCollection(image=image.id).fetch())
        out["bbox"] = listed(image=image.id, bbox="0,0,150,150")
        out["stroma"] = len(listed(image=image.id, term=stroma.id))
        one.location = square(20, 20, 30)
        one.term = [stroma.id]
        one.update()
        out["updated"] = {"location": one.location, "term": one.term, "area": one.area}
        out["deleted"] = one.delete() is True
        out["after_delete"] = len(AnnotationCollection(image=image.id).fetch())
        out["ids"] = {"one": one.id, "tumour": tumour.id, "stroma": stroma.id}
        print(json.dumps(out))


if __name__ == "__main__":
    main()
