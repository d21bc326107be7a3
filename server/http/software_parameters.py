"""Software parameters (``/api/software_parameter…`` and the legacy ``/api/softwareparameter…``)
and software-project links (``/api/softwareproject…``)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page
from server.db.store import software_parameters, software_projects
from server.db.store.commands import Action
from server.db.store.software_parameters import ParameterBody
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me
from server.params import flag

_WITH_SET_BY_SERVER = QueryParameter(name="withSetByServer")


def _parameter_envelope(
    obj: c.SoftwareParameter, action: Action, command: int
) -> c.SoftwareParameterEnvelope:
    return envelope(c.SoftwareParameterEnvelope, obj, action=action, command=command)


class _ParameterRoutes(Controller):
    """The routes of one spelling of the parameter URLs."""

    tags = ["Software parameter"]

    @get("/")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.SoftwareParameter]:
        """Every software parameter (admins)."""
        return await software_parameters.list_all(conn, me, list_params)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[ParameterBody]
    ) -> c.SoftwareParameterEnvelope:
        """Declare a parameter: body {software, name, type, defaultParamValue, required...}."""
        obj, command = await software_parameters.create(conn, me, data)
        return _parameter_envelope(obj, "ADD", command)

    @get("/{parameter_id:int}")
    async def show(self, conn: Conn, me: Me, parameter_id: FromPath[int]) -> c.SoftwareParameter:
        """One software parameter."""
        return await software_parameters.get(conn, me, parameter_id)

    @put("/{parameter_id:int}")
    async def update(
        self, conn: Conn, me: Me, parameter_id: FromPath[int], data: JSONBody[ParameterBody]
    ) -> c.SoftwareParameterEnvelope:
        """Change a parameter (its software's creator or an admin)."""
        obj, command = await software_parameters.update(conn, me, parameter_id, data)
        return _parameter_envelope(obj, "EDIT", command)

    @delete("/{parameter_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, parameter_id: FromPath[int]
    ) -> c.SoftwareParameterEnvelope:
        """Delete a parameter."""
        obj, command = await software_parameters.delete(conn, me, parameter_id)
        return _parameter_envelope(obj, "DELETE", command)


class SoftwareParameterController(_ParameterRoutes):
    """Software parameters."""

    path = "/api/software_parameter"


class LegacySoftwareParameterController(_ParameterRoutes):
    """The same routes under Cytomine's older spelling."""

    path = "/api/softwareparameter"


class ParametersOfSoftwareController(Controller):
    """The parameters of one software, ordered by index."""

    path = "/api/software/{software_id:int}"
    tags = ["Software parameter"]

    @get(["/parameter", "/software_parameter"])
    async def of_software(
        self,
        conn: Conn,
        me: Me,
        software_id: FromPath[int],
        list_params: Lists,
        with_set_by_server: Annotated[str | None, _WITH_SET_BY_SERVER] = None,
    ) -> Page[c.SoftwareParameter]:
        """A software's parameters; withSetByServer=true adds those the server fills."""
        return await software_parameters.list_by_software(
            conn, me, software_id, list_params, with_set_by_server=flag(with_set_by_server)
        )


def _link_envelope(
    obj: c.SoftwareProject, action: Action, command: int
) -> c.SoftwareProjectEnvelope:
    return envelope(c.SoftwareProjectEnvelope, obj, action=action, command=command)


class SoftwareProjectController(Controller):
    """Which software a project offers (members read, project writers change)."""

    path = "/api"
    tags = ["Associated software (software-project)"]

    @get("/softwareproject")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.SoftwareProject]:
        """Links of every project the caller reads."""
        return await software_projects.list_all(conn, me, list_params)

    @post("/softwareproject", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.SoftwareProjectInput]
    ) -> c.SoftwareProjectEnvelope:
        """Enable a software in a project: body {software, project}."""
        obj, command = await software_projects.create(conn, me, data)
        return _link_envelope(obj, "ADD", command)

    @get("/softwareproject/{link_id:int}")
    async def show(self, conn: Conn, me: Me, link_id: FromPath[int]) -> c.SoftwareProject:
        """One link."""
        return await software_projects.get(conn, me, link_id)

    @delete("/softwareproject/{link_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, link_id: FromPath[int]) -> c.SoftwareProjectEnvelope:
        """Remove a software from a project."""
        obj, command = await software_projects.delete(conn, me, link_id)
        return _link_envelope(obj, "DELETE", command)

    @get("/project/{project_id:int}/softwareproject")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.SoftwareProject]:
        """Links of one project."""
        return await software_projects.list_by_project(conn, me, project_id, list_params)

    @get("/software/{software_id:int}/project")
    async def projects_of(
        self, conn: Conn, me: Me, software_id: FromPath[int], list_params: Lists
    ) -> Page[c.Project]:
        """Projects (among the caller's) where a software is enabled."""
        return await software_projects.projects_of(conn, me, software_id, list_params)


ROUTES = [
    SoftwareParameterController,
    LegacySoftwareParameterController,
    ParametersOfSoftwareController,
    SoftwareProjectController,
]
