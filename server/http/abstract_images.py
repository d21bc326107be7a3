"""Uploaded file, abstract image and abstract slice services (data routes only)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import _generated as c
from contracts.envelopes import Page, page
from contracts.errors import NotFound
from server import ingest
from server.db.replicas import REPLICA
from server.db.store import abstract_slices, image_servers, images, uploaded_files, uploads
from server.db.store.images import AbstractImageFilter
from server.db.store.uploaded_files import UploadedFileBody
from server.db.store.uploads import UploadListFilter
from server.http.common import envelope
from server.http.deps import Conn, Lists, Me, RuntimeDep
from server.params import flag


class UploadedFileController(Controller):
    """Records of files put into storages."""

    path = "/api/uploadedfile"
    tags = ["Uploaded file"]

    @get("/")
    async def list_uploads(
        self,
        conn: Conn,
        me: Me,
        list_params: Lists,
        all_: Annotated[str | None, QueryParameter(name="all")] = None,
        only_roots: Annotated[str | None, QueryParameter(name="onlyRoots")] = None,
        parent: FromQuery[int | None] = None,
        root: FromQuery[int | None] = None,
    ) -> Page[c.UploadedFile]:
        """Uploaded files of the caller's storages (``all`` for admins; tree filters)."""
        tree = UploadListFilter(
            all_=flag(all_, name="all"),
            only_roots=flag(only_roots, name="onlyRoots"),
            parent=parent,
            root=root,
        )
        return await uploads.list_uploads(conn, me, list_params, tree)

    @post("/", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[UploadedFileBody]
    ) -> c.UploadedFileEnvelope:
        """Create an uploaded-file record (e.g. a child of an archive)."""
        obj, command = await uploaded_files.create(conn, me, data)
        return envelope(c.UploadedFileEnvelope, obj, action="ADD", command=command)

    @put("/{uploaded_file_id:int}")
    async def update(
        self,
        conn: Conn,
        me: Me,
        uploaded_file_id: FromPath[int],
        data: JSONBody[UploadedFileBody],
    ) -> c.UploadedFileEnvelope:
        """Change the status, size, names, parent, storage or projects of a record."""
        obj, command = await uploaded_files.update(conn, me, uploaded_file_id, data)
        return envelope(c.UploadedFileEnvelope, obj, action="EDIT", command=command)

    @get("/{uploaded_file_id:int}")
    async def show(self, conn: Conn, me: Me, uploaded_file_id: FromPath[int]) -> c.UploadedFile:
        """One uploaded file."""
        return await uploads.get(conn, me, uploaded_file_id)

    @delete("/{uploaded_file_id:int}", status_code=200)
    async def remove(
        self, conn: Conn, me: Me, runtime: RuntimeDep, uploaded_file_id: FromPath[int]
    ) -> c.UploadedFileEnvelope:
        """Delete an uploaded file, what was made from it, and its bytes."""
        obj, command, path = await uploads.delete(conn, me, uploaded_file_id)
        await ingest.remove_stored(runtime.storage_root, path)
        return envelope(c.UploadedFileEnvelope, obj, action="DELETE", command=command)

    @get("/{uploaded_file_id:int}/abstractimage")
    async def abstract_image(
        self, conn: Conn, me: Me, list_params: Lists, uploaded_file_id: FromPath[int]
    ) -> c.AbstractImage:
        """The abstract image made from an uploaded file."""
        await uploads.get(conn, me, uploaded_file_id)
        found = await images.list_images(
            conn, me, list_params, AbstractImageFilter(uploaded_file=uploaded_file_id)
        )
        if not found.collection:
            raise NotFound("AbstractImage", f"uploadedFile={uploaded_file_id}")
        return found.collection[0]

    @get("/{uploaded_file_id:int}/abstractslice")
    async def abstract_slices(
        self, conn: Conn, me: Me, list_params: Lists, uploaded_file_id: FromPath[int]
    ) -> Page[c.AbstractSlice]:
        """Abstract slices made from an uploaded file."""
        return await images.slices_of_upload(conn, me, uploaded_file_id, list_params)


