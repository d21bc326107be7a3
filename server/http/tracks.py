"""Track service (``/api/track…``) and annotation-track links (``/api/annotationtrack…``)."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import tracks
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me

_PAIR = "/annotationtrack/{annotation_id:int}/{track_id:int}"


def _track_envelope(obj: c.Track, action: Action, command: int) -> c.TrackEnvelope:
    return envelope(
        c.TrackEnvelope,
        obj,
        action=action,
        command=command,
        callback={"imageID": str(obj.image), "projectID": str(obj.project)},
    )


def _link_envelope(
    obj: c.AnnotationTrack, action: Action, command: int
) -> c.AnnotationTrackEnvelope:
    return envelope(
        c.AnnotationTrackEnvelope,
        obj,
        action=action,
        command=command,
        callback={"annotationID": str(obj.annotation_ident), "trackID": str(obj.track)},
    )


class TrackController(Controller):
    """Tracks of image instances."""

    path = "/api"
    tags = ["Track"]

    @post("/track", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[c.TrackInput]) -> c.TrackEnvelope:
        """Create a track on an image: body {name, color, image}."""
        obj, command = await tracks.create(conn, me, data)
        return _track_envelope(obj, "ADD", command)

    @get("/track/{track_id:int}")
    async def show(self, conn: Conn, me: Me, track_id: FromPath[int]) -> c.Track:
        """One track."""
        return await tracks.get(conn, me, track_id)

    @put("/track/{track_id:int}")
    async def update(
        self, conn: Conn, me: Me, track_id: FromPath[int], data: JSONBody[c.TrackInput]
    ) -> c.TrackEnvelope:
        """Rename or recolour a track."""
        obj, command = await tracks.update(conn, me, track_id, data)
        return _track_envelope(obj, "EDIT", command)

    @delete("/track/{track_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, track_id: FromPath[int]) -> c.TrackEnvelope:
        """Delete a track and its annotation links."""
        obj, command = await tracks.delete(conn, me, track_id)
        return _track_envelope(obj, "DELETE", command)

    @get("/imageinstance/{image_id:int}/track")
    async def by_image(
        self, conn: Conn, me: Me, image_id: FromPath[int], list_params: Lists
    ) -> Page[c.Track]:
        """Tracks of one image instance."""
        return await tracks.list_by_image(conn, me, image_id, list_params)

    @get("/project/{project_id:int}/track")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.Track]:
        """Tracks of one project."""
        return await tracks.list_by_project(conn, me, project_id, list_params)


class AnnotationTrackController(Controller):
    """Annotations placed in tracks, one per slice and track."""

    path = "/api"
    tags = ["Associated track (annotation-track)"]

    @post("/annotationtrack", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.AnnotationTrackInput]
    ) -> c.AnnotationTrackEnvelope:
        """Put an annotation in a track: body {annotationIdent, track}."""
        obj, command = await tracks.link(conn, me, data.annotation_ident, data.track)
        return _link_envelope(obj, "ADD", command)

    @post(_PAIR, status_code=200)
    async def create_at(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], track_id: FromPath[int]
    ) -> c.AnnotationTrackEnvelope:
        """Put an annotation in a track (the Python client's URL; the path wins over a body)."""
        obj, command = await tracks.link(conn, me, annotation_id, track_id)
        return _link_envelope(obj, "ADD", command)

    @get(_PAIR)
    async def show(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], track_id: FromPath[int]
    ) -> c.AnnotationTrack:
        """The link between an annotation and a track."""
        return await tracks.get_link(conn, me, annotation_id, track_id)

    @delete(_PAIR, status_code=200)
    async def remove(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], track_id: FromPath[int]
    ) -> c.AnnotationTrackEnvelope:
        """Take an annotation out of a track."""
        obj, command = await tracks.unlink(conn, me, annotation_id, track_id)
        return _link_envelope(obj, "DELETE", command)

    @get("/annotation/{annotation_id:int}/annotationtrack")
    async def by_annotation(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationTrack]:
        """Tracks of one annotation."""
        return await tracks.links_of_annotation(conn, me, annotation_id, list_params)

    @get("/track/{track_id:int}/annotationtrack")
    async def by_track(
        self, conn: Conn, me: Me, track_id: FromPath[int], list_params: Lists
    ) -> Page[c.AnnotationTrack]:
        """Annotations of one track."""
        return await tracks.links_of_track(conn, me, track_id, list_params)


ROUTES = [TrackController, AnnotationTrackController]
