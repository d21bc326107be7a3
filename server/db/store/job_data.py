"""Files produced by jobs (Cytomine's JobData).

Members of a job's project read its data; those who control the job (its launcher, its own
user job, the project's managers, admins) declare, upload, rename and delete them. A job data
is declared first (job, key, filename); its bytes come with an upload and live under the
storage root (``server.attachments`` with ``folder=JOB_DATA``). Data rows go with their job
(and the job with its project); the files of deleted rows are queued in SQL and removed once
the deletion is committed, by ``remove_deleted_files``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import anyio
import asyncpg
import msgspec

from contracts import _generated as c
from contracts.envelopes import Page
from contracts.errors import Invalid, NotFound
from server import attachments
from server.attachments import JOB_DATA
from server.db import queries as q
from server.db import rows
from server.db.listing import ListParams, fetch_page
from server.db.store import acl, jobs
from server.db.store.commands import delete_row, record
from server.principal import Principal
from server.stored_files import Received


class Stored(msgspec.Struct, frozen=True, kw_only=True):
    """A job data, its job's project and where its bytes are (None: not uploaded yet)."""

    obj: c.JobData
    project_id: int
    path: str | None
    content_type: str | None


async def list_all(conn: asyncpg.Connection, me: Principal, params: ListParams) -> Page[c.JobData]:
    """Data of every job whose project the caller reads."""
    return await fetch_page(conn, q.JOB_DATA_LIST, params, c.JobData, me.id, me.is_admin)


async def list_by_job(
    conn: asyncpg.Connection, me: Principal, job_id: int, params: ListParams
) -> Page[c.JobData]:
    """Data of one job of a project the caller reads."""
    await jobs.access(conn, me, job_id)
    return await fetch_page(conn, q.JOB_DATA_LIST_BY_JOB, params, c.JobData, job_id)


async def _stored(conn: asyncpg.Connection, data_id: int) -> Stored:
    row = await conn.fetchrow(q.JOB_DATA_BY_ID, data_id)
    if row is None:
        raise NotFound("JobData", data_id)
    found = dict(row)
    return Stored(obj=rows.one(found.pop("obj"), c.JobData), **found)


async def get(conn: asyncpg.Connection, me: Principal, data_id: int) -> Stored:
    """A job data of a project the caller reads."""
    stored = await _stored(conn, data_id)
    await acl.readable(conn, me, stored.project_id)
    return stored


