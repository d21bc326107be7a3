"""Image instance and slice instance services (data routes; pixels are served elsewhere)."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.replicas import REPLICA
from server.db.store import image_instances as store
from server.db.store import slice_instances
from server.db.store.image_instances import InstanceFilter
from server.http.common import envelope, required
from server.http.deps import Conn, Lists, Me


class ImageInstanceController(Controller):
    """Images placed in projects and their lists."""

    path = "/api"
    tags = ["Image instance"]

    @post("/imageinstance", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.ImageInstanceInput]
    ) -> c.ImageInstanceEnvelope:
        """Add an abstract image to a project."""
        required(data)
        assert data.base_image is not None and data.project is not None
        obj, command = await store.add(
            conn, me, data.base_image, data.project, data.instance_filename
        )
        return envelope(c.ImageInstanceEnvelope, obj, action="ADD", command=command)

    @get("/imageinstance/{instance_id:int}", opt=REPLICA)
    async def show(self, conn: Conn, me: Me, instance_id: FromPath[int]) -> c.ImageInstance:
        """One image instance."""
        return await store.get(conn, me, instance_id)

    @put("/imageinstance/{instance_id:int}")
    async def update(
        self, conn: Conn, me: Me, instance_id: FromPath[int], data: JSONBody[c.ImageInstanceInput]
    ) -> c.ImageInstanceEnvelope:
        """Rename an image instance or change its optics."""
        obj, command = await store.update(conn, me, instance_id, data)
        return envelope(c.ImageInstanceEnvelope, obj, action="EDIT", command=command)

    @delete("/imageinstance/{instance_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, instance_id: FromPath[int]
    ) -> c.ImageInstanceEnvelope:
        """Remove an image from its project."""
        obj, command = await store.delete(conn, me, instance_id)
        return envelope(c.ImageInstanceEnvelope, obj, action="DELETE", command=command)

    @get("/project/{project_id:int}/imageinstance", opt=REPLICA)
    async def of_project(
        self, conn: Conn, me: Me, list_params: Lists, project_id: FromPath[int]
    ) -> Page[c.ImageInstance]:
        """Images of a project (sort/order and field[op] filters)."""
        return await store.list_instances(conn, me, list_params, InstanceFilter(project=project_id))

    @get("/abstractimage/{image_id:int}/imageinstance")
    async def of_abstract_image(
        self, conn: Conn, me: Me, list_params: Lists, image_id: FromPath[int]
    ) -> Page[c.ImageInstance]:
        """Project copies of one abstract image that the caller can see."""
        where = InstanceFilter(base_image=image_id)
        return await store.list_instances(conn, me, list_params, where)

    @get("/user/{user_id:int}/imageinstance")
    async def of_user(
        self, conn: Conn, me: Me, list_params: Lists, user_id: FromPath[int]
    ) -> Page[c.ImageInstance]:
        """Images of every project the user belongs to (as far as the caller can see)."""
        return await store.list_instances(conn, me, list_params, InstanceFilter(member=user_id))

    @get("/imageinstance/method/lastopened")
    async def last_opened(self, conn: Conn, me: Me, list_params: Lists) -> Page[store.OpenedImage]:
        """Images the caller opened (consultations), most recent first, once each."""
        return await store.last_opened(conn, me, list_params)

    @get("/imageinstance/{instance_id:int}/next")
    async def next_image(self, conn: Conn, me: Me, instance_id: FromPath[int]) -> msgspec.Raw:
        """The image of the same project added just before this one; {} when none."""
        return await store.neighbour(conn, me, instance_id, older=True)

    @get("/imageinstance/{instance_id:int}/previous")
    async def previous_image(self, conn: Conn, me: Me, instance_id: FromPath[int]) -> msgspec.Raw:
        """The image of the same project added just after this one; {} when none."""
        return await store.neighbour(conn, me, instance_id, older=False)

    @get("/project/{project_id:int}/bounds/imageinstance")
    async def bounds(self, conn: Conn, me: Me, project_id: FromPath[int]) -> msgspec.Raw:
        """Min/max and choices of image fields in a project (Web UI filters)."""
        return await store.bounds(conn, me, project_id)

    @get("/user/{user_id:int}/imageinstance/light")
    async def light_of_user(
        self, conn: Conn, me: Me, list_params: Lists, user_id: FromPath[int]
    ) -> Page[store.LightImage]:
        """Compact list of the images of a user's projects (that user or an admin)."""
        return await store.light_by_user(conn, me, user_id, list_params)


class SliceInstanceController(Controller):
    """Planes of image instances."""

    path = "/api"
    tags = ["Slice instance"]

    @get("/sliceinstance/{slice_id:int}", opt=REPLICA)
    async def show(self, conn: Conn, me: Me, slice_id: FromPath[int]) -> c.SliceInstance:
        """One slice instance."""
        return await store.slice_get(conn, me, slice_id)

    @put("/sliceinstance/{slice_id:int}")
    async def update(
        self, conn: Conn, me: Me, slice_id: FromPath[int], data: JSONBody[c.SliceInstanceInput]
    ) -> c.SliceInstanceEnvelope:
        """Point a slice instance at another plane (or image) of its project."""
        obj, command = await slice_instances.update(conn, me, slice_id, data)
        return envelope(c.SliceInstanceEnvelope, obj, action="EDIT", command=command)

    @delete("/sliceinstance/{slice_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, slice_id: FromPath[int]) -> c.SliceInstanceEnvelope:
        """Delete a slice instance that holds no annotation."""
        obj, command = await slice_instances.delete(conn, me, slice_id)
        return envelope(c.SliceInstanceEnvelope, obj, action="DELETE", command=command)

    @get("/imageinstance/{instance_id:int}/sliceinstance", opt=REPLICA)
    async def of_image(
        self, conn: Conn, me: Me, list_params: Lists, instance_id: FromPath[int]
    ) -> Page[c.SliceInstance]:
        """Slices of an image instance, by rank."""
        return await store.slices(conn, me, instance_id, list_params)

    @get("/imageinstance/{instance_id:int}/sliceinstance/reference", opt=REPLICA)
    async def reference(self, conn: Conn, me: Me, instance_id: FromPath[int]) -> c.SliceInstance:
        """The plane shown by default (first channel, middle z, first time point)."""
        return await store.slice_at(conn, me, instance_id)

    @get(
        "/imageinstance/{instance_id:int}/{channel:int}/{z_stack:int}/{time:int}/sliceinstance",
        opt=REPLICA,
    )
    async def at(
        self,
        conn: Conn,
        me: Me,
        instance_id: FromPath[int],
        channel: FromPath[int],
        z_stack: FromPath[int],
        time: FromPath[int],
    ) -> c.SliceInstance:
        """The slice at channel/z/time."""
        return await store.slice_at(conn, me, instance_id, (channel, z_stack, time))


ROUTES = [ImageInstanceController, SliceInstanceController]
