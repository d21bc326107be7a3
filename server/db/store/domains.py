"""Any domain object addressed by (class name, id): where it lives and who may touch it.

Properties, tags and descriptions attach to objects of several classes. One SQL function
(``domain_container``, migration 0012) finds the owning project, storage or ontology of a
(class, id) pair; this module applies Cytomine's rules for reading and changing their
metadata (``checkUserAccessRightsForMeta``).
"""

from __future__ import annotations

import asyncpg
import msgspec

from contracts import _generated as c
from contracts.errors import Forbidden, Invalid, NotFound
from server.db import queries as q
from server.db.store import acl, storages
from server.principal import Principal

PROJECT = c.Project.CLASS
IMAGE_INSTANCE = c.ImageInstance.CLASS
ABSTRACT_IMAGE = c.AbstractImage.CLASS
USER_ANNOTATION = c.UserAnnotation.CLASS
STORAGE = c.Storage.CLASS
TRACK = c.Track.CLASS

_ANNOTATION_DOMAIN = "be.cytomine.domain.ontology.AnnotationDomain"
SUPPORTED = frozenset(
    {
        PROJECT,
        IMAGE_INSTANCE,
        ABSTRACT_IMAGE,
        USER_ANNOTATION,
        STORAGE,
        TRACK,
        c.Ontology.CLASS,
        c.Term.CLASS,
        "be.cytomine.domain.ontology.AlgoAnnotation",
        "be.cytomine.domain.ontology.ReviewedAnnotation",
    }
)
# Short names a client may use instead of the class name (lower case, no separators).
_SHORT = {cls.rsplit(".", 1)[-1].lower(): cls for cls in SUPPORTED} | {
    "annotation": USER_ANNOTATION,
    "annotationdomain": USER_ANNOTATION,
}


def canonical_class(raw: str | None) -> str:
    """The full class name for any accepted spelling (legacy, underscores, short name)."""
    text = (raw or "").strip()
    if "." not in text and text.count("_") > 1:
        text = text.replace("_", ".")
    if text.startswith("be.cytomine.") and not text.startswith("be.cytomine.domain."):
        text = "be.cytomine.domain." + text.removeprefix("be.cytomine.")
    if text == _ANNOTATION_DOMAIN:
        return USER_ANNOTATION
    if text in SUPPORTED:
        return text
    short = _SHORT.get(text.lower())
    if short is None:
        raise Invalid(f"Unsupported domain class: {raw!r}", {"domainClassName": raw})
    return short


def from_body(class_name: str | None, ident: int | None) -> tuple[str, int]:
    """(class, id) of the object a request body names; both are required."""
    if class_name is None or ident is None:
        missing = ["domainClassName", "domainIdent"]
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})
    return canonical_class(class_name), ident


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """One object and its container, as the caller sees it."""

    class_name: str
    """The object's own class (an annotation's kind decides between annotation classes)."""
    ident: int
    project_id: int | None
    storage_id: int | None
    ontology_id: int | None
    owner_id: int | None
    readable: bool
    ontology_writable: bool


async def resolve(conn: asyncpg.Connection, me: Principal, class_name: str, ident: int) -> Target:
    """The object's container and the caller's read right (NotFound if it does not exist)."""
    row = await conn.fetchrow(q.DOMAIN_ACCESS, class_name, ident, me.id, me.is_admin, me.is_guest)
    if row is None:
        raise NotFound(class_name.rsplit(".", 1)[-1], ident)
    found = dict(row)
    return Target(class_name=found.pop("actual_class"), ident=ident, **found)


async def readable(conn: asyncpg.Connection, me: Principal, class_name: str, ident: int) -> Target:
    """An object whose metadata the caller may read."""
    target = await resolve(conn, me, class_name, ident)
    if not target.readable:
        raise Forbidden(f"You don't have the right to read {class_name.rsplit('.', 1)[-1]} {ident}")
    return target


async def writable(conn: asyncpg.Connection, me: Principal, class_name: str, ident: int) -> Target:
    """An object whose metadata the caller may change (Cytomine's meta rules)."""
    target = await readable(conn, me, class_name, ident)
    if me.is_guest:
        raise Forbidden("Guests cannot change metadata")
    if target.project_id is not None:
        access = await acl.project_access(conn, me, target.project_id)
        if class_name == PROJECT:
            access.require_manage()
        else:
            access.require_edit(target.owner_id)
    elif class_name == STORAGE and target.storage_id is not None:
        await storages.manageable(conn, me, target.storage_id)
    elif target.ontology_id is not None and not target.ontology_writable:
        raise Forbidden(f"You don't have the right to change ontology {target.ontology_id}")
    return target


__all__ = [
    "ABSTRACT_IMAGE",
    "IMAGE_INSTANCE",
    "PROJECT",
    "STORAGE",
    "SUPPORTED",
    "TRACK",
    "USER_ANNOTATION",
    "Target",
    "canonical_class",
    "from_body",
    "readable",
    "resolve",
    "writable",
]