class AbstractImageController(Controller):
    """Stored images, independent of projects."""

    path = "/api"
    tags = ["Abstract image"]

    @get("/abstractimage")
    async def list_images(
        self, conn: Conn, me: Me, list_params: Lists, project: FromQuery[int | None] = None
    ) -> Page[c.AbstractImage]:
        """Abstract images of the caller's storages; ``project`` adds ``inProject``."""
        return await images.list_images(conn, me, list_params, AbstractImageFilter(project=project))

    @post("/abstractimage", status_code=200)
    async def create(
        self, conn: Conn, me: Me, data: JSONBody[c.AbstractImageInput]
    ) -> c.AbstractImageEnvelope:
        """Register the abstract image of an uploaded file (its slices come separately)."""
        obj, command = await images.create(conn, me, data)
        return envelope(c.AbstractImageEnvelope, obj, action="ADD", command=command)

    @get("/abstractimage/{image_id:int}/imageservers")
    async def image_servers(self, conn: Conn, me: Me, image_id: FromPath[int]) -> ServerUrls:
        """Base URLs of the image servers able to serve an abstract image."""
        await images.get(conn, me, image_id)
        return ServerUrls(image_servers_urls=await image_servers.urls(conn))

    @get("/project/{project_id:int}/image")
    async def of_project(
        self, conn: Conn, me: Me, list_params: Lists, project_id: FromPath[int]
    ) -> Page[c.AbstractImage]:
        """Abstract images used in a project."""
        return await images.list_by_project(conn, me, list_params, project_id)

    @get("/abstractimage/unused")
    async def unused(self, conn: Conn, me: Me, list_params: Lists) -> Page[c.AbstractImage]:
        """Abstract images of the caller's storages used in no project."""
        where = AbstractImageFilter(unused_only=True)
        return await images.list_images(conn, me, list_params, where)

    @get("/abstractimage/{image_id:int}", opt=REPLICA)
    async def show(self, conn: Conn, me: Me, image_id: FromPath[int]) -> c.AbstractImage:
        """One abstract image."""
        return await images.get(conn, me, image_id)

    @put("/abstractimage/{image_id:int}")
    async def update(
        self, conn: Conn, me: Me, image_id: FromPath[int], data: JSONBody[c.AbstractImageInput]
    ) -> c.AbstractImageEnvelope:
        """Change the resolution, magnification or name of an abstract image."""
        obj, command = await images.update(conn, me, image_id, data)
        return envelope(c.AbstractImageEnvelope, obj, action="EDIT", command=command)

    @delete("/abstractimage/{image_id:int}", status_code=200)
    async def remove(self, conn: Conn, me: Me, image_id: FromPath[int]) -> c.AbstractImageEnvelope:
        """Delete an abstract image that no project uses."""
        obj, command = await images.delete(conn, me, image_id)
        return envelope(c.AbstractImageEnvelope, obj, action="DELETE", command=command)

    @get("/abstractimage/{image_id:int}/user")
    async def uploader(self, conn: Conn, me: Me, image_id: FromPath[int]) -> c.User:
        """Who uploaded the file behind the image."""
        return await images.uploader(conn, me, image_id)

    @get("/abstractimage/{image_id:int}/companionfile")
    async def companion_files(
        self, conn: Conn, me: Me, list_params: Lists, image_id: FromPath[int]
    ) -> Page[c.CompanionFile]:
        """Companion files of an abstract image."""
        return await images.companion_files(conn, me, list_params, image_id=image_id)

    @get("/uploadedfile/{uploaded_file_id:int}/companionfile")
    async def upload_companion_files(
        self, conn: Conn, me: Me, list_params: Lists, uploaded_file_id: FromPath[int]
    ) -> Page[c.CompanionFile]:
        """Companion files of an uploaded file."""
        return await images.companion_files(
            conn, me, list_params, uploaded_file_id=uploaded_file_id
        )

    @get("/imageserver/format")
    async def formats(self, me: Me) -> Page[ImageFormat]:
        """Formats this server reads (through large-image's tile sources)."""
        return page(list(FORMATS), size=len(FORMATS), offset=0, max_=0)

    @get("/abstractimage/{image_id:int}/abstractslice", opt=REPLICA)
    async def slices(
        self, conn: Conn, me: Me, list_params: Lists, image_id: FromPath[int]
    ) -> Page[c.AbstractSlice]:
        """Abstract slices of an abstract image, by rank."""
        return await images.slices_of_image(conn, me, image_id, list_params)

    @get("/abstractslice/{slice_id:int}", opt=REPLICA)
    async def slice(self, conn: Conn, me: Me, slice_id: FromPath[int]) -> c.AbstractSlice:
        """One abstract slice."""
        return await images.slice_get(conn, me, slice_id)

    @put("/abstractslice/{slice_id:int}")
    async def update_slice(
        self, conn: Conn, me: Me, slice_id: FromPath[int], data: JSONBody[c.AbstractSliceInput]
    ) -> c.AbstractSliceEnvelope:
        """Change a plane's coordinates, names or colour."""
        obj, command = await abstract_slices.update(conn, me, slice_id, data)
        return envelope(c.AbstractSliceEnvelope, obj, action="EDIT", command=command)

    @delete("/abstractslice/{slice_id:int}", status_code=200)
    async def remove_slice(
        self, conn: Conn, me: Me, slice_id: FromPath[int]
    ) -> c.AbstractSliceEnvelope:
        """Delete a plane that no project uses."""
        obj, command = await abstract_slices.delete(conn, me, slice_id)
        return envelope(c.AbstractSliceEnvelope, obj, action="DELETE", command=command)


class ServerUrls(msgspec.Struct, frozen=True, kw_only=True):
    """Image servers of one abstract image (legacy multi-server model)."""

    image_servers_urls: list[str] = msgspec.field(name="imageServersURLs")


class ImageFormat(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the supported format list."""

    id: str
    name: str
    remarks: str = ""
    convertible: bool = False
    plugin: str = "large-image"


FORMATS = (
    ImageFormat(id="TIFF", name="Pyramidal TIFF", plugin="large-image-source-tiff"),
    ImageFormat(id="SVS", name="Aperio SVS", plugin="large-image-source-openslide"),
    ImageFormat(id="NDPI", name="Hamamatsu NDPI", plugin="large-image-source-openslide"),
    ImageFormat(id="MRXS", name="3DHistech MRXS", plugin="large-image-source-openslide"),
    ImageFormat(id="SCN", name="Leica SCN", plugin="large-image-source-openslide"),
    ImageFormat(id="VMS", name="Hamamatsu VMS", plugin="large-image-source-openslide"),
    ImageFormat(id="BIF", name="Ventana BIF", plugin="large-image-source-openslide"),
    ImageFormat(id="DICOM", name="DICOM WSI", plugin="large-image-source-openslide"),
    ImageFormat(id="PNG", name="PNG", plugin="large-image-source-pil"),
    ImageFormat(id="JPEG", name="JPEG", plugin="large-image-source-pil"),
)


ROUTES = [UploadedFileController, AbstractImageController]
