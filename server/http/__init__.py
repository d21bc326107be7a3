"""HTTP controllers, one module per Cytomine resource; ``ROUTES`` is every route handler."""

from __future__ import annotations

from typing import Any

from server.http import (
    abstract_images,
    deepzoom,
    health,
    iam,
    iam_account,
    iam_session,
    iiif,
    image_files,
    image_instances,
    ontologies,
    pictures,
    project_layers,
    project_members,
    projects,
    relations,
    roles,
    storages,
    terms,
    upload,
    user_annotations,
    users,
)

ROUTES: list[Any] = [*health.ROUTES, *users.ROUTES]
ROUTES += [*ontologies.ROUTES, *terms.ROUTES, *relations.ROUTES]
ROUTES += [*iam.ROUTES, *iam_account.ROUTES, *iam_session.ROUTES]
ROUTES += [*roles.ROUTES, *storages.ROUTES]
ROUTES += [*projects.ROUTES, *project_members.ROUTES, *project_layers.ROUTES]
ROUTES += [*upload.ROUTES, *abstract_images.ROUTES, *image_instances.ROUTES]

ROUTES += [*image_files.ROUTES, *pictures.ROUTES, *iiif.ROUTES, *deepzoom.ROUTES]
ROUTES += [*user_annotations.ROUTES]

__all__ = ["ROUTES"]
