"""Reviewed annotation service: review mode, validating annotations, the reviewed layer."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put, route
from litestar.params import FromPath

from contracts import _generated as c
from contracts.envelopes import Page, page
from server.db.store import reviewed_annotations as store
from server.db.store import reviews
from server.http.annotation_kinds import (
    ONE_BODY,
    count_response,
    loose_object,
    reviewed_envelope,
)
from server.http.deps import Conn, Lists, Me
from server.params import flag, ids, json_body

_CREATE = msgspec.json.Decoder(store.ReviewedBody)


class ReviewMessage(msgspec.Struct, kw_only=True):
    """Answer to starting or stopping review mode: ``{message, imageinstance}``."""

    message: str
    imageinstance: c.ImageInstance


def _merged(request: Request[Any, Any, Any], raw: bytes) -> dict[str, Any]:
    """Body parameters over query parameters (as Cytomine merges them)."""
    params: dict[str, Any] = dict(request.query_params)
    params.update(loose_object(raw))
    return params


class ReviewedAnnotationController(Controller):
    """Reviewed annotations: CRUD, listing, counts and per-user stats."""

    path = "/api"
    tags = ["ReviewedAnnotation"]

    @get("/reviewedannotation")
    async def list_reviewed(
        self, conn: Conn, me: Me, list_params: Lists
    ) -> Page[c.ReviewedAnnotation]:
        """Reviewed annotations of the projects the caller reads, newest first."""
        return await store.list_visible(conn, me, list_params.max, list_params.offset)

    @post(["/reviewedannotation", "/user/{user_id:int}/reviewedannotation"], status_code=200)
    async def create(
        self, conn: Conn, me: Me, request: Request[Any, Any, Any]
    ) -> c.ReviewedAnnotationEnvelope:
        """Store a reviewed annotation given in full (the review routes are the usual way)."""
        body = json_body(await request.body(), _CREATE)
        obj, command = await store.create(conn, me, body)
        return reviewed_envelope(obj, "ADD", command)

    @get("/reviewedannotation/{annotation_id:int}")
    async def show(self, conn: Conn, me: Me, annotation_id: FromPath[int]) -> c.ReviewedAnnotation:
        """One reviewed annotation."""
        return await store.get(conn, me, annotation_id)

    @put("/reviewedannotation/{annotation_id:int}")
    async def update(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> c.ReviewedAnnotationEnvelope:
        """Change the location, slice or terms of a reviewed annotation."""
        body = json_body(await request.body(), ONE_BODY)
        obj, command = await store.update(conn, me, annotation_id, body)
        return reviewed_envelope(obj, "EDIT", command)

    @delete("/reviewedannotation/{annotation_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, annotation_id: FromPath[int]
    ) -> c.ReviewedAnnotationEnvelope:
        """Delete a reviewed annotation; answer it as it was."""
        obj, command = await store.delete(conn, me, annotation_id)
        return reviewed_envelope(obj, "DELETE", command)

    @get("/project/{project_id:int}/reviewedannotation/count")
    async def count_in_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> dict[str, int]:
        """Reviewed annotations of a project, between optional startDate/endDate (epoch ms)."""
        return await count_response(conn, me, project_id, request, "reviewed")

    @get("/user/{user_id:int}/reviewedannotation/count")
    async def count_mine(self, conn: Conn, me: Me, user_id: FromPath[int]) -> dict[str, int]:
        """Annotations the caller validated (the path's user id is ignored, as Cytomine)."""
        return {"total": await store.count_mine(conn, me)}

    @get("/imageinstance/{image_id:int}/reviewedannotation/stats")
    async def stats(
        self, conn: Conn, me: Me, image_id: FromPath[int], list_params: Lists
    ) -> Page[dict[str, Any]]:
        """Per user on an image: annotations and how many of them are reviewed."""
        return await store.stats(conn, me, image_id, list_params.max, list_params.offset)


class ReviewController(Controller):
    """Review mode on images and validating or rejecting annotations."""

    path = "/api"
    tags = ["ReviewedAnnotation"]

    @route("/imageinstance/{image_id:int}/review", http_method=["POST", "PUT"], status_code=200)
    async def start(self, conn: Conn, me: Me, image_id: FromPath[int]) -> ReviewMessage:
        """Start review mode on an image for the caller."""
        image = await reviews.start(conn, me, image_id)
        return ReviewMessage(
            message=f"{me.username} start reviewing on {image.instance_filename}",
            imageinstance=image,
        )

    @delete("/imageinstance/{image_id:int}/review", status_code=200)
    async def stop(
        self, conn: Conn, me: Me, image_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> ReviewMessage:
        """Validate the image's review, or cancel it with ``cancel=true``."""
        cancel = flag(request.query_params.get("cancel"))
        image = await reviews.stop(conn, me, image_id, cancel=cancel)
        verb = "cancel" if cancel else "validate"
        return ReviewMessage(
            message=f"{me.username} {verb} reviewing on {image.instance_filename}",
            imageinstance=image,
        )

    @route(
        "/annotation/{annotation_id:int}/review",
        http_method=["GET", "POST", "PUT"],
        status_code=200,
    )
    async def review(
        self, conn: Conn, me: Me, annotation_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> c.ReviewedAnnotationEnvelope:
        """Validate an annotation, with its own terms or the ``terms`` given."""
        params = _merged(request, await request.body())
        given = params.get("terms")
        terms = None if given is None or given == "" else ids(given, name="terms")
        obj, command = await reviews.review(conn, me, annotation_id, terms)
        return reviewed_envelope(obj, "ADD", command)

    @delete("/annotation/{annotation_id:int}/review", status_code=200)
    async def unreview(
        self, conn: Conn, me: Me, annotation_id: FromPath[int]
    ) -> c.ReviewedAnnotationEnvelope:
        """Reject a validated annotation (delete its reviewed copy)."""
        obj, command = await reviews.unreview(conn, me, annotation_id)
        return reviewed_envelope(obj, "DELETE", command)

    @route(
        "/imageinstance/{image_id:int}/annotation/review",
        http_method=["POST", "PUT"],
        status_code=200,
    )
    async def review_layers(
        self, conn: Conn, me: Me, image_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> Page[int]:
        """Validate every annotation of the given ``users`` on an image; the new ids."""
        params = _merged(request, await request.body())
        done = await reviews.review_layers(
            conn, me, image_id, ids(params.get("users"), name="users")
        )
        return page(done, size=len(done), offset=0, max_=0)

    @delete("/imageinstance/{image_id:int}/annotation/review", status_code=200)
    async def unreview_layers(
        self, conn: Conn, me: Me, image_id: FromPath[int], request: Request[Any, Any, Any]
    ) -> Page[int]:
        """Reject every validated annotation of the given ``users`` on an image."""
        users = ids(request.query_params.get("users"), name="users")
        done = await reviews.unreview_layers(conn, me, image_id, users)
        return page(done, size=len(done), offset=0, max_=0)


ROUTES = [ReviewedAnnotationController, ReviewController]
