"""Cytomine's annotation correction tool (``POST /api/annotationcorrection.json``).

The drawn shape is merged into (or, with ``remove``, cut out of) the user annotations it
meets: the first one keeps the result, the others of the same terms are merged into it and
deleted (or have the shape cut out too). Layers of other users are corrected only by project
managers, and only one user's annotations at a time, as in Cytomine. Reviewed annotations are
not corrected here.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

import spatial
from contracts import _generated as c
from contracts.errors import Invalid, NotFound
from server.db import queries as q
from server.db.store import acl, user_annotations
from server.db.store.annotation_rows import AnnotationBody
from server.principal import Principal
from spatial import correction


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """A user annotation under the drawn shape."""

    id: int
    user_id: int
    area: float
    terms: list[int]
    location: str


class CorrectionBody(msgspec.Struct, kw_only=True):
    """What the correction tool sends (unknown keys ignored)."""

    location: str
    image: int
    layers: list[int] = []
    remove: bool = False
    review: bool = False
    annotation: int | None = None


async def _image_project(
    conn: asyncpg.Connection, me: Principal, image_id: int
) -> acl.ProjectAccess:
    """The caller's access to the image's project (must write)."""
    row = await conn.fetchrow(q.ANNOTATION_OVERVIEW_IMAGE, image_id, None)
    if row is None:
        raise NotFound("ImageInstance", image_id)
    return await acl.writable(conn, me, row["project_id"])


def _with_smallest_term(found: list[Candidate]) -> list[Candidate]:
    """Cytomine keeps the annotations of the term covering the least area, when any has terms."""
    sizes: dict[int, float] = {}
    for item in found:
        for term in item.terms:
            sizes[term] = sizes.get(term, 0.0) + item.area
    if not sizes:
        return found
    term = min(sizes, key=lambda t: (sizes[t], t))
    return [item for item in found if term in item.terms]


async def _candidates(
    conn: asyncpg.Connection, me: Principal, body: CorrectionBody, shape: Any
) -> list[Candidate]:
    """The annotations to correct, first the one that keeps the result."""
    access = await _image_project(conn, me, body.image)
    if body.annotation is not None:
        found = [await _one(conn, me, body.annotation)]
    else:
        layers = body.layers if access.can_manage else [u for u in body.layers if u == me.id]
        wkb = spatial.to_wkb(shape)
        rows = await conn.fetch(q.ANNOTATION_CORRECTION_CANDIDATES, body.image, layers, wkb)
        found = [Candidate(**dict(row)) for row in rows]
    if len({item.user_id for item in found}) > 1:
        raise Invalid(
            "Annotations from multiple users are under this area. You can correct only "
            "annotation from 1 user (hide layer if necessary)"
        )
    found = _with_smallest_term(found)
    if not found:
        raise Invalid("There is no intersect annotation!")
    if any(item.terms != found[0].terms for item in found[1:]):
        raise Invalid("Annotations have not the same term!")
    return found


async def _one(conn: asyncpg.Connection, me: Principal, annotation_id: int) -> Candidate:
    """The named annotation as a candidate."""
    obj = await user_annotations.get(conn, me, annotation_id)
    return Candidate(
        id=obj.id or annotation_id,
        user_id=obj.user or 0,
        area=obj.area or 0.0,
        terms=sorted(obj.term or []),
        location=obj.location or "",
    )


async def correct(
    conn: asyncpg.Connection, me: Principal, body: CorrectionBody
) -> tuple[c.UserAnnotation, int]:
    """Apply the correction; the corrected (first) annotation and its command id."""
    shape = correction.drawn_shape(body.location)
    based, *others = await _candidates(conn, me, body, shape)
    async with conn.transaction():
        if body.remove:
            location = correction.cut(based.location, shape, based=True)
            for other in others:
                rest = correction.cut(other.location, shape, based=False)
                await user_annotations.update(conn, me, other.id, AnnotationBody(location=rest))
        else:
            location = correction.merged(based.location, shape, [o.location for o in others])
            for other in others:
                await user_annotations.delete(conn, me, other.id)
        return await user_annotations.update(conn, me, based.id, AnnotationBody(location=location))


__all__ = ["CorrectionBody", "correct"]
