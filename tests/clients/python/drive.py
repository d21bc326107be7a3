"""Drive a Lamina server with the official cytomine-python-client; print what happened as JSON.

Runs inside the client's own virtual environment: ``python drive.py HOST PUBLIC PRIVATE``.
Every step records plain values, and the pytest side asserts them.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable

from cytomine import Cytomine
from cytomine.models import (
    CurrentUser,
    Ontology,
    OntologyCollection,
    Project,
    ProjectCollection,
    RelationTerm,
    Term,
    TermCollection,
    User,
    UserCollection,
)


def current_user(ids: dict[str, int]) -> object:
    me = CurrentUser().fetch()
    return {"id": me.id, "username": me.username}


def user_create(ids: dict[str, int]) -> object:
    user = User("carol", "Carol", "Jones", "carol@example.org", "carol-password").save()
    ids["user"] = user.id
    return {"id": user.id, "username": user.username}


def user_update(ids: dict[str, int]) -> object:
    user = User().fetch(ids["user"])
    user.lastname = "Smith"
    user.update()
    return User().fetch(ids["user"]).lastname


def user_list(ids: dict[str, int]) -> object:
    return sorted(u.username for u in UserCollection().fetch())


def ontology_create(ids: dict[str, int]) -> object:
    ontology = Ontology("Tissues").save()
    ids["ontology"] = ontology.id
    return {"id": ontology.id, "name": ontology.name}


def terms_create(ids: dict[str, int]) -> object:
    tumour = Term("Tumour", ids["ontology"], "#FF0000").save()
    stroma = Term("Stroma", ids["ontology"], "#00FF00").save()
    ids["tumour"], ids["stroma"] = tumour.id, stroma.id
    return [tumour.name, stroma.name]


def relation_create(ids: dict[str, int]) -> object:
    rel = RelationTerm(ids["tumour"], ids["stroma"]).save()
    return {"term1": rel.term1, "term2": rel.term2}


def term_parent(ids: dict[str, int]) -> object:
    return Term().fetch(ids["stroma"]).parent


def term_update(ids: dict[str, int]) -> object:
    term = Term().fetch(ids["tumour"])
    term.color = "#AA0000"
    term.update()
    return Term().fetch(ids["tumour"]).color


def terms_of_ontology(ids: dict[str, int]) -> object:
    found = TermCollection().fetch_with_filter("ontology", ids["ontology"])
    return sorted(t.name for t in found)


def ontology_list(ids: dict[str, int]) -> object:
    return [o.name for o in OntologyCollection().fetch()]


def project_create(ids: dict[str, int]) -> object:
    project = Project("Biopsies", ids["ontology"]).save()
    ids["project"] = project.id
    return {"id": project.id, "name": project.name, "ontology": project.ontology}


def project_add_member(ids: dict[str, int]) -> object:
    project = Project().fetch(ids["project"])
    return bool(project.add_user(ids["user"])) and bool(project.add_user(ids["user"], admin=True))


def project_members(ids: dict[str, int]) -> object:
    members = UserCollection().fetch_with_filter("project", ids["project"])
    return sorted(u.username for u in members)


def project_update(ids: dict[str, int]) -> object:
    project = Project().fetch(ids["project"])
    project.name = "Biopsies 2026"
    project.update()
    return Project().fetch(ids["project"]).name


def project_list(ids: dict[str, int]) -> object:
    return [p.name for p in ProjectCollection().fetch()]


def terms_of_project(ids: dict[str, int]) -> object:
    found = TermCollection().fetch_with_filter("project", ids["project"])
    return sorted(t.name for t in found)


def project_remove_member(ids: dict[str, int]) -> object:
    project = Project().fetch(ids["project"])
    project.delete_user(ids["user"], admin=True)
    project.delete_user(ids["user"])
    members = UserCollection().fetch_with_filter("project", ids["project"])
    return sorted(u.username for u in members)


def project_delete(ids: dict[str, int]) -> object:
    return bool(Project().delete(ids["project"]))


def term_delete(ids: dict[str, int]) -> object:
    return bool(Term().delete(ids["stroma"]))


def ontology_delete(ids: dict[str, int]) -> object:
    return bool(Ontology().delete(ids["ontology"]))


def user_delete(ids: dict[str, int]) -> object:
    return bool(User().delete(ids["user"]))


STEPS: list[Callable[[dict[str, int]], object]] = [
    current_user,
    user_create,
    user_update,
    user_list,
    ontology_create,
    terms_create,
    relation_create,
    term_parent,
    term_update,
    terms_of_ontology,
    ontology_list,
    project_create,
    project_add_member,
    project_members,
    project_update,
    project_list,
    terms_of_project,
    project_remove_member,
    project_delete,
    term_delete,
    ontology_delete,
    user_delete,
]


def main(host: str, public_key: str, private_key: str) -> None:
    """Run every step in order; a failing step records its error and the next ones go on."""
    logging.disable(logging.CRITICAL)
    results: dict[str, object] = {}
    ids: dict[str, int] = {}
    with Cytomine(host, public_key, private_key, configure_logging=False):
        for step in STEPS:
            try:
                results[step.__name__] = step(ids)
            except Exception:  # the test asserts on the recorded error
                results[step.__name__] = {"error": traceback.format_exc(limit=3)}
    print(json.dumps(results))


if __name__ == "__main__":
    main(*sys.argv[1:4])
