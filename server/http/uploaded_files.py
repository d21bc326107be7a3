"""Download of the bytes stored for an uploaded file (and the shared attachment helper)."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import File

from contracts.errors import NotFound
from server.db.store import uploads
from server.http.deps import Conn, Me, RuntimeDep


def stored_file(
    root: Path, relative: str | None, filename: str | None, kind: str, ident: int
) -> File:
    """The bytes of a stored file as an attachment (NotFound when nothing is stored)."""
    if relative:
        path = (root / relative).resolve()
        if root.resolve() in path.parents and path.is_file():
            return File(
                path=path,
                filename=filename or path.name,
                media_type="application/octet-stream",
                headers={"Cache-Control": "private, no-store"},
            )
    raise NotFound(f"{kind} file", ident)


class UploadedFileDownloadController(Controller):
    """Downloads of the bytes stored for uploaded files."""

    path = "/api/uploadedfile"
    tags = ["Uploaded file"]

    @get("/{uploaded_file_id:int}/download")
    async def download(
        self, conn: Conn, me: Me, runtime: RuntimeDep, uploaded_file_id: FromPath[int]
    ) -> File:
        """The stored bytes of an uploaded file (its storage must be readable)."""
        found = await uploads.get(conn, me, uploaded_file_id)
        return stored_file(
            runtime.storage_root, found.path, found.original_filename, "UploadedFile", found.id
        )


ROUTES = [UploadedFileDownloadController]
