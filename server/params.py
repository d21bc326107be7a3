"""Query and body values as Cytomine's clients send them: booleans and comma-joined id lists."""

from __future__ import annotations

from contracts.errors import Invalid

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


__all__ = ["flag", "id_list"]
