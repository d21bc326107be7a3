"""A job run from the API through cytomine-python-client 2.4.1, as a project member does it.

Runs in that client's own virtual environment:
``python job24.py HOST PUBLIC PRIVATE PROJECT SOFTWARE TERM WORK_DIR SCENARIO``; prints a JSON
summary. Scenarios: ``success`` (run, list the job's annotations, download its data, delete
the job), ``crash``, ``timeout`` (the algorithm waits past the server's limit) and ``kill``.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from cytomine import Cytomine
from cytomine.models import (
    AnnotationCollection,
    Job,
    JobData,
    JobParameter,
    SoftwareParameterCollection,
    SoftwareProject,
)
from cytomine.models.software import JobDataCollection

ENDED = (Job.SUCCESS, Job.FAILED, Job.KILLED)
VALUES = {
    "success": {"size": "24"},
    "crash": {"crash": "true"},
    "timeout": {"sleep": "600"},
    "kill": {"sleep": "600"},
}


def _wait(job: Job, statuses: tuple[int, ...], progress: int = 0, limit: float = 120) -> Job:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = Job().fetch(job.id)
        if job.status in statuses and job.progress >= progress:
            return job
        time.sleep(0.3)
    raise TimeoutError(f"job {job.id} stayed in status {job.status} at {job.progress} %")


def _job(project: int, software: int, term: int, scenario: str) -> Job:
    """A job with its parameter values (the term, plus the scenario's)."""
    job = Job(project, software).save()
    values = {"term": str(term), **VALUES[scenario]}
    for parameter in SoftwareParameterCollection().fetch_with_filter("software", software):
        if parameter.name in values:
            JobParameter(job.id, parameter.id, values[parameter.name]).save()
    return job


def _outputs(job: Job, work: Path) -> dict[str, str]:
    """Every job data of the job, downloaded: key -> text."""
    found = {}
    for data in JobDataCollection().fetch_with_filter("job", job.id):
        target = work / f"{job.id}-{data.key}"
        assert data.download(str(target), override=True)
        found[data.key] = target.read_text()
    return found


def _annotations(job: Job) -> list[dict[str, Any]]:
    listed = AnnotationCollection(job=job.id, showWKT=True, showTerm=True, showMeta=True).fetch()
    return [{"terms": a.term, "user": a.user, "location": a.location} for a in listed]


def _finished(job: Job, scenario: str) -> Job:
    if scenario == "kill":
        _wait(job, (Job.RUNNING,), progress=5)  # the algorithm is reading the images
        time.sleep(1)
        Cytomine.get_instance().post(f"job/{job.id}/kill.json")
    return _wait(job, ENDED)


def main(argv: list[str]) -> dict[str, Any]:
    host, public, private, project, software, term, work, scenario = argv
    Cytomine.connect(host, public, private, verbose=logging.ERROR)
    SoftwareProject(id_software=int(software), id_project=int(project)).save()
    job = _job(int(project), int(software), int(term), scenario).execute()
    summary: dict[str, Any] = {"queued": job.status}
    job = _finished(job, scenario)
    summary.update(status=job.status, comment=job.statusComment, progress=job.progress)
    summary["outputs"] = _outputs(job, Path(work))
    if scenario != "success":
        return summary
    summary["userJob"] = job.userJob
    summary["annotations"] = _annotations(job)
    data_ids = [d.id for d in JobDataCollection().fetch_with_filter("job", job.id)]
    summary["deleted"] = bool(job.delete())
    summary["data_left"] = [i for i in data_ids if JobData().fetch(i)]
    return summary


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
