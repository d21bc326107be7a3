"""HTTP controllers, one module per Cytomine resource; ``ROUTES`` is every route handler."""

from __future__ import annotations

from typing import Any

from server.http import (
    abstract_images,
    health,
    iam,
    iam_account,
    iam_session,
    image_instances,
    ontologies,
    project_layers,
    project_members,
    projects,
    relations,
    roles,
    storages,
    terms,
    upload,
    users,
)

ROUTES: list[Any] = [*health.ROUTES, *users.ROUTES]
ROUTES += [*ontologies.ROUTES, *terms.ROUTES, *relations.ROUTES]
ROUTES += [*iam.ROUTES, *iam_account.ROUTES, *iam_session.ROUTES]
ROUTES += [*roles.ROUTES, *storages.ROUTES]
ROUTES += [*projects.ROUTES, *project_members.ROUTES, *project_layers.ROUTES]
ROUTES += [*upload.ROUTES, *abstract_images.ROUTES, *image_instances.ROUTES]

__all__ = ["ROUTES"]
