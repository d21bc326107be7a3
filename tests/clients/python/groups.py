"""Image groups, annotation groups and links through the official cytomine-python-client.

Runs in the client's own virtual environment: ``python groups.py HOST PUBLIC PRIVATE FILE``.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AnnotationGroup,
    AnnotationGroupCollection,
    AnnotationLink,
    AnnotationLinkCollection,
    ImageGroup,
    ImageGroupCollection,
    ImageGroupImageInstance,
    ImageGroupImageInstanceCollection,
    ImageInstanceCollection,
    Project,
    StorageCollection,
)

USER_ANNOTATION = "be.cytomine.domain.ontology.UserAnnotation"


def image_groups(project: Any, images: list[Any]) -> tuple[Any, dict[str, Any]]:
    """Create a group, put both images in it, list, rename and take one image out."""
    group = ImageGroup("G1", project.id).save()
    added = [ImageGroupImageInstance(group.id, i.id).save().groupName for i in images]
    out: dict[str, Any] = {
        "added": added,
        "count": ImageGroup().fetch(group.id).numberOfImages,
        "listed": [g.name for g in ImageGroupCollection().fetch_with_filter("project", project.id)],
        "of_image": [
            m.group
            for m in ImageGroupImageInstanceCollection().fetch_with_filter(
                "imageinstance", images[0].id
            )
        ]
        == [group.id],
    }
    group.name = "G2"
    group.update()
    out["renamed"] = ImageGroup().fetch(group.id).name
    return group, out


def annotation_groups(project: Any, group: Any, images: list[Any]) -> dict[str, Any]:
    """Two annotation groups, one link in each, merged into the first, then one unlink."""
    first = AnnotationGroup(project.id, group.id).save()
    second = AnnotationGroup(project.id, group.id).save()
    notes = [
        Annotation(f"POINT ({n} {n})", i.id).save() for n, i in zip((10, 20), images, strict=True)
    ]
    links = [
        AnnotationLink(USER_ANNOTATION, note.id, ag.id).save()
        for note, ag in zip(notes, (first, second), strict=True)
    ]
    merged = first.merge(second.id)
    in_first = AnnotationLinkCollection().fetch_with_filter("annotationgroup", first.id)
    out = {
        "type": first.type,
        "merged": bool(merged),
        "groups": len(AnnotationGroupCollection().fetch_with_filter("imagegroup", group.id)),
        "linked": sorted(link.annotationIdent for link in in_first) == sorted(n.id for n in notes),
        "of_annotation": len(
            AnnotationLinkCollection().fetch_with_filter("annotation", notes[0].id)
        ),
        "unlinked": links[0].delete() is True,
    }
    out["left"] = len(AnnotationLinkCollection().fetch_with_filter("annotationgroup", first.id))
    return out


def main() -> None:
    host, public_key, private_key, path = sys.argv[1:5]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR):
        project = Project("Groups").save()
        storage = StorageCollection().fetch()[0]
        for _ in range(2):
            Cytomine.get_instance().upload_image(path, storage.id, project.id, sync=True)
        images = list(ImageInstanceCollection().fetch_with_filter("project", project.id))
        group, out = image_groups(project, images)
        out["annotation_groups"] = annotation_groups(project, group, images)
        ImageGroupImageInstance(group.id, images[1].id).delete(id=-1)
        out["after_remove"] = ImageGroup().fetch(group.id).numberOfImages
        out["deleted"] = group.delete() is True
        print(json.dumps(out))


if __name__ == "__main__":
    main()
