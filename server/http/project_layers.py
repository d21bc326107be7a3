"""Project representatives and default layers: ``/api/project/{id}/representative…``."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid
from server.db.store import project_layers as layers
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me


def _user_of(data: c.ProjectRepresentativeUserInput | c.ProjectDefaultLayerInput) -> int:
    """The member a create body names; its ``project`` is not required (the path has it)."""
    if data.user is None:
        raise Invalid("Missing required field(s): user", {"missing": ["user"]})
    return data.user


class ProjectRepresentativeController(Controller):
    """Representative (contact) users of a project."""

    path = "/api/project/{project_id:int}/representative"
    tags = ["Project representative user"]

    @get("/")
    async def list_representatives(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.ProjectRepresentativeUser]:
        """Representatives of the project."""
        return await layers.representatives(conn, me, project_id, list_params)

    @post("/", status_code=200)
    async def add(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        data: JSONBody[c.ProjectRepresentativeUserInput],
    ) -> c.ProjectRepresentativeUserEnvelope:
        """Make a member a representative; the path's project wins over the body's."""
        obj, command = await layers.add_representative(conn, me, project_id, _user_of(data))
        return envelope(c.ProjectRepresentativeUserEnvelope, obj, action="ADD", command=command)

    @delete("/", status_code=200)
    async def remove_by_user(
        self, conn: Conn, me: Me, project_id: FromPath[int], user: FromQuery[int]
    ) -> c.ProjectRepresentativeUserEnvelope:
        """Remove the representative role of ``user``."""
        obj, command = await layers.delete_representative(conn, me, project_id, user_id=user)
        return envelope(c.ProjectRepresentativeUserEnvelope, obj, action="DELETE", command=command)

    @get("/{ident:int}")
    async def show(
        self, conn: Conn, me: Me, project_id: FromPath[int], ident: FromPath[int]
    ) -> c.ProjectRepresentativeUser:
        """One representative."""
        return await layers.representative(conn, me, project_id, ident)

    @delete("/{ident:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, project_id: FromPath[int], ident: FromPath[int]
    ) -> c.ProjectRepresentativeUserEnvelope:
        """Remove a representative (not the last one)."""
        obj, command = await layers.delete_representative(conn, me, project_id, ident=ident)
        return envelope(c.ProjectRepresentativeUserEnvelope, obj, action="DELETE", command=command)


class ProjectDefaultLayerController(Controller):
    """Whose annotation layers the viewer shows, or hides, when a project image opens."""

    path = "/api/project/{project_id:int}/defaultlayer"
    tags = ["Project default layer"]

    @get("/")
    async def list_layers(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.ProjectDefaultLayer]:
        """Default layers of the project."""
        return await layers.default_layers(conn, me, project_id, list_params)

    @post("/", status_code=200)
    async def add(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        data: JSONBody[c.ProjectDefaultLayerInput],
    ) -> c.ProjectDefaultLayerEnvelope:
        """Declare a member's layer shown or hidden by default."""
        _user_of(data)
        obj, command = await layers.add_default_layer(conn, me, project_id, data)
        return envelope(c.ProjectDefaultLayerEnvelope, obj, action="ADD", command=command)

    @get("/{ident:int}")
    async def show(
        self, conn: Conn, me: Me, project_id: FromPath[int], ident: FromPath[int]
    ) -> c.ProjectDefaultLayer:
        """One default layer."""
        return await layers.default_layer(conn, me, project_id, ident)

    @put("/{ident:int}")
    async def update(
        self,
        conn: Conn,
        me: Me,
        project_id: FromPath[int],
        ident: FromPath[int],
        data: JSONBody[c.ProjectDefaultLayerInput],
    ) -> c.ProjectDefaultLayerEnvelope:
        """Change a default layer."""
        obj, command = await layers.update_default_layer(conn, me, project_id, ident, data)
        return envelope(c.ProjectDefaultLayerEnvelope, obj, action="EDIT", command=command)

    @delete("/{ident:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, project_id: FromPath[int], ident: FromPath[int]
    ) -> c.ProjectDefaultLayerEnvelope:
        """Delete a default layer."""
        obj, command = await layers.delete_default_layer(conn, me, project_id, ident)
        return envelope(c.ProjectDefaultLayerEnvelope, obj, action="DELETE", command=command)


ROUTES = [ProjectRepresentativeController, ProjectDefaultLayerController]
