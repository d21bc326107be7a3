"""Software (``/api/software…``) and trusted sources (``/api/software_user_repository…``)."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import File

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import NotFound
from server import ingest
from server.db.store import software, trusted_sources
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.params import flag

_UPLOAD_FIELDS = ("name", "softwareVersion", "resultName", "executeCommand", "pullingCommand")


def _software_envelope(obj: c.Software, action: Action, command: int) -> c.SoftwareEnvelope:
    return envelope(c.SoftwareEnvelope, obj, action=action, command=command)


def _upload_body(request: Request[Any, Any, Any], form: ingest.Form) -> c.SoftwareInput:
    """The software an upload describes, from the query or the form (as Cytomine reads it)."""
    values = {k: request.query_params.get(k) or form.fields.get(k) for k in _UPLOAD_FIELDS}
    return c.SoftwareInput(
        name=values["name"],
        software_version=values["softwareVersion"],
        result_name=values["resultName"],
        execute_command=values["executeCommand"],
        pulling_command=values["pullingCommand"],
    )


class SoftwareController(Controller):
    """Software: analysis programs registered once, run in projects as jobs."""

    path = "/api"
    tags = ["Software"]

    @get("/software")
    async def list_all(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        executable_only: Annotated[str | None, QueryParameter(name="executableOnly")] = None,
    ) -> Page[c.Software]:
        """Every software; executableOnly=true hides those without a command to run."""
        return await software.list_all(conn, list_params, executable_only=flag(executable_only))

    @post("/software", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.SoftwareInput]
    ) -> c.SoftwareEnvelope:
        """Register a software (users; setting its command needs an admin)."""
        obj, command = await software.create(conn, me, data)
        return _software_envelope(obj, "ADD", command)

    @post("/software/upload", status_code=200, request_max_body_size=None)
    async def upload(
        self, request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: RuntimeDep
    ) -> c.SoftwareEnvelope:
        """Register a software with its source package (multipart files[]; name in the query)."""
        boundary = ingest.boundary_of(request.headers.get("content-type", ""))
        form = await ingest.receive_form(request.stream(), boundary, runtime.storage_root)
        try:
            body = _upload_body(request, form)
            obj, command = await software.create_with_source(
                conn, me, body, form.files[0], runtime.storage_root
            )
        finally:
            await ingest.discard(form.files)
        return _software_envelope(obj, "ADD", command)

    @get("/software/{software_id:int}")
    async def show(self, conn: Conn, me: Me, software_id: FromPath[int]) -> c.Software:
        """One software."""
        return await software.get(conn, me, software_id)

    @put("/software/{software_id:int}")
    async def update(
        self, conn: Conn, me: Me, software_id: FromPath[int], data: JSONBody[c.SoftwareInput]
    ) -> c.SoftwareEnvelope:
        """Change a software (its creator or an admin)."""
        obj, command = await software.update(conn, me, software_id, data)
        return _software_envelope(obj, "EDIT", command)

    @delete("/software/{software_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, runtime: RuntimeDep, software_id: FromPath[int]
    ) -> c.SoftwareEnvelope:
        """Delete a software with its parameters and project links."""
        obj, command = await software.delete(conn, me, software_id, runtime.storage_root)
        return _software_envelope(obj, "DELETE", command)

    @get("/software/{software_id:int}/download")
    async def download(
        self, conn: Conn, me: Me, runtime: RuntimeDep, software_id: FromPath[int]
    ) -> File:
        """The software's uploaded source package."""
        found = await software.find(conn, me, software_id)
        path = runtime.storage_root / (found.source_path or "")
        if not found.source_path or not await anyio.Path(path).is_file():
            raise NotFound("Source files of software", software_id)
        return File(path=path, filename=path.name, media_type="application/octet-stream")

    @get("/project/{project_id:int}/software")
    async def by_project(
        self, conn: Conn, me: Me, project_id: FromPath[int], list_params: Lists
    ) -> Page[c.Software]:
        """Software enabled in a project (its members)."""
        return await software.list_by_project(conn, me, project_id, list_params)

    @get("/software_user_repository/{repository_id:int}/software")
    async def by_repository(
        self, conn: Conn, me: Me, repository_id: FromPath[int], list_params: Lists
    ) -> Page[c.Software]:
        """Software from a trusted source (deprecated versions left out)."""
        return await software.list_by_repository(conn, repository_id, list_params)

    @get("/project/{project_id:int}/software/{software_id:int}/stats")
    async def stats(
        self, conn: Conn, me: Me, project_id: FromPath[int], software_id: FromPath[int]
    ) -> dict[str, int]:
        """Job counters of a software in a project."""
        return await software.stats_in_project(conn, me, project_id, software_id)


def _repository_envelope(
    obj: c.SoftwareUserRepository, action: Action, command: int
) -> c.SoftwareUserRepositoryEnvelope:
    return envelope(c.SoftwareUserRepositoryEnvelope, obj, action=action, command=command)


class TrustedSourceController(Controller):
    """Trusted sources: the accounts software comes from (admins change them)."""

    path = "/api/software_user_repository"
    tags = ["Trusted source"]

    @get("/")
    async def list_all(
        self, conn: Conn, me: Me, list_params: Lists
    ) -> Page[c.SoftwareUserRepository]:
        """Every trusted source."""
        return await trusted_sources.list_all(conn, list_params)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.SoftwareUserRepositoryInput]
    ) -> c.SoftwareUserRepositoryEnvelope:
        """Declare a trusted source: body {provider, username, dockerUsername, prefix}."""
        obj, command = await trusted_sources.create(conn, me, data)
        return _repository_envelope(obj, "ADD", command)

    @get("/refresh_user_repositories")
    async def refresh_all(self, conn: Conn, me: Me) -> dict[str, str]:
        """Rescan every trusted source: Lamina registers software from descriptors instead."""
        return {"message": "Trusted sources are not scanned: register software from descriptors"}

    @get("/{repository_id:int}")
    async def show(
        self, conn: Conn, me: Me, repository_id: FromPath[int]
    ) -> c.SoftwareUserRepository:
        """One trusted source."""
        return await trusted_sources.get(conn, repository_id)

    @put("/{repository_id:int}")
    async def update(
        self,
        conn: Conn,
        me: Me,
        repository_id: FromPath[int],
        data: JSONBody[c.SoftwareUserRepositoryInput],
    ) -> c.SoftwareUserRepositoryEnvelope:
        """Change a trusted source (admins)."""
        obj, command = await trusted_sources.update(conn, me, repository_id, data)
        return _repository_envelope(obj, "EDIT", command)

    @delete("/{repository_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, repository_id: FromPath[int]
    ) -> c.SoftwareUserRepositoryEnvelope:
        """Forget a trusted source (admins); its software stays."""
        obj, command = await trusted_sources.delete(conn, me, repository_id)
        return _repository_envelope(obj, "DELETE", command)

    @get("/{repository_id:int}/refresh")
    async def refresh(self, conn: Conn, me: Me, repository_id: FromPath[int]) -> dict[str, str]:
        """Rescan one trusted source: nothing to scan, the source is checked to exist."""
        found = await trusted_sources.get(conn, repository_id)
        return {"message": f"Trusted source {found.username} is not scanned: nothing to refresh"}


ROUTES = [SoftwareController, TrustedSourceController]

__all__ = ["ROUTES"]
