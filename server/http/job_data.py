"""Job data (``/api/jobdata…``): files produced by jobs, declared then uploaded.

Uploads are multipart (``files[]``, as the official client sends them) or the raw file as
the body; either way a file over ``job_data_max_bytes`` is refused with 413 before it fills
the disk.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.response import File

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import NotFound
from server import ingest
from server.db.store import job_data
from server.db.store.commands import Action
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.runtime import Runtime
from server.upload_limits import MULTIPART_OVERHEAD, capped, receive_raw, too_large


def _envelope(obj: c.JobData, action: Action, command: int) -> c.JobDataEnvelope:
    return envelope(c.JobDataEnvelope, obj, action=action, command=command)


async def _receive(
    request: Request[Any, Any, Any], runtime: Runtime, filename: str
) -> ingest.Received:
    """The uploaded file, multipart or raw, refused (413) past the limit."""
    limit: int = runtime.settings.job_data_max_bytes
    content_type = request.headers.get("content-type", "")
    multipart = content_type.startswith("multipart/")
    allowed = limit + (MULTIPART_OVERHEAD if multipart else 0)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > allowed:
        raise too_large(limit)
    chunks = capped(request.stream(), allowed)
    if not multipart:
        return await receive_raw(chunks, runtime.storage_root, filename, content_type or None)
    form = await ingest.receive_form(chunks, ingest.boundary_of(content_type), runtime.storage_root)
    await ingest.discard(form.files[1:])
    item = form.files[0]
    if item.size > limit:
        await ingest.discard([item])
        raise too_large(limit)
    return item


async def _upload(
    request: Request[Any, Any, Any], conn: Conn, me: Me, runtime: Runtime, data_id: FromPath[int]
) -> c.JobData:
    stored = await job_data.writable(conn, me, data_id)
    item = await _receive(request, runtime, stored.obj.filename)
    try:
        return await job_data.upload(conn, stored, item, runtime.storage_root)
    finally:
        await ingest.discard([item])


def _shown_inline(media_type: str) -> bool:
    """Whether a browser may show the file in the page: pictures, plain text and PDF only
    (an uploaded HTML or SVG file would run its scripts on the server's origin)."""
    if media_type.startswith("image/"):
        return "svg" not in media_type
    return media_type in ("text/plain", "application/pdf")


async def _file(conn: Conn, me: Me, runtime: Runtime, data_id: int, *, inline: bool) -> File:
    stored = await job_data.get(conn, me, data_id)
    path = runtime.storage_root / (stored.path or "")
    if not stored.path or not await anyio.Path(path).is_file():
        raise NotFound("File of JobData", data_id)
    media_type = stored.content_type or "application/octet-stream"
    return File(
        path=path,
        filename=stored.obj.filename,
        media_type=media_type,
        content_disposition_type="inline" if inline and _shown_inline(media_type) else "attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )


class JobDataController(Controller):
    """Files produced by jobs; visible to the members of the job's project."""

    path = "/api"
    tags = ["Job data"]

    @get("/jobdata")
    async def list_all(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.JobData]:
        """Data of every job whose project the caller reads."""
        return await job_data.list_all(conn, me, list_params)

    @post("/jobdata", status_code=200)
    async def create(self, conn: Conn, me: Me, data: JSONBody[c.JobDataInput]) -> c.JobDataEnvelope:
        """Declare a file of a job (job, key, filename); upload its bytes afterwards."""
        obj, command = await job_data.create(conn, me, data)
        return _envelope(obj, "ADD", command)

    @get("/jobdata/{data_id:int}")
    async def show(self, conn: Conn, me: Me, data_id: FromPath[int]) -> c.JobData:
        """One job data."""
        return (await job_data.get(conn, me, data_id)).obj

    @put("/jobdata/{data_id:int}")
    async def update(
        self, conn: Conn, me: Me, data_id: FromPath[int], data: JSONBody[c.JobDataInput]
    ) -> c.JobDataEnvelope:
        """Change a job data's key or filename."""
        obj, command = await job_data.update(conn, me, data_id, data)
        return _envelope(obj, "EDIT", command)

    @delete("/jobdata/{data_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, runtime: RuntimeDep, data_id: FromPath[int]
    ) -> c.JobDataEnvelope:
        """Delete a job data and its file."""
        obj, command = await job_data.delete(conn, me, data_id, runtime.storage_root)
        return _envelope(obj, "DELETE", command)

    @get("/job/{job_id:int}/jobdata")
    async def by_job(
        self, conn: Conn, me: Me, job_id: FromPath[int], list_params: Lists
    ) -> Page[c.JobData]:
        """Files produced by one job."""
        return await job_data.list_by_job(conn, me, job_id, list_params)

    @get("/jobdata/{data_id:int}/download")
    async def download(
        self, conn: Conn, me: Me, runtime: RuntimeDep, data_id: FromPath[int]
    ) -> File:
        """The file, as an attachment under its name."""
        return await _file(conn, me, runtime, data_id, inline=False)

    @get("/jobdata/{data_id:int}/view")
    async def view(self, conn: Conn, me: Me, runtime: RuntimeDep, data_id: FromPath[int]) -> File:
        """The file shown inline (pictures in the browser)."""
        return await _file(conn, me, runtime, data_id, inline=True)

    @post("/jobdata/{data_id:int}/upload", status_code=200, request_max_body_size=None)
    async def upload(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        data_id: FromPath[int],
    ) -> c.JobData:
        """Upload the file's bytes (multipart files[] or the raw body); sets its size."""
        return await _upload(request, conn, me, runtime, data_id)

    @put("/jobdata/{data_id:int}/upload", request_max_body_size=None)
    async def upload_again(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        me: Me,
        runtime: RuntimeDep,
        data_id: FromPath[int],
    ) -> c.JobData:
        """Same as POST upload."""
        return await _upload(request, conn, me, runtime, data_id)


ROUTES = [JobDataController]
