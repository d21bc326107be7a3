"""Jobs through cytomine-python-client 2.4.1: its models, then a CytomineJob run.

Runs in that client's own virtual environment:
``python jobs24.py HOST PUBLIC PRIVATE PROJECT_ID IMAGE_ID``; prints a JSON summary.
"""

from __future__ import annotations

import json
import logging
import sys
from argparse import Namespace
from typing import Any

from cytomine import Cytomine, CytomineJob
from cytomine.models import (
    Annotation,
    Job,
    JobCollection,
    JobParameter,
    JobParameterCollection,
    Software,
    SoftwareParameter,
    SoftwareProject,
)
from cytomine.models.user import UserJob, UserJobCollection

SQUARE = "POLYGON ((10 10, 40 10, 40 40, 10 40, 10 10))"


def _software(project_id: int) -> tuple[Software, SoftwareParameter]:
    software = Software(name="Count cells").save()
    threshold = SoftwareParameter("threshold", "Number", software.id, 0.5, True, 1).save()
    SoftwareProject(software.id, project_id).save()
    return software, threshold


def _models(project_id: int, software: Software, threshold: SoftwareParameter) -> dict[str, Any]:
    """A job driven through the models as a script would: create, parameters, status, list."""
    summary: dict[str, Any] = {}
    job = Job(project_id, software.id).save()
    summary["created"] = [job.status, job.number, job.progress, job.userJob is not None]
    JobParameter(job.id, threshold.id, 0.7).save()
    values = JobParameterCollection().fetch_with_filter("job", job.id)
    summary["parameters"] = [(p.name, p.value) for p in values]
    job.update(status=Job.RUNNING, progress=50, statusComment="Half way")
    summary["running"] = [job.status, job.progress, job.statusComment]
    job.update(status=Job.TERMINATED, progress=100, statusComment="Done")
    summary["terminated"] = [job.status, job.progress]
    # A finished run cannot go back to RUNNING: the client gets False.
    summary["rerun_refused"] = Job().fetch(job.id).update(status=Job.RUNNING) is False
    listed = JobCollection(project=project_id, software=software.id).fetch()
    summary["listed"] = [(j.id == job.id, j.status) for j in listed]
    user_job = UserJob().fetch(job.userJob)
    summary["user_job"] = [user_job.job == job.id, user_job.algo, bool(user_job.privateKey)]
    runs = UserJobCollection(filters={"project": project_id}).fetch()
    summary["user_jobs"] = [u.id == job.userJob for u in runs]
    summary["deleted"] = job.delete()
    summary["after_delete"] = [j.id for j in JobCollection(project=project_id).fetch()]
    return summary


def _run(host: str, keys: tuple[str, str], ids: tuple[int, int, int]) -> dict[str, Any]:
    """A CytomineJob run: it creates its job, switches to the user job's keys, sets its
    parameters, reports progress, posts an annotation and ends TERMINATED."""
    software_id, project_id, image_id = ids
    params = Namespace(threshold=0.25)
    with CytomineJob(host, *keys, software_id, project_id, params, verbose=logging.ERROR) as run:
        run.job.update(progress=40, statusComment="Detecting")
        made = Annotation(location=SQUARE, id_image=image_id).save()
        me = run.current_user
        summary = {"run_algo": [me.algo, me.id == run.job.userJob]}
        summary["annotation"] = [made.user == run.job.userJob, made.id is not None]
        job_id = run.job.id
    Cytomine.connect(host, *keys, verbose=logging.ERROR)
    done = Job().fetch(job_id)
    summary["run_done"] = [done.status, [(p["name"], p["value"]) for p in done.jobParameters]]
    found = Cytomine.get_instance().get("annotation.json", {"job": job_id})
    summary["by_job_filter"] = [a["id"] for a in found["collection"]] == [made.id]
    return summary


def main(host: str, public: str, private: str, project_id: int, image_id: int) -> dict[str, Any]:
    Cytomine.connect(host, public, private, verbose=logging.ERROR)
    software, threshold = _software(project_id)
    summary = _models(project_id, software, threshold)
    summary.update(_run(host, (public, private), (software.id, project_id, image_id)))
    return summary


if __name__ == "__main__":
    host, public, private, project, image = sys.argv[1:6]
    print(json.dumps(main(host, public, private, int(project), int(image))))
