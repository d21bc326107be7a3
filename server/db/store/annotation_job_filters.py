"""The annotation listing's job filters, resolved to the accounts the statements filter on.

``job=<id>`` lists the algo annotations of that job's user job (Cytomine's algo listing of a
run); ``jobForTermAlgo=<id>`` keeps annotations with a term suggested by that job, like
``userForTermAlgo=<user job id>``; ``suggestedTerm`` and ``noAlgoTerm`` are bound as they come.
A job the caller cannot read is refused like reading it (404 missing, 403 not readable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from contracts.errors import Invalid
from server.auth.principal import Principal
from server.db.store import jobs

if TYPE_CHECKING:
    import asyncpg

    from server.db.store.annotation_listing import AnnotationQuery


async def _user_job(conn: asyncpg.Connection, me: Principal, job_id: int) -> int:
    found = await jobs.access(conn, me, job_id)
    if found.user_job_id is None:
        raise Invalid(f"Job {job_id} has no user job", {"job": job_id})
    return found.user_job_id


async def resolve(
    conn: asyncpg.Connection, me: Principal, query: AnnotationQuery
) -> AnnotationQuery:
    """``query`` with its job ids replaced by their user jobs (unchanged without job filters)."""
    if query.job is None and query.job_for_term_algo is None:
        return query
    changes: dict[str, object] = {"job": None, "job_for_term_algo": None}
    if query.job is not None:
        account = await _user_job(conn, me, query.job)
        # The run's own annotations: the algo listing of its user job.
        changes["users"] = [account]
        changes["algo"] = True
    if query.job_for_term_algo is not None:
        changes["algo_term_user"] = await _user_job(conn, me, query.job_for_term_algo)
    return msgspec.structs.replace(query, **changes)


__all__ = ["resolve"]
