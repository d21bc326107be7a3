"""Attached files: multipart uploads on any domain object, listing, download and delete."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath
from litestar.response import File

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import NotFound
from server import ingest
from server.db.store import attached_files, domains
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.params import parse_id
from server.runtime import Runtime

_MISSING = ("", "null", "undefined")


def _param(request: Request[Any, Any, Any], form: ingest.Form, name: str) -> str | None:
    """A parameter from the query, else from the form (the JS client sends "null" for none)."""
    value = request.query_params.get(name)
    if value is None or value in _MISSING:
        value = form.fields.get(name)
    return None if value is None or value.strip() in _MISSING else value.strip()


def _new(
    request: Request[Any, Any, Any], form: ingest.Form, original: str
) -> attached_files.NewAttachment:
    """The owner object, name and key an upload names (the file's own name by default)."""
    raw_ident = _param(request, form, "domainIdent")
    ident = None if raw_ident is None else parse_id(raw_ident, name="domainIdent")
    class_name, ident = domains.from_body(_param(request, form, "domainClassName"), ident)
    filename = _param(request, form, "filename") or original
    return attached_files.NewAttachment(
        domain_class_name=class_name,
        domain_ident=ident,
        filename=filename.replace("\\", "/").rsplit("/", 1)[-1] or original,
        key=_param(request, form, "key"),
    )


async def _upload(
    request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: Runtime, names: tuple[str, ...]
) -> c.AttachedFile:
    """Receive the form, attach its first file; temporary files never outlive the request."""
    boundary = ingest.boundary_of(request.headers.get("content-type", ""))
    form = await ingest.receive_form(request.stream(), boundary, runtime.storage_root, names)
    try:
        item = form.files[0]
        new = _new(request, form, item.original_filename)
        return await attached_files.create(conn, me, new, item, runtime.storage_root)
    finally:
        await ingest.discard(form.files)


class AttachedFileController(Controller):
    """Files attached to projects, images, annotations and other objects."""

    path = "/api"
    tags = ["Attached file"]

    @get("/attachedfile")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.AttachedFile]:
        """Attached files of every object the caller may read."""
        return await attached_files.list_all(conn, me, list_params)

    @get("/domain/{domain_class_name:str}/{ident:int}/attachedfile")
    async def list_for(
        self,
        conn: Conn,
        me: Me,
        domain_class_name: FromPath[str],
        ident: FromPath[int],
        list_params: Lists,
    ) -> Page[c.AttachedFile]:
        """Attached files of one object."""
        cls = domains.canonical_class(domain_class_name)
        return await attached_files.list_for(conn, me, cls, ident, list_params)

    @post("/attachedfile", status_code=200, request_max_body_size=None)
    async def upload(
        self, request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: RuntimeDep
    ) -> c.AttachedFile:
        """Attach the file of a multipart body (files[]) to domainClassName/domainIdent."""
        return await _upload(request, conn, me, runtime, ingest.FILE_FIELDS)

    @put("/attachedfile", request_max_body_size=None)
    async def upload_again(
        self, request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: RuntimeDep
    ) -> c.AttachedFile:
        """Same as POST: Cytomine maps both methods to one upload."""
        return await _upload(request, conn, me, runtime, ingest.FILE_FIELDS)

    @post("/attachedfileRTEditor", status_code=200, request_max_body_size=None)
    async def upload_from_editor(
        self, request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: RuntimeDep
    ) -> c.AttachedFile:
        """The rich-text editor's upload (file in ``image``); its url is the download link."""
        return await _upload(request, conn, me, runtime, ("image", *ingest.FILE_FIELDS))

    @get("/attachedfile/{file_id:int}")
    async def show(self, conn: Conn, me: Me, file_id: FromPath[int]) -> c.AttachedFile:
        """One attached file."""
        return (await attached_files.get(conn, me, file_id)).obj

    @get("/attachedfile/{file_id:int}/download")
    async def download(
        self, conn: Conn, me: Me, runtime: RuntimeDep, file_id: FromPath[int]
    ) -> File:
        """The attached file's bytes as an attachment under its name."""
        stored = await attached_files.get(conn, me, file_id)
        path = runtime.storage_root / stored.path
        if not stored.path or not await anyio.Path(path).is_file():
            raise NotFound("AttachedFile", file_id)
        return File(
            path=path,
            filename=stored.obj.filename,
            media_type=stored.content_type or "application/octet-stream",
        )

    @delete("/attachedfile/{file_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, runtime: RuntimeDep, file_id: FromPath[int]
    ) -> c.AttachedFileEnvelope:
        """Delete an attached file; answer it as it was."""
        obj, command = await attached_files.delete(conn, me, file_id, runtime.storage_root)
        return envelope(c.AttachedFileEnvelope, obj, action="DELETE", command=command)


ROUTES = [AttachedFileController]
