"""Shared by the annotation kind controllers: body decoding, envelopes, kind dispatch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
import msgspec
from litestar import Request

from contracts import _generated as c
from contracts.envelopes import BulkResult
from contracts.errors import Invalid
from server import params
from server.db.store import algo_annotations as algo
from server.db.store import annotation_kinds as kinds
from server.db.store import reviewed_annotations as reviewed
from server.db.store.annotation_rows import AnnotationBody
from server.db.store.commands import Action
from server.http.common import envelope
from server.principal import Principal

ONE_BODY = msgspec.json.Decoder(AnnotationBody)


class AlgoEnvelope(msgspec.Struct, kw_only=True):
    """The command envelope of an algo annotation, under both keys clients read."""

    annotation: c.AlgoAnnotation
    algoannotation: c.AlgoAnnotation
    message: str
    callback: dict[str, Any]
    print_message: bool = msgspec.field(name="printMessage")
    command: int | None = None


def loose_object(raw: bytes) -> dict[str, Any]:
    """A JSON object body; a form-encoded one too (the Python client sends one as JSON)."""
    if not raw.strip():
        return {}
    try:
        return params.OBJECT.decode(raw)
    except msgspec.DecodeError:
        pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=False)
        if not pairs:
            raise Invalid("Bad request body: expected a JSON object") from None
        found: dict[str, Any] = {}
        for key, value in pairs:
            found.setdefault(key, []).append(value)
        return {k: v[0] if len(v) == 1 and k != "terms" else v for k, v in found.items()}


async def create_algo(
    conn: asyncpg.Connection, me: Principal, body: AnnotationBody | list[AnnotationBody]
) -> AlgoEnvelope | BulkResult:
    """Create one algo annotation, or every one of an array (all or nothing), as the caller."""
    if isinstance(body, list):
        return await algo.create_many(conn, me, body)
    obj, command = await algo.create(conn, me, body)
    return algo_envelope(obj, "ADD", command)


def algo_envelope(obj: c.AlgoAnnotation, action: Action, command: int) -> AlgoEnvelope:
    """Cytomine's envelope for an algo annotation command."""
    base = envelope(c.AlgoAnnotationEnvelope, obj, action=action, command=command)
    return AlgoEnvelope(
        annotation=obj,
        algoannotation=obj,
        message=base.message,
        callback={**base.callback, "annotationID": str(obj.id), "imageinstanceID": str(obj.image)},
        print_message=True,
        command=command,
    )


def reviewed_envelope(
    obj: c.ReviewedAnnotation, action: Action, command: int
) -> c.ReviewedAnnotationEnvelope:
    """Cytomine's envelope for a reviewed annotation command."""
    extra = {"annotationID": str(obj.id), "imageinstanceID": str(obj.image)}
    return envelope(
        c.ReviewedAnnotationEnvelope, obj, action=action, command=command, callback=extra
    )


def epoch_ms(value: str | None, name: str) -> datetime | None:
    """An epoch-milliseconds query value as a timestamp (400 when not a number)."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise Invalid(f"{name} must be epoch milliseconds, not {value!r}") from exc


async def count_response(
    conn: asyncpg.Connection,
    me: Principal,
    project_id: int,
    request: Request[Any, Any, Any],
    kind: kinds.Kind,
) -> dict[str, int]:
    """``{"total"}`` of one kind in a project, between optional startDate/endDate (epoch ms)."""
    query = request.query_params
    after = epoch_ms(query.get("startDate"), "startDate")
    before = epoch_ms(query.get("endDate"), "endDate")
    total = await kinds.count_readable(conn, me, project_id, kind, after, before)
    return {"total": total}


async def kind_of(conn: asyncpg.Connection, annotation_id: int) -> str:
    """The kind of an annotation (404 when absent)."""
    return (await kinds.locate(conn, annotation_id)).kind


async def show_other(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, kind: str
) -> c.AlgoAnnotation | c.ReviewedAnnotation:
    """An algo or reviewed annotation read through the generic annotation route."""
    if kind == "algo":
        return await algo.get(conn, me, annotation_id)
    return await reviewed.get(conn, me, annotation_id)


async def update_other(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, kind: str, raw: bytes
) -> AlgoEnvelope | c.ReviewedAnnotationEnvelope:
    """An algo or reviewed annotation changed through the generic annotation route."""
    body = params.json_body(raw, ONE_BODY)
    if kind == "algo":
        found, done = await algo.update(conn, me, annotation_id, body)
        return algo_envelope(found, "EDIT", done)
    obj, command = await reviewed.update(conn, me, annotation_id, body)
    return reviewed_envelope(obj, "EDIT", command)


async def delete_other(
    conn: asyncpg.Connection, me: Principal, annotation_id: int, kind: str
) -> AlgoEnvelope | c.ReviewedAnnotationEnvelope:
    """An algo or reviewed annotation deleted through the generic annotation route."""
    if kind == "algo":
        obj, command = await algo.delete(conn, me, annotation_id)
        return algo_envelope(obj, "DELETE", command)
    done, command = await reviewed.delete(conn, me, annotation_id)
    return reviewed_envelope(done, "DELETE", command)


__all__ = [
    "ONE_BODY",
    "AlgoEnvelope",
    "algo_envelope",
    "count_response",
    "delete_other",
    "kind_of",
    "loose_object",
    "reviewed_envelope",
    "show_other",
    "update_other",
]
