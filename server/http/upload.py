"""``POST /upload``: the image server's import entry point, as the official clients call it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.params import QueryParameter

from contracts.errors import Invalid
from server import ingest
from server.auth.provider import provide_principal
from server.db.store import acl, storages, uploads
from server.http.deps import RuntimeDep
from server.params import flag, ids
from server.principal import Principal
from server.runtime import Runtime

Query = Annotated[str | None, QueryParameter()]


def _target(
    storage: str | None, projects: str | None, keys: str | None, values: str | None
) -> ingest.UploadTarget:
    if storage is None or storage.strip() in ("", "null", "undefined"):
        raise Invalid(f"No storage chosen (idStorage={storage}): name the storage to upload to")
    storages = ids(storage, name="storage")
    if len(storages) != 1:
        raise Invalid("storage (or idStorage) must name one storage id")
    key_list = [k.strip() for k in keys.split(",")] if keys else []
    value_list = [v.strip() for v in values.split(",")] if values else []
    if len(key_list) != len(value_list):
        raise Invalid("keys and values must have the same number of items")
    return ingest.UploadTarget(
        storage_id=storages[0],
        projects=tuple(dict.fromkeys(ids(projects, name="projects"))),
        properties=dict(zip(key_list, value_list, strict=True)),
    )


async def _check_rights(conn: Any, me: Principal, target: ingest.UploadTarget) -> None:
    await storages.readable(conn, me, target.storage_id)
    for project_id in target.projects:
        await acl.writable(conn, me, project_id)


@post("/upload", status_code=200, request_max_body_size=None, tags=["Upload"])
async def upload(
    request: Request[Any, Any, Any],
    runtime: RuntimeDep,
    storage: Query = None,
    id_storage: Annotated[str | None, QueryParameter(name="idStorage")] = None,
    projects: Query = None,
    id_project: Annotated[str | None, QueryParameter(name="idProject")] = None,
    sync: Query = None,
    keys: Query = None,
    values: Query = None,
) -> Response[list[ingest.UploadResult]]:
    """Store the files of a multipart upload and import them (now with ``sync=true``).

    The query is checked before the credentials: the Web UI sends ``idStorage=null`` with an
    empty signature when no storage is chosen, and the user must learn about the storage.
    """
    target = _target(storage or id_storage, projects or id_project, keys, values)
    me = await provide_principal(request)
    boundary = ingest.boundary_of(request.headers.get("content-type", ""))
    async with runtime.acquire() as conn:
        return await _receive(request, conn, me, runtime, target, boundary, flag(sync, name="sync"))


async def _receive(
    request: Request[Any, Any, Any],
    conn: Any,
    me: Principal,
    runtime: Runtime,
    target: ingest.UploadTarget,
    boundary: str,
    sync: bool,
) -> Response[list[ingest.UploadResult]]:
    await _check_rights(conn, me, target)
    received = (await ingest.receive_form(request.stream(), boundary, runtime.storage_root)).files
    try:
        ids = [
            await ingest.store(conn, me, item, target, runtime.storage_root) for item in received
        ]
    finally:
        await ingest.discard(received)
    if sync:
        results = [
            await ingest.deploy(conn, me, i, target, runtime.storage_root, runtime.ingest_limiter)
            for i in ids
        ]
        return Response(results)
    pending = [await _pending(conn, me, i) for i in ids]
    return Response(pending, background=BackgroundTask(_deploy_later, me, ids, target, runtime))


async def _pending(conn: Any, me: Principal, uploaded_file_id: int) -> ingest.UploadResult:
    found = await uploads.get(conn, me, uploaded_file_id)
    return ingest.UploadResult(
        status=200,
        name=found.original_filename or "",
        size=found.size,
        uploaded_file=found,
        images=[],
    )


async def _deploy_later(
    me: Principal, ids: list[int], target: ingest.UploadTarget, runtime: Runtime
) -> None:
    async with runtime.acquire() as conn:
        for uploaded_file_id in ids:
            root, limiter = runtime.storage_root, runtime.ingest_limiter
            await ingest.deploy(conn, me, uploaded_file_id, target, root, limiter)


ROUTES = [upload]
