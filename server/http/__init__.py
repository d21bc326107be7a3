"""HTTP controllers, one module per Cytomine resource; ``ROUTES`` is every route handler."""

from __future__ import annotations

from typing import Any

from server.http import (
    abstract_images,
    abstract_slices,
    algo_annotations,
    annotation_actions,
    annotation_bulk,
    annotation_comments,
    annotation_crops,
    annotation_export,
    annotation_groups,
    annotation_import,
    annotation_index,
    annotation_layers,
    annotation_overview,
    annotation_profile,
    annotation_spatial,
    annotation_terms,
    app_engine,
    attached_files,
    commands,
    companion_files,
    configurations,
    custom_ui,
    deepzoom,
    descriptions,
    health,
    iam,
    iam_account,
    iam_session,
    iiif,
    image_consultations,
    image_files,
    image_filters,
    image_groups,
    image_instances,
    image_properties,
    image_servers,
    job_data,
    job_parameters,
    job_runs,
    jobs,
    ontologies,
    picture_stats,
    pictures,
    position_socket,
    presentation,
    project_connections,
    project_layers,
    project_members,
    project_stats,
    projects,
    properties,
    relations,
    reviewed_annotations,
    roles,
    slice_instances,
    software,
    software_parameters,
    storages,
    tags,
    terms,
    tracks,
    upload,
    uploaded_files,
    user_annotations,
    user_jobs,
    user_positions,
    users,
)

ROUTES: list[Any] = [*health.ROUTES, *iam.ROUTES, *iam_account.ROUTES, *iam_session.ROUTES]
# People and projects.
ROUTES += [*users.ROUTES, *roles.ROUTES, *storages.ROUTES]
ROUTES += [*projects.ROUTES, *project_members.ROUTES, *project_layers.ROUTES]
ROUTES += [*ontologies.ROUTES, *terms.ROUTES, *relations.ROUTES]
# Images: catalog, then pixels.
ROUTES += [*upload.ROUTES, *uploaded_files.ROUTES, *abstract_images.ROUTES]
ROUTES += [*abstract_slices.ROUTES, *image_instances.ROUTES, *slice_instances.ROUTES]
ROUTES += [*image_servers.ROUTES, *companion_files.ROUTES, *image_properties.ROUTES]
ROUTES += [*image_files.ROUTES, *pictures.ROUTES, *picture_stats.ROUTES]
ROUTES += [*iiif.ROUTES, *deepzoom.ROUTES, *image_groups.ROUTES, *presentation.ROUTES]
# Annotations.
ROUTES += [*user_annotations.ROUTES, *algo_annotations.ROUTES, *reviewed_annotations.ROUTES]
ROUTES += [*annotation_terms.ROUTES, *annotation_index.ROUTES, *annotation_layers.ROUTES]
ROUTES += [*annotation_import.ROUTES, *annotation_export.ROUTES, *annotation_bulk.ROUTES]
ROUTES += [*annotation_overview.ROUTES, *annotation_spatial.ROUTES, *annotation_crops.ROUTES]
ROUTES += [*annotation_profile.ROUTES, *annotation_actions.ROUTES, *annotation_groups.ROUTES]
ROUTES += [*annotation_comments.ROUTES]
# Metadata attached to any domain, and viewer activity.
ROUTES += [*properties.ROUTES, *tags.ROUTES, *tracks.ROUTES, *attached_files.ROUTES]
ROUTES += [*descriptions.ROUTES, *user_positions.ROUTES, *position_socket.ROUTES]
ROUTES += [*image_consultations.ROUTES, *project_connections.ROUTES, *project_stats.ROUTES]
# Command history, undo and redo.
ROUTES += [*commands.ROUTES]
# Web UI settings: custom UI, image filters, configuration; empty app engine and search.
ROUTES += [*custom_ui.ROUTES, *image_filters.ROUTES, *configurations.ROUTES]
ROUTES += [*app_engine.ROUTES]
# Analysis: software, its parameters, the projects offering it, trusted sources.
ROUTES += [*software.ROUTES, *software_parameters.ROUTES]
# Runs of software: jobs, their parameter values, the accounts they act as.
ROUTES += [*jobs.ROUTES, *job_parameters.ROUTES, *user_jobs.ROUTES]
# Runs: their files and the runner's queue.
ROUTES += [*job_data.ROUTES, *job_runs.ROUTES]

__all__ = ["ROUTES"]
