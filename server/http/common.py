"""Request helpers shared by every controller: flags, id lists, command envelopes."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request

from contracts.errors import Invalid
from server.db.store.commands import Action

E = TypeVar("E")

_VERB = {"ADD": ("Add", "added"), "EDIT": ("Edit", "edited"), "DELETE": ("Delete", "deleted")}


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def flag(value: str | bool | None, *, default: bool = False, name: str = "flag") -> bool:
    """A boolean query value as either client sends it (``true``/``True``/``1``...)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Invalid(f"{name} must be true or false, not {value!r}")


def id_list(value: str | None, *, name: str) -> list[int]:
    """A comma-joined list of ids (``1,2,3``)."""
    if value is None or not value.strip():
        return []
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise Invalid(f"{name} must be a comma-separated list of ids, not {value!r}") from exc


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
    """Drop cached credentials after a change of roles, lock state or keys."""
    request.app.state.accounts.clear()


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


__all__ = ["envelope", "flag", "forget_accounts", "id_list", "required"]
