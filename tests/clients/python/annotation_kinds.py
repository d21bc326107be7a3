"""Term links, job annotations and reviewing with the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment: ``python annotation_kinds.py HOST PUBLIC PRIVATE
FILE``. The client has no job or reviewed annotation model: thin subclasses of ``Annotation``
give them their Cytomine URLs (``algoannotation``, ``reviewedannotation``).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AnnotationTerm,
    ImageInstanceCollection,
    Ontology,
    Project,
    StorageCollection,
    Term,
)


class AlgoAnnotation(Annotation):
    """An annotation made by a job: ``algoannotation.json``."""


class ReviewedAnnotation(Annotation):
    """A validated copy of an annotation: ``reviewedannotation/{id}.json``."""


def square(x: int, y: int, size: int = 10) -> str:
    """A WKT square with its lower-left corner at (x, y)."""
    return f"POLYGON (({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"


def term_links(cytomine: Cytomine, one: Annotation, stroma: Term) -> dict[str, Any]:
    """Link, read and unlink a term through the client's AnnotationTerm model."""
    link = AnnotationTerm(one.id, stroma.id).save()
    fetched = AnnotationTerm().fetch(one.id, stroma.id)
    listed = cytomine.get(f"annotation/{one.id}/term.json")
    out = {
        "saved": link is not False and link.id is not None,
        "fetched_user": fetched.user if fetched else None,
        "listed": sorted(t["term"] for t in listed["collection"]) if listed else None,
    }
    out["deleted"] = link.delete() is True
    out["after_delete"] = Annotation().fetch(one.id).term
    return out


def algo(image_id: int, tumour: Term) -> dict[str, Any]:
    """Create, read (also through the generic route) and delete a job annotation."""
    made = AlgoAnnotation(square(100, 100), image_id, [tumour.id]).save()
    generic = Annotation().fetch(made.id)
    return {
        "saved": made.id is not None,
        "term": made.term,
        "fetched": AlgoAnnotation().fetch(made.id).location,
        "generic_class": getattr(generic, "class", None) or generic.__dict__.get("class_"),
        "deleted": made.delete() is True,
    }


def reviewing(cytomine: Cytomine, one: Annotation, image_id: int, stroma: Term) -> dict[str, Any]:
    """Start review, validate with a chosen term, read the copy, reject, stop."""
    started = cytomine.post(f"imageinstance/{image_id}/review.json")
    answer = one.review([stroma.id])
    reviewed_id = answer["reviewedannotation"]["id"] if answer else None
    copy = ReviewedAnnotation().fetch(reviewed_id) if reviewed_id else None
    parent = Annotation().fetch(one.id)
    index = cytomine.get(f"sliceinstance/{parent.slice}/annotationindex.json")
    return {
        "started": bool(started) and started["imageinstance"]["inReview"],
        "reviewed_terms": copy.terms if copy else None,
        "parent": copy.parentIdent if copy else None,
        "parent_reviewed": parent.reviewed,
        "index": [
            (i["countAnnotation"], i["countReviewedAnnotation"]) for i in index["collection"]
        ],
        "rejected": cytomine.delete(f"annotation/{one.id}/review.json"),
        "stopped": cytomine.delete(f"imageinstance/{image_id}/review.json"),
    }


def main() -> None:
    host, public_key, private_key, path = sys.argv[1:5]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR) as cytomine:
        ontology = Ontology("Kinds").save()
        tumour = Term("Tumour", ontology.id, "#FF0000").save()
        stroma = Term("Stroma", ontology.id, "#00FF00").save()
        project = Project("Reviewed", ontology.id).save()
        storage = StorageCollection().fetch()[0]
        cytomine.upload_image(path, storage.id, project.id, sync=True)
        image = ImageInstanceCollection().fetch_with_filter("project", project.id)[0]
        one = Annotation(square(10, 10), image.id, [tumour.id]).save()
        out = {
            "terms": term_links(cytomine, one, stroma),
            "algo": algo(image.id, tumour),
            "review": reviewing(cytomine, one, image.id, stroma),
            "ids": {"one": one.id, "tumour": tumour.id, "stroma": stroma.id},
        }
        print(json.dumps(out))


if __name__ == "__main__":
    main()
