"""Request helpers shared by every controller: flags, id lists, command envelopes."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request

from contracts.errors import Invalid
from server.db.store.commands import Action
from server.runtime import request_runtime

E = TypeVar("E")

_VERB = {"ADD": ("Add", "added"), "EDIT": ("Edit", "edited"), "DELETE": ("Delete", "deleted")}


def envelope(
    envelope_type: type[E],
    obj: Any,
    *,
    action: Action,
    command: int | None,
    callback: dict[str, Any] | None = None,
) -> E:
    """Cytomine's command envelope for ``obj`` (a generated Struct)."""
    simple = obj.CLASS.rsplit(".", 1)[-1]
    verb, past = _VERB[action]
    key = obj.ENVELOPE_KEY
    label = getattr(obj, "name", None) or getattr(obj, "username", None) or obj.id
    return envelope_type(  # type: ignore[call-arg]
        **{key: obj},
        message=f"{simple} {label} {past}",
        callback={
            "method": f"be.cytomine.{verb}{simple}Command",
            f"{key}ID": str(obj.id),
            **(callback or {}),
        },
        print_message=True,
        command=command,
    )


def forget_accounts(request: Request[Any, Any, Any]) -> None:
    """Drop this worker's cached credentials after a change of roles, lock state or keys.

    The change's transaction announced it to every worker (``credentials_channel``); this
    only spares the worker that made it the wait for its own announcement.
    """
    request_runtime(request).forget_credentials()


def required(body: Any, *, also: tuple[str, ...] = ()) -> None:
    """Refuse a create body that lacks a field the catalog marks as required."""
    missing = []
    for wire in (*type(body).REQUIRED, *also):
        attr = _attr_of(type(body), wire)
        if getattr(body, attr) is None:
            missing.append(wire)
    if missing:
        raise Invalid(f"Missing required field(s): {', '.join(missing)}", {"missing": missing})


def _attr_of(struct: type[Any], wire: str) -> str:
    for f in msgspec.structs.fields(struct):
        if f.encode_name == wire:
            return f.name
    raise KeyError(wire)


__all__ = ["envelope", "forget_accounts", "required"]
