"""Image group service (``/api/imagegroup…``) and the images in each group."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from contracts import _generated as c
from contracts.envelopes import BulkResult, Page
from server.db.store import image_groups
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag

_PAIR = "/imagegroup/{group_id:int}/imageinstance/{image_id:int}"


def _group_envelope(obj: c.ImageGroup, action: Action, command: int) -> c.ImageGroupEnvelope:
    return envelope(
        c.ImageGroupEnvelope,
        obj,
        action=action,
        command=command,
        callback={"projectID": str(obj.project)},
    )


def _member_envelope(
    obj: c.ImageGroupImageInstance, action: Action, command: int
) -> c.ImageGroupImageInstanceEnvelope:
    return envelope(
        c.ImageGroupImageInstanceEnvelope,
        obj,
        action=action,
        command=command,
        callback={"imageGroupID": str(obj.group), "imageInstanceID": str(obj.image)},
    )


class ImageGroupController(Controller):
    """Image groups of a project."""

    path = "/api"
    tags = ["Image group"]

    @post("/imagegroup", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.ImageGroupInput | list[c.ImageGroupInput]]
    ) -> c.ImageGroupEnvelope | BulkResult:
        """Create an image group: body {name, project}; an array creates several."""
        if isinstance(data, list):
            return await image_groups.create_many(conn, me, data)
        obj, command = await image_groups.create(conn, me, data)
        return _group_envelope(obj, "ADD", command)

    @get("/imagegroup/{group_id:int}")
    async def show(self, conn: Conn, me: Me, group_id: FromPath[int]) -> c.ImageGroup:
        """One image group with its images."""
        return await image_groups.readable(conn, me, group_id)

    @put("/imagegroup/{group_id:int}")
    async def update(
        self, conn: Conn, me: Me, group_id: FromPath[int], data: JSONBody[c.ImageGroupInput]
    ) -> c.ImageGroupEnvelope:
        """Rename an image group."""
        obj, command = await image_groups.update(conn, me, group_id, data)
        return _group_envelope(obj, "EDIT", command)

    @delete("/imagegroup/{group_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, group_id: FromPath[int]) -> c.ImageGroupEnvelope:
        """Delete an image group, its memberships and its annotation groups."""
        obj, command = await image_groups.delete(conn, me, group_id)
        return _group_envelope(obj, "DELETE", command)

    @get("/project/{project_id:int}/imagegroup")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.ImageGroup]:
        """Image groups of one project."""
        return await image_groups.list_by_project(conn, me, project_id, list_params)


class ImageGroupImageController(Controller):
    """Image instances in image groups."""

    path = "/api"
    tags = ["Image group"]

    @get("/imagegroup/{group_id:int}/imageinstance")
    async def images(
        self, conn: Conn, me: Me, group_id: FromPath[int], list_params: Lists
    ) -> Page[c.ImageInstance]:
        """Image instances of one group."""
        return await image_groups.images(conn, me, group_id, list_params)

    @get("/imageinstance/{image_id:int}/imagegroupimageinstance")
    async def of_image(
        self, conn: Conn, me: Me, image_id: FromPath[int], list_params: Lists
    ) -> Page[c.ImageGroupImageInstance]:
        """The groups one image belongs to."""
        return await image_groups.memberships(conn, me, image_id, list_params)

    @post(_PAIR, status_code=200)
    async def add(
        self, conn: Conn, me: Me, group_id: FromPath[int], image_id: FromPath[int]
    ) -> c.ImageGroupImageInstanceEnvelope:
        """Put an image into a group of its project (the path wins over any body)."""
        obj, command = await image_groups.add_image(conn, me, group_id, image_id)
        return _member_envelope(obj, "ADD", command)

    @delete(_PAIR, status_code=200)
    async def remove(
        self, conn: Conn, me: Me, group_id: FromPath[int], image_id: FromPath[int]
    ) -> c.ImageGroupImageInstanceEnvelope:
        """Take an image out of a group."""
        obj, command = await image_groups.remove_image(conn, me, group_id, image_id)
        return _member_envelope(obj, "DELETE", command)

    @get(_PAIR + "/next")
    async def next_image(
        self,
        conn: Conn,
        me: Me,
        group_id: FromPath[int],
        image_id: FromPath[int],
        circular: FromQuery[str | None] = None,
    ) -> msgspec.Raw:
        """The next image of the group by name (circular by default; [] past the end)."""
        wrap = flag(circular, default=True, name="circular")
        return await image_groups.neighbour(conn, me, group_id, image_id, step=1, circular=wrap)

    @get(_PAIR + "/previous")
    async def previous_image(
        self,
        conn: Conn,
        me: Me,
        group_id: FromPath[int],
        image_id: FromPath[int],
        circular: FromQuery[str | None] = None,
    ) -> msgspec.Raw:
        """The previous image of the group by name (circular by default; [] past the start)."""
        wrap = flag(circular, default=True, name="circular")
        return await image_groups.neighbour(conn, me, group_id, image_id, step=-1, circular=wrap)


ROUTES = [ImageGroupController, ImageGroupImageController]
