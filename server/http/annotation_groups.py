"""Annotation group (``/api/annotationgroup…``) and annotation link (``/api/annotationlink…``)."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import annotation_groups, annotation_links
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


def _group_envelope(
    obj: c.AnnotationGroup, action: Action, command: int
) -> c.AnnotationGroupEnvelope:
    return envelope(
        c.AnnotationGroupEnvelope,
        obj,
        action=action,
        command=command,
        callback={"projectID": str(obj.project), "imageGroupID": str(obj.image_group)},
    )


def _link_envelope(obj: c.AnnotationLink, action: Action, command: int) -> c.AnnotationLinkEnvelope:
    return envelope(
        c.AnnotationLinkEnvelope,
        obj,
        action=action,
        command=command,
        callback={"annotationGroupID": str(obj.group), "annotationID": str(obj.annotation_ident)},
    )


class AnnotationGroupController(Controller):
    """Annotation groups of an image group."""

    path = "/api"
    tags = ["Annotation group"]

    @post("/annotationgroup", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.AnnotationGroupInput]
    ) -> c.AnnotationGroupEnvelope:
        """Create an annotation group: body {project, imageGroup, type}."""
        obj, command = await annotation_groups.create(conn, me, data)
        return _group_envelope(obj, "ADD", command)

    @get("/annotationgroup/{group_id:int}")
    async def show(self, conn: Conn, me: Me, group_id: FromPath[int]) -> c.AnnotationGroup:
        """One annotation group."""
        return await annotation_groups.readable(conn, me, group_id)

    @put("/annotationgroup/{group_id:int}")
    async def update(
        self, conn: Conn, me: Me, group_id: FromPath[int], data: JSONBody[c.AnnotationGroupInput]
    ) -> c.AnnotationGroupEnvelope:
        """Change the image group or type of an annotation group."""
        obj, command = await annotation_groups.update(conn, me, group_id, data)
        return _group_envelope(obj, "EDIT", command)

    @delete("/annotationgroup/{group_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, group_id: FromPath[int]
    ) -> c.AnnotationGroupEnvelope:
        """Delete an annotation group and its links."""
        obj, command = await annotation_groups.delete(conn, me, group_id)
        return _group_envelope(obj, "DELETE", command)

    @get("/imagegroup/{image_group_id:int}/annotationgroup")
    async def by_image_group(
        self, conn: Conn, me: Me, image_group_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationGroup]:
        """Annotation groups of one image group."""
        return await annotation_groups.list_by_image_group(conn, me, image_group_id, list_params)

    @get("/project/{project_id:int}/annotationgroup")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationGroup]:
        """Annotation groups of one project."""
        return await annotation_groups.list_by_project(conn, me, project_id, list_params)

    @post("/annotationgroup/{group_id:int}/annotationgroup/{merged_id:int}/merge", status_code=200)
    async def merge(
        self, conn: Conn, me: Me, group_id: FromPath[int], merged_id: FromPath[int]
    ) -> c.AnnotationGroupEnvelope:
        """Move the links of the second group into the first and delete the second."""
        obj, command = await annotation_groups.merge(conn, me, group_id, merged_id)
        return _group_envelope(obj, "EDIT", command)


class AnnotationLinkController(Controller):
    """Annotations placed in annotation groups."""

    path = "/api"
    tags = ["Annotation link"]

    @post("/annotationlink", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.AnnotationLinkInput]
    ) -> c.AnnotationLinkEnvelope:
        """Put an annotation in a group: body {annotationIdent, group}."""
        obj, command = await annotation_links.create(conn, me, data)
        return _link_envelope(obj, "ADD", command)

    @get("/annotation/{annotation_id:int}/annotationlink")
    async def by_annotation(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationLink]:
        """Links of the group an annotation is in (empty when it is in none)."""
        return await annotation_links.of_annotation(conn, me, annotation_id, list_params)

    @get("/annotationgroup/{group_id:int}/annotationlink")
    async def by_group(
        self, conn: Conn, me: Me, group_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationLink]:
        """Links of one annotation group."""
        return await annotation_links.of_group(conn, me, group_id, list_params)

    @delete("/annotationgroup/{group_id:int}/annotation/{annotation_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, group_id: FromPath[int], annotation_id: FromPath[int]
    ) -> c.AnnotationLinkEnvelope:
        """Take an annotation out of a group."""
        obj, command = await annotation_links.remove(conn, me, group_id, annotation_id)
        return _link_envelope(obj, "DELETE", command)


ROUTES = [AnnotationGroupController, AnnotationLinkController]
