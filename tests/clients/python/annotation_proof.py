"""Prove annotations and images with the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment:
``python annotation_proof.py HOST PUBLIC PRIVATE FILE OUTDIR``. Every step records plain values
(or its error) and the pytest side asserts them; crops and windows are written into OUTDIR.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    AbstractImage,
    Annotation,
    AnnotationCollection,
    AnnotationTerm,
    AnnotationTrack,
    ImageInstance,
    ImageInstanceCollection,
    Ontology,
    Project,
    PropertyCollection,
    SliceInstance,
    SliceInstanceCollection,
    StorageCollection,
    Term,
    Track,
)
from cytomine.models.collection import CollectionPartialUploadException

State = dict[str, Any]


def square(x: int, y: int, size: int = 10) -> str:
    """A WKT square with its lower-left corner at (x, y)."""
    return f"POLYGON (({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"


def ids_of(**params: Any) -> list[int]:
    """Ids of the annotations a filtered collection fetch returns, sorted."""
    return sorted(a.id for a in AnnotationCollection(**params).fetch())


def setup(s: State) -> object:
    ontology = Ontology("Proof").save()
    s["tumour"] = Term("Tumour", ontology.id, "#FF0000").save().id
    s["stroma"] = Term("Stroma", ontology.id, "#00FF00").save().id
    project = Project("Proof", ontology.id).save()
    storage = StorageCollection().fetch()[0]
    Cytomine.get_instance().upload_image(s["path"], storage.id, project.id, sync=True)
    s["project"] = project.id
    s["image"] = ImageInstanceCollection().fetch_with_filter("project", project.id)[0].id
    s["me"] = Cytomine.get_instance().current_user.id
    return True


def create_one(s: State) -> object:
    one = Annotation(square(100, 100, 40), s["image"], [s["tumour"]]).save()
    s["one"] = one.id
    return {"term": one.term == [s["tumour"]], "project": one.project == s["project"]}


def create_bulk(s: State) -> object:
    bulk = AnnotationCollection()
    for i in range(30):
        bulk.append(Annotation(square(400 + 30 * i, 900), s["image"], [s["stroma"]]))
    saved = bulk.save(chunk=7) is True
    return {"saved": saved, "total": len(ids_of(image=s["image"]))}


def filters(s: State) -> object:
    return {
        "bbox": ids_of(image=s["image"], bbox="0,0,300,300") == [s["one"]],
        "term": len(ids_of(image=s["image"], term=s["stroma"])),
        "user": len(ids_of(project=s["project"], user=s["me"])),
        "users": len(ids_of(project=s["project"], users=[s["me"]])),
        "terms": len(ids_of(project=s["project"], terms=[s["tumour"], s["stroma"]])),
    }


def tracks(s: State) -> object:
    track = Track("cell", s["image"], "#0000FF").save()
    s["track"] = track.id
    AnnotationTrack(Annotation().fetch(s["one"]).class_, s["one"], track.id).save()
    found = AnnotationCollection(showTrack=True, image=s["image"], track=track.id).fetch()
    many = ids_of(project=s["project"], tracks=[track.id])
    return {"track": [a.id for a in found] == [s["one"]], "tracks": many == [s["one"]]}


def update(s: State) -> object:
    one = Annotation().fetch(s["one"])
    one.location = square(50, 60, 20)
    one.update()
    again = Annotation().fetch(s["one"])
    return {"location": again.location, "area": again.area, "perimeter": again.perimeter}


def terms(s: State) -> object:
    added = AnnotationTerm(s["one"], s["stroma"]).save()
    both = sorted(Annotation().fetch(s["one"]).term)
    fetched = AnnotationTerm().fetch(s["one"], s["stroma"])
    deleted = AnnotationTerm().fetch(s["one"], s["tumour"]).delete()
    return {
        "added": added is not False,
        "fetched": fetched.term == s["stroma"],
        "both": both == sorted([s["tumour"], s["stroma"]]),
        "deleted": deleted is True,
        "left": Annotation().fetch(s["one"]).term == [s["stroma"]],
    }


def crops(s: State) -> object:
    one = Annotation().fetch(s["one"])
    out = Path(s["out"])
    return {
        "crop": one.dump(str(out / "crop.png")),
        "crop_jpg": one.dump(str(out / "crop.jpg")),
        "mask": one.dump(str(out / "mask.png"), mask=True),
        "alpha": one.dump(str(out / "alpha.png"), mask=True, alpha=True),
        "small": one.dump(str(out / "small.png"), max_size=8),
        "bigger": one.dump(str(out / "bigger.png"), increase_area=2),
    }


def collection_crops(s: State) -> object:
    found = AnnotationCollection(image=s["image"], bbox="0,0,300,300", showMeta=True).fetch()
    dumped = found.dump_crops(str(Path(s["out"]) / "crops" / "{id}.png"), max_size=16)
    gis = AnnotationCollection(image=s["image"], showGIS=True, showWKT=True).fetch()
    first = next(a for a in gis if a.id == s["one"])
    return {
        "dumped": [len(a.filenames) for a in dumped],
        "gis": [first.area, first.perimeter, first.centroid is not None],
    }


def review(s: State) -> object:
    api = Cytomine.get_instance()
    started = api.post(f"imageinstance/{s['image']}/review.json")
    reviewed = Annotation().fetch(s["one"]).review([s["tumour"]])
    listed = AnnotationCollection(project=s["project"], reviewed=True, showTerm=True).fetch()
    gone = api.delete(f"annotation/{s['one']}/review.json")
    return {
        "started": bool(started),
        "reviewed": bool(reviewed),
        "listed": [a.term == [s["tumour"]] for a in listed],  # the terms given replace the terms
        "unreviewed": bool(gone),
        "after": len(ids_of(project=s["project"], reviewed=True)),
        "stopped": bool(api.delete(f"imageinstance/{s['image']}/review.json?cancel=true")),
    }


def malformed_bulk(s: State) -> object:
    before = len(ids_of(image=s["image"]))
    body = [
        {"location": square(10, 1300), "image": s["image"]},
        {"location": "POLYGON ((1 2, 3", "image": s["image"]},
    ]
    done = Cytomine.get_instance().post("annotation.json", json.dumps(body))
    status = done.get("status") if isinstance(done, dict) else None
    return {"status": status, "unchanged": len(ids_of(image=s["image"])) == before}


def rejected_chunk(s: State) -> object:
    before = len(ids_of(image=s["image"]))
    bulk = AnnotationCollection()
    bulk.append(Annotation(square(10, 1300), s["image"]))
    bulk.append(Annotation("POLYGON ((1 2, 3", s["image"]))
    try:
        outcome = "saved" if bulk.save(chunk=15) is True else "refused"
    except CollectionPartialUploadException:
        outcome = "raised"
    return {"outcome": outcome, "unchanged": len(ids_of(image=s["image"])) == before}


def delete(s: State) -> object:
    gone = Annotation().delete(s["one"]) is True
    return {"deleted": gone, "left": len(ids_of(image=s["image"]))}


def images(s: State) -> object:
    image = ImageInstance().fetch(s["image"])
    out = Path(s["out"])
    slices = SliceInstanceCollection().fetch_with_filter("imageinstance", image.id)
    ref = image.reference_slice()
    return {
        "size": [image.width, image.height],
        "dump": image.dump(str(out / "thumb.png"), max_size=128),
        "window": image.window(10, 20, 64, 32, str(out / "window.png")),
        "window_mask": image.window(
            40, 1446, 40, 40, str(out / "wmask.png"), mask=True, annotations=[s["one"]]
        ),
        "window_alpha": image.window(
            40, 1446, 40, 40, str(out / "walpha.png"), alpha=True, annotations=[s["one"]]
        ),
        "window_terms": image.window(
            40, 1446, 40, 40, str(out / "wterms.png"), mask=True, terms=[s["stroma"]]
        ),
        "window_reviewed": image.window(
            40, 1446, 40, 40, str(out / "wreviewed.png"), mask=True, reviewed=True
        ),
        "download": image.download(str(out / "original.tif")),
        "slices": len(slices),
        "reference": ref.id == slices[0].id,
        "slice": SliceInstance().fetch(ref.id).image == image.id,
        "slice_dump": ref.dump(str(out / "slice.png"), max_size=64),
        "slice_window": ref.window(0, 0, 32, 16, str(out / "swindow.png")),
    }


def abstract(s: State) -> object:
    image = ImageInstance().fetch(s["image"])
    base = AbstractImage().fetch(image.baseImage)
    props = PropertyCollection(base).fetch().as_dict()
    out = Path(s["out"])
    return {
        "size": [base.width, base.height],
        "has_vendor_properties": len(props) > 0,
        "download": base.download(str(out / "abstract.tif")),
    }


STEPS: list[Callable[[State], object]] = [
    setup,
    create_one,
    create_bulk,
    filters,
    tracks,
    update,
    terms,
    crops,
    collection_crops,
    review,
    malformed_bulk,
    rejected_chunk,
    images,
    abstract,
    delete,
]


def main() -> None:
    host, public_key, private_key, path, out = sys.argv[1:6]
    logging.disable(logging.CRITICAL)
    state: State = {"path": path, "out": out}
    results: dict[str, object] = {}
    with Cytomine(host, public_key, private_key, configure_logging=False):
        for step in STEPS:
            try:
                results[step.__name__] = step(state)
            except Exception:  # the test asserts on the recorded error
                results[step.__name__] = {"error": traceback.format_exc(limit=4)}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
