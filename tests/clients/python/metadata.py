"""Properties, tags and tracks through the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment: ``python metadata.py HOST PUBLIC PRIVATE FILE``.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    AbstractImage,
    Annotation,
    AnnotationTrack,
    ImageInstanceCollection,
    Project,
    Property,
    PropertyCollection,
    StorageCollection,
    Tag,
    TagCollection,
    TagDomainAssociation,
    TagDomainAssociationCollection,
    Track,
    TrackCollection,
)


def properties(project: Any, image: Any, annotation: Any) -> dict[str, Any]:
    """Add, list, read by key, change and delete properties on three kinds of object."""
    for obj, key in ((project, "stage"), (image, "stain"), (annotation, "score")):
        Property(obj, key, "1").save()
    out: dict[str, Any] = {
        "lists": [
            sorted(PropertyCollection(obj).fetch().as_dict())
            for obj in (project, image, annotation)
        ]
    }
    stage = Property(project).fetch(key="stage")
    stage.value = "2"
    stage.update()
    out["updated"] = Property(project).fetch(id=stage.id).value
    out["deleted"] = stage.delete() is True
    out["after_delete"] = len(PropertyCollection(project).fetch())
    return out


def tags(image: Any) -> dict[str, Any]:
    """Create a tag, put it on an image, list and remove the association."""
    tag = Tag("urgent").save()
    link = TagDomainAssociation(image, tag.id).save()
    out = {
        "tags": [t.name for t in TagCollection().fetch()],
        "linked": [a.tag == tag.id for a in TagDomainAssociationCollection(image).fetch()],
        "unlinked": link.delete() is True,
    }
    out["after_unlink"] = len(TagDomainAssociationCollection(image).fetch())
    return out


def tracks(image: Any, annotation: Any) -> dict[str, Any]:
    """Create a track on an image, put the annotation in it, rename and delete it."""
    track = Track("cell 1", image.id, "#FF0000").save()
    listed = TrackCollection().fetch_with_filter("imageinstance", image.id)
    link = AnnotationTrack(annotation.class_, annotation.id, track.id).save()
    found = AnnotationTrack().fetch(annotation.id, track.id)
    out = {
        "listed": [t.name for t in listed],
        "link": [link.track == track.id, found.annotationIdent == annotation.id],
        "unlinked": found.delete() is True,
    }
    track.name = "cell 2"
    track.update()
    out["renamed"] = Track().fetch(track.id).name
    out["deleted"] = track.delete() is True
    return out


def main() -> None:
    host, public_key, private_key, path = sys.argv[1:5]
    with Cytomine(host, public_key, private_key, verbose=logging.ERROR):
        project = Project("Metadata").save()
        storage = StorageCollection().fetch()[0]
        Cytomine.get_instance().upload_image(path, storage.id, project.id, sync=True)
        image = ImageInstanceCollection().fetch_with_filter("project", project.id)[0]
        annotation = Annotation("POINT (10 10)", image.id).save()
        vendor = PropertyCollection(AbstractImage().fetch(image.baseImage)).fetch().as_dict()
        out = {
            "vendor": vendor["tiff.software"].value,
            "properties": properties(project, image, annotation),
            "tags": tags(image),
            "tracks": tracks(image, annotation),
        }
        print(json.dumps(out))


if __name__ == "__main__":
    main()
