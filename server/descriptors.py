"""Software descriptors (Cytomine/BIAFLOWS ``descriptor.json``) read into software rows.

A descriptor names the software, its ``command-line`` template and its ``inputs``; each
input has an ``id`` and a ``type`` and may give ``name``, ``value-key`` (default
``[@ID]``), ``command-line-flag`` (default ``--@id``), ``default-value``, ``optional``,
``set-by-server``, ``server-parameter`` and ``uri`` attributes. ``@ID``/``@id`` in any
text stand for the input id upper/lower-cased, as the official client's descriptor reader
does. This module only reads; ``server.software_registry`` stores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from contracts import _generated as c
from contracts.errors import Invalid
from server.db.store.software_parameters import TYPES, ParameterBody

_TYPES = {t.lower(): t for t in TYPES}


class Descriptor(msgspec.Struct, frozen=True, kw_only=True):
    """A software and its parameters, as a descriptor declares them."""

    software: c.SoftwareInput
    parameters: tuple[ParameterBody, ...]
    raw: dict[str, Any]


def load(path: Path) -> Descriptor:
    """Read and check a descriptor file."""
    try:
        raw = msgspec.json.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as exc:
        raise Invalid(f"Cannot read the descriptor {path.name}: {exc}") from exc
    return parse(raw)


def parse(raw: Any, *, version: str | None = None) -> Descriptor:
    """A descriptor's software and parameters (``version`` overrides the descriptor's)."""
    if not isinstance(raw, dict):
        raise Invalid("A descriptor is a JSON object")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Invalid("No software name in the descriptor", {"missing": ["name"]})
    inputs = raw.get("inputs", [])
    if not isinstance(inputs, list):
        raise Invalid("The descriptor's inputs must be a list")
    command = raw.get("command-line")
    software = c.SoftwareInput(
        name=name.strip(),
        software_version=version or _text(raw.get("version") or raw.get("software-version")),
        execute_command=command if isinstance(command, str) else None,
    )
    parameters = tuple(_parameter(item, position) for position, item in enumerate(inputs))
    ids = [p.name or "" for p in parameters]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise Invalid(f"Duplicate input id(s): {', '.join(duplicates)}")
    return Descriptor(software=software, parameters=parameters, raw=raw)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _parameter(item: Any, position: int) -> ParameterBody:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise Invalid(f"Input {position} has no id: {item!r}")
    ident: str = item["id"]
    kind = _TYPES.get(str(item.get("type", "")).lower())
    if kind is None:
        raise Invalid(
            f"Input {ident} needs a type among {', '.join(TYPES)}, not {item.get('type')!r}"
        )
    values = {"name": "@id", "value-key": "[@ID]", "command-line-flag": "--@id", **item}
    text = {
        k: v.replace("@ID", ident.upper()).replace("@id", ident.lower())
        for k, v in values.items()
        if isinstance(v, str)
    }
    return ParameterBody(
        name=ident,
        type=kind,
        default_value=values.get("default-value"),
        # As the official reader: an input is required only when it says optional: false.
        required="optional" in values and not values["optional"],
        index=position,
        uri=text.get("uri"),
        uri_print_attribut=text.get("uri-print-attribute"),
        uri_sort_attribut=text.get("uri-sort-attribute") or text.get("uri-print-attribute"),
        set_by_server=bool(values.get("set-by-server", False)),
        server_parameter=bool(values.get("server-parameter", False)),
        human_name=text["name"],
        value_key=text["value-key"],
        command_line_flag=text["command-line-flag"],
    )


__all__ = ["Descriptor", "load", "parse"]
