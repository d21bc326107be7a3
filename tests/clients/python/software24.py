"""Software, parameters and software-project links through cytomine-python-client 2.4.1.

Runs in that client's own virtual environment:
``python software24.py HOST PUBLIC PRIVATE PROJECT_ID WORK_DIR``; prints a JSON summary.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    Software,
    SoftwareCollection,
    SoftwareParameter,
    SoftwareParameterCollection,
    SoftwareProject,
    SoftwareProjectCollection,
)
from cytomine.utilities.descriptor_reader import read_descriptor

DESCRIPTOR = {
    "name": "Threshold",
    "command-line": "python run.py CYTOMINE_HOST CYTOMINE_ID_PROJECT THRESHOLD",
    "inputs": [
        {
            "id": "cytomine_host",
            "value-key": "@ID",
            "name": "Cytomine host",
            "set-by-server": True,
            "optional": False,
            "type": "String",
        },
        {"id": "cytomine_id_project", "value-key": "@ID", "type": "Number", "set-by-server": True},
        {"id": "threshold", "value-key": "@ID", "type": "number", "default-value": 0.5},
    ],
}


def _registered(work: Path) -> Software:
    path = work / "descriptor.json"
    path.write_text(json.dumps(DESCRIPTOR))
    with contextlib.redirect_stdout(sys.stderr):  # the reader prints the descriptor
        return read_descriptor(str(path))


def _package(work: Path) -> list[Any]:
    """Upload a source package as a new software, then download it back."""
    source = work / "package.zip"
    source.write_bytes(b"PK\x03\x04 sources")
    packaged = Software(name="Packaged")
    packaged.softwareVersion = "0.1"
    answer = packaged.upload(str(source))
    created = answer.software if answer else {}
    back = work / "back.zip"
    fetched = Cytomine.get_instance().download_file(
        f"software/{created.get('id')}/download", str(back)
    )
    return [created.get("fullName"), fetched and back.read_bytes() == source.read_bytes()]


def main(host: str, public: str, private: str, project_id: int, work: Path) -> dict[str, Any]:
    Cytomine.connect(host, public, private, verbose=logging.ERROR)
    summary: dict[str, Any] = {}
    software = _registered(work)
    params = SoftwareParameterCollection().fetch_with_filter("software", software.id)
    summary["from_descriptor"] = sorted((p.name, p.defaultParamValue) for p in params)
    every = Cytomine.get_instance().get(
        f"software/{software.id}/parameter.json", {"withSetByServer": "true"}
    )
    summary["with_set_by_server"] = [
        (p["name"], p["setByServer"], p["valueKey"], p["index"]) for p in every["collection"]
    ]
    with contextlib.redirect_stdout(sys.stderr):
        again = read_descriptor(str(work / "descriptor.json"))
    summary["reregistered_same"] = again.id == software.id

    manual = Software(name="Manual").save()
    manual.softwareVersion = "1.0"
    manual.update()
    parameter = SoftwareParameter(
        name="radius", type="Number", id_software=manual.id, default_value="3", required=True
    ).save()
    summary["parameter"] = [parameter.defaultParamValue, parameter.valueKey, parameter.index]
    fetched = Software().fetch(manual.id)
    summary["manual"] = [fetched.fullName, [p["name"] for p in fetched.parameters]]

    link = SoftwareProject(id_software=manual.id, id_project=project_id).save()
    SoftwareProject(id_software=software.id, id_project=project_id).save()
    in_project = SoftwareCollection().fetch_with_filter("project", project_id)
    summary["in_project"] = sorted(s.name for s in in_project)
    links = SoftwareProjectCollection().fetch_with_filter("project", project_id)
    summary["links"] = sorted(link_.name for link_ in links)
    summary["listed"] = sorted(s.fullName for s in SoftwareCollection().fetch())

    summary["package"] = _package(work)

    summary["link_deleted"] = bool(link.delete())
    summary["parameter_deleted"] = bool(parameter.delete())
    left = SoftwareCollection().fetch_with_filter("project", project_id)
    summary["left_in_project"] = [s.name for s in left]
    return summary


if __name__ == "__main__":
    host, public, private, project, work = sys.argv[1:6]
    print(json.dumps(main(host, public, private, int(project), Path(work))))
