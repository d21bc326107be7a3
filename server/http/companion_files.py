"""Companion files: extra files attached to abstract images, and profile requests."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import File

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Forbidden, Invalid
from server.db.store import companion_files
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.http.uploaded_files import stored_file


class CompanionFileController(Controller):
    """Companion files of abstract images."""

    path = "/api/companionfile"
    tags = ["Companion file"]

    @get("/")
    async def list_files(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.CompanionFile]:
        """Companion files of every abstract image the caller may read."""
        return await companion_files.list_readable(conn, me, list_params)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.CompanionFileInput]
    ) -> c.CompanionFileEnvelope:
        """Attach a companion file to an abstract image."""
        obj, command = await companion_files.create(conn, me, data)
        return envelope(c.CompanionFileEnvelope, obj, action="ADD", command=command)

    @get("/{file_id:int}")
    async def show(self, conn: Conn, me: Me, file_id: FromPath[int]) -> c.CompanionFile:
        """One companion file."""
        return (await companion_files.find(conn, me, file_id)).file

    @put("/{file_id:int}")
    async def update(
        self, conn: Conn, me: Me, file_id: FromPath[int], data: JSONBody[c.CompanionFileInput]
    ) -> c.CompanionFileEnvelope:
        """Change a companion file (progress, names, type...)."""
        obj, command = await companion_files.update(conn, me, file_id, data)
        return envelope(c.CompanionFileEnvelope, obj, action="EDIT", command=command)

    @delete("/{file_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, file_id: FromPath[int]) -> c.CompanionFileEnvelope:
        """Detach a companion file from its image."""
        obj, command = await companion_files.delete(conn, me, file_id)
        return envelope(c.CompanionFileEnvelope, obj, action="DELETE", command=command)

    @get("/{file_id:int}/download")
    async def download(
        self, conn: Conn, me: Me, runtime: RuntimeDep, file_id: FromPath[int]
    ) -> File:
        """The stored bytes of a companion file (its storage, or a project showing its image
        that allows downloads)."""
        readable = await companion_files.find(conn, me, file_id)
        if not readable.downloadable:
            raise Forbidden(f"You don't have the right to download companion file {file_id}")
        found = readable.file
        name = found.original_filename or found.filename
        return stored_file(runtime.storage_root, found.path, name, "CompanionFile", found.id)

    @get("/{file_id:int}/user")
    async def uploader(self, conn: Conn, me: Me, file_id: FromPath[int]) -> c.User:
        """Who uploaded the companion file."""
        return await companion_files.uploader(conn, me, file_id)


@post("/api/profile", status_code=200, tags=["Companion file"])
async def profile(
    request: Request[Any, Any, Any],
    conn: Conn,
    me: Me,
    image: Annotated[int | None, QueryParameter()] = None,
) -> None:
    """Ask for the spectral profile of an image: checked, then refused (no HDF5 writer)."""
    target = image if image is not None else await _body_image(request)
    await companion_files.request_profile(conn, me, target)


async def _body_image(request: Request[Any, Any, Any]) -> int:
    """The ``image`` id of a ``{image}`` body."""
    try:
        body = await request.json()
    except ValueError as exc:
        raise Invalid("The body must be a JSON object with an image id") from exc
    value = body.get("image") if isinstance(body, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid("Missing required field(s): image", {"missing": ["image"]})
    return value


ROUTES: list[Any] = [CompanionFileController, profile]
