"""Statements composed from SQL fragments, with named parameters.

A fragment is a ``.sql`` file: a leading comment block that documents it and declares each
parameter it uses on a line of its own (``-- $images bigint[]``), then its SQL, which names
parameters as ``$images``. A skeleton is a fragment with slots (``/*filters*/``) filled with
plain text or with fragments ANDed together. Composing numbers the parameters in order of
first use and casts each use to its declared type (``$5::bigint[]``), so a fragment is
correct in any statement it joins; the text depends only on the fragments it is composed from
(a caller may compose a few variants of a statement, each built once and kept). The
fragments' comment lines are left out of the composed text (its header names its parameters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

_NAME = r"[a-z_][a-z0-9_]*"
_USE = re.compile(rf"\$({_NAME})")
_DECLARATION = re.compile(rf"^-- \$({_NAME}) (\S+)$")


class Fragment(msgspec.Struct, frozen=True):
    """The SQL of one fragment file and the types of the parameters it declares."""

    path: str
    sql: str
    types: dict[str, str]


class Statement(msgspec.Struct, frozen=True):
    """A composed statement: its text and the parameter names in ``$1``.. order."""

    name: str
    text: str
    names: tuple[str, ...]

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        """The positional values of ``values`` (a mapping holding at least every name)."""
        missing = [name for name in self.names if name not in values]
        if missing:
            raise KeyError(f"{self.name} needs values for {', '.join(missing)}")
        return [values[name] for name in self.names]


def read(path: Path) -> Fragment:
    """Read a fragment file: its declarations from the leading comment block, then its SQL."""
    lines = path.read_text(encoding="utf-8").splitlines()
    types: dict[str, str] = {}
    start = 0
    while start < len(lines) and (lines[start].startswith("--") or not lines[start].strip()):
        if match := _DECLARATION.match(lines[start]):
            types[match.group(1)] = match.group(2)
        start += 1
    return Fragment(path=path.name, sql="\n".join(lines[start:]).strip(), types=types)


def _fill(text: str, slot: str, sql: str) -> str:
    """Put ``sql`` in place of ``/*slot*/``, its later lines indented like the slot's line."""
    marker = f"/*{slot}*/"
    if text.count(marker) != 1:
        raise ValueError(f"the skeleton needs exactly one {marker}")
    start = text.rfind("\n", 0, text.index(marker)) + 1
    indent = text[start : len(text) - len(text[start:].lstrip(" "))]
    return text.replace(marker, sql.replace("\n", "\n" + indent))


def compose(
    name: str, skeleton: Fragment, slots: Mapping[str, str | Sequence[Fragment]]
) -> Statement:
    """Fill the slots of ``skeleton`` and number its named parameters."""
    used = [skeleton]
    text = skeleton.sql
    for slot, value in slots.items():
        if not isinstance(value, str):
            used += value
            value = "\nAND ".join(fragment.sql for fragment in value)
        text = _fill(text, slot, value)
    types: dict[str, str] = {}
    for fragment in used:
        for param, type_ in fragment.types.items():
            if types.setdefault(param, type_) != type_:
                raise ValueError(f"{name}: ${param} is {types[param]} and {type_}")
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        param = match.group(1)
        if param not in types:
            raise ValueError(f"{name}: ${param} is used but not declared")
        if param not in names:
            names.append(param)
        return f"${names.index(param) + 1}::{types[param]}"

    # Comment lines of the fragments stay in the files: asyncpg prepares and caches a statement
    # only below max_cacheable_statement_size, and an uncached one is parsed and planned again
    # on every call (the viewer's listing crossed 15 kB once and took twice as long at 100 rows).
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    body = _USE.sub(number, code)
    header = [f"-- {name}, composed from {', '.join(f.path for f in used)}"]
    header += [f"-- ${i} {param} {types[param]}" for i, param in enumerate(names, 1)]
    return Statement(name=name, text="\n".join(header) + "\n" + body + "\n", names=tuple(names))


__all__ = ["Fragment", "Statement", "compose", "read"]