def _checked_text(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise Invalid(f"{name} cannot be empty", {name: value})
    if len(text) > 255:
        raise Invalid(f"{name} is longer than 255 characters", {name: len(text)})
    return text


async def create(
    conn: asyncpg.Connection, me: Principal, body: c.JobDataInput
) -> tuple[c.JobData, int]:
    """Declare a file of a job the caller controls."""
    missing = [k for k in ("job", "key", "filename") if getattr(body, k) is None]
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    assert body.job is not None
    key = _checked_text(body.key, "key")
    filename = _checked_text(body.filename, "filename")
    try:
        found = await jobs.access(conn, me, body.job)
    except NotFound as exc:
        raise Invalid(f"job was not found with id: {body.job}", {"job": body.job}) from exc
    project_id = found.require_control().project_id
    async with conn.transaction():
        data_id = await conn.fetchval(q.JOB_DATA_INSERT, body.job, key, filename, me.id)
        obj = (await _stored(conn, data_id)).obj
        command = await record(conn, user_id=me.id, action="ADD", obj=obj, project_id=project_id)
    return obj, command


async def writable(conn: asyncpg.Connection, me: Principal, data_id: int) -> Stored:
    """A job data of a job the caller controls."""
    stored = await _stored(conn, data_id)
    if stored.obj.job is None:
        raise NotFound("Job of JobData", data_id)
    (await jobs.access(conn, me, stored.obj.job)).require_control()
    return stored


async def update(
    conn: asyncpg.Connection, me: Principal, data_id: int, body: c.JobDataInput
) -> tuple[c.JobData, int]:
    """Change a job data's key or filename (it stays with its job)."""
    stored = await writable(conn, me, data_id)
    if body.job is not None and body.job != stored.obj.job:
        raise Invalid("A job data cannot move to another job", {"job": body.job})
    key = _checked_text(body.key, "key")
    filename = _checked_text(body.filename, "filename")
    async with conn.transaction():
        await conn.execute(q.JOB_DATA_UPDATE, data_id, key, filename)
        obj = (await _stored(conn, data_id)).obj
        command = await record(
            conn, user_id=me.id, action="EDIT", obj=obj, project_id=stored.project_id
        )
    return obj, command


async def upload(conn: asyncpg.Connection, stored: Stored, item: Received, root: Path) -> c.JobData:
    """Keep a received file as the bytes of a ``writable`` job data; sets its size."""
    relative = attachments.relative_path(stored.obj.id, stored.obj.filename, JOB_DATA)
    async with conn.transaction():
        previous = await conn.fetchval(
            q.JOB_DATA_SET_FILE, stored.obj.id, relative, item.size, item.content_type
        )
        if previous is not None and previous != relative:
            await attachments.remove(root, previous, JOB_DATA)
        await attachments.keep(item, root, relative)
    return (await _stored(conn, stored.obj.id)).obj


async def delete(
    conn: asyncpg.Connection, me: Principal, data_id: int, root: Path
) -> tuple[c.JobData, int]:
    """Delete a job data and its bytes; answer it as it was."""
    stored = await writable(conn, me, data_id)
    async with conn.transaction():
        await delete_row(conn, q.JOB_DATA_DELETE, data_id, kind="JobData")
        command = await record(
            conn, user_id=me.id, action="DELETE", obj=stored.obj, project_id=stored.project_id
        )
    await remove_deleted_files(conn, root)
    return stored.obj, command


async def count_of_job(conn: asyncpg.Connection, job_id: int) -> int:
    """How many data a job has (the dry run before deleting them)."""
    return int(await conn.fetchval(q.JOB_DATA_COUNT_BY_JOB, job_id))


async def delete_of_job(conn: asyncpg.Connection, job_id: int) -> None:
    """Delete every data row of a job (its files are queued for ``remove_deleted_files``)."""
    await conn.execute(q.JOB_DATA_DELETE_BY_JOB, job_id)


async def remove_deleted_files(conn: asyncpg.Connection, root: Path, batch: int = 100) -> int:
    """Remove the files of deleted job data (committed deletions); answer how many."""
    removed = 0
    while paths := [r["path"] for r in await conn.fetch(q.JOB_DATA_FILE_REMOVAL_TAKE, batch)]:
        for path in paths:
            await attachments.remove(root, path, JOB_DATA)
        removed += len(paths)
    return removed


async def keep_output(
    conn: asyncpg.Connection, job_id: int, key: str, source: Path, root: Path, limit: int
) -> c.JobData | None:
    """Keep a run's output file as a job data (its last ``limit`` bytes); None: no such job."""
    filename = source.name
    async with conn.transaction():
        try:
            data_id = await conn.fetchval(q.JOB_DATA_INSERT, job_id, key, filename, None)
        except asyncpg.ForeignKeyViolationError:
            return None
        relative = attachments.relative_path(data_id, filename, JOB_DATA)
        size = await anyio.to_thread.run_sync(_copy_tail, source, root / relative, limit)
        await conn.execute(q.JOB_DATA_SET_FILE, data_id, relative, size, "text/plain")
    return (await _stored(conn, data_id)).obj


def _copy_tail(source: Path, destination: Path, limit: int) -> int:
    """Copy the last ``limit`` bytes of ``source``; answer how many were copied."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, destination.open("wb") as out:
        size = src.seek(0, 2)
        src.seek(max(0, size - limit))
        shutil.copyfileobj(src, out)
        return min(size, limit)


__all__ = [
    "Stored",
    "count_of_job",
    "create",
    "delete",
    "delete_of_job",
    "get",
    "keep_output",
    "list_all",
    "list_by_job",
    "remove_deleted_files",
    "update",
    "upload",
    "writable",
]
