"""Render msgspec Structs and the endpoint table from the API catalog.

``python -m contracts.codegen`` writes ``contracts/_generated.py``;
``python -m contracts.codegen --check`` exits 1 when that file is stale.

The output is a pure function of ``catalog.json``: types sorted by name, fields in
catalog order, no timestamps, and already in the formatter's style.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CATALOG = HERE / "catalog.json"
GENERATED = HERE / "_generated.py"

_LINE_LENGTH = 100
_SCALARS = {
    "int": "int",
    "long": "int",
    "float": "float",
    "bool": "bool",
    "string": "str",
    "date": "str",
    "wkt": "str",
    "json": "Any",
}


def load_catalog(path: Path = CATALOG) -> dict[str, Any]:
    """Read the catalog as a dict."""
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_catalog_endpoints(path: Path = CATALOG) -> list[dict[str, Any]]:
    """Every endpoint of every service, in catalog order."""
    return [ep for svc in load_catalog(path)["services"] for ep in svc["endpoints"]]


def snake(name: str) -> str:
    """Turn a wire name into a Python attribute name (``blindMode`` -> ``blind_mode``)."""
    if name.isupper():
        out = name.lower()
    else:
        out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
        out = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", out).lower()
    out = re.sub(r"[^a-z0-9_]", "_", out)
    if keyword.iskeyword(out) or out in {"id_"}:
        out += "_"
    return out


def py_type(catalog_type: str) -> str:
    """Map a catalog type to a Python annotation."""
    if catalog_type.startswith("ref:"):
        return "int"
    if catalog_type.startswith("list[") and catalog_type.endswith("]"):
        return f"list[{py_type(catalog_type[5:-1])}]"
    return _SCALARS[catalog_type]


def envelope_key(class_name: str) -> str:
    """Lower-case simple class name, the key of Cytomine's command envelope."""
    return class_name.rsplit(".", 1)[-1].lower()


def _field_line(field: dict[str, Any], *, optional: bool) -> str:
    wire = field["name"]
    attr = snake(wire)
    annotation = py_type(field["type"])
    nullable = optional or field["nullable"]
    if nullable:
        annotation = f"{annotation} | None"
    args = []
    if nullable:
        args.append("default=None")
    if attr != wire:
        args.append(f'name="{wire}"')
    if not args:
        return f"    {attr}: {annotation}"
    if args == ["default=None"]:
        return f"    {attr}: {annotation} = None"
    line = f"    {attr}: {annotation} = msgspec.field({', '.join(args)})"
    if len(line) <= _LINE_LENGTH:
        return line
    return f"    {attr}: {annotation} = msgspec.field(\n        {', '.join(args)}\n    )"


def _domain_block(name: str, domain: dict[str, Any]) -> list[str]:
    fields = domain["fields"]
    cls = domain.get("class") or ""
    lines = ["", "", f"class {name}(msgspec.Struct, kw_only=True):"]
    if cls:
        lines += [
            f'    """{cls}."""',
            "",
            f'    CLASS: ClassVar[str] = "{cls}"',
            f'    ENVELOPE_KEY: ClassVar[str] = "{envelope_key(cls)}"',
            "",
        ]
    else:
        lines += [f'    """{name} (a listing row, not a stored class)."""', ""]
    lines += [_field_line(f, optional=False) for f in fields]
    writable = [f for f in fields if not f["readonly"]]
    # Booleans are left out: Cytomine defaults a missing flag to false.
    required = tuple(f["name"] for f in writable if not f["nullable"] and f["type"] != "bool")
    lines += [
        "",
        "",
        f"class {name}Input(msgspec.Struct, kw_only=True):",
        f'    """Writable fields of {name}; every field may be absent or null on the wire."""',
        "",
        *_required_lines(required),
    ]
    if writable:
        lines.append("")
        lines += [_field_line(f, optional=True) for f in writable]
    if not cls:
        return lines
    key = envelope_key(cls)
    lines += [
        "",
        "",
        f"class {name}Envelope(msgspec.Struct, kw_only=True):",
        f'    """Answer to a create, update or delete of {name}."""',
        "",
        f"    {key}: {name}",
        "    message: str",
        "    callback: dict[str, Any]",
        '    print_message: bool = msgspec.field(name="printMessage")',
        "    command: int | None = None",
    ]
    return lines


def _required_lines(items: tuple[str, ...]) -> list[str]:
    head = "    REQUIRED: ClassVar[tuple[str, ...]] = "
    if not items:
        return [head + "()"]
    if len(items) == 1:
        return [f'{head}("{items[0]}",)']
    line = head + "(" + ", ".join(f'"{i}"' for i in items) + ")"
    if len(line) <= _LINE_LENGTH:
        return [line]
    return [head + "(", *(f'        "{i}",' for i in items), "    )"]


def operation_id(method: str, path: str) -> str:
    """Deterministic snake_case operation id for an endpoint."""
    parts = []
    for seg in path.split("/"):
        if not seg or seg == "api":
            continue
        seg = seg.replace(".json", "").replace(".{format}", "")
        if seg.startswith("{") and seg.endswith("}"):
            parts.append("by_" + snake(seg[1:-1]))
        else:
            plain = re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"\{(\w+)\}", r"\1", seg))
            parts.append(re.sub(r"_+", "_", snake(plain)).strip("_"))
    return "_".join([method.lower(), *parts])


def _endpoint_rows(catalog: dict[str, Any]) -> list[str]:
    rows = []
    seen: dict[str, int] = {}
    for service in catalog["services"]:
        for ep in service["endpoints"]:
            op = operation_id(ep["method"], ep["path"])
            seen[op] = seen.get(op, 0) + 1
            if seen[op] > 1:
                op = f"{op}_{seen[op]}"
            values = (service["service"], ep["method"], ep["path"], op, ep["status"], ep["returns"])
            rows.append("    Endpoint(")
            rows += [f"        {json.dumps(v, ensure_ascii=False)}," for v in values]
            rows.append("    ),")
    return rows


def render(catalog: dict[str, Any]) -> str:
    """Render the whole generated module as text."""
    digest = hashlib.sha256(
        json.dumps(catalog, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    lines = [
        f"# catalog sha256 {digest}",
        "# generated by contracts/codegen.py — do not edit",
        '"""Wire types and the endpoint table of the Cytomine API, generated from catalog.json."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, ClassVar, NamedTuple",
        "",
        "import msgspec",
        "",
        "",
        "class Endpoint(NamedTuple):",
        '    """One route of the reference API."""',
        "",
        "    service: str",
        "    method: str",
        "    path: str",
        "    operation_id: str",
        "    status: str",
        "    returns: str",
    ]
    for name in sorted(catalog["domains"]):
        lines += _domain_block(name, catalog["domains"][name])
    lines += ["", "", "ENDPOINTS: tuple[Endpoint, ...] = ("]
    lines += _endpoint_rows(catalog)
    lines += [")", ""]
    names = sorted(catalog["domains"])
    exported = ["ENDPOINTS", "Endpoint"]
    for n in names:
        exported += [n, f"{n}Input"]
        if catalog["domains"][n].get("class"):
            exported.append(f"{n}Envelope")
    lines += ["__all__ = ["] + [f'    "{n}",' for n in sorted(exported)] + ["]", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the generated module, or check that it is current with ``--check``."""
    args = sys.argv[1:] if argv is None else argv
    text = render(load_catalog())
    if "--check" in args:
        current = GENERATED.read_text(encoding="utf-8") if GENERATED.exists() else ""
        if current != text:
            print("contracts/_generated.py is stale: run `python -m contracts.codegen`")
            return 1
        return 0
    GENERATED.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
