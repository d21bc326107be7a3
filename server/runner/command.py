"""The command line of a job: its software's template with the parameter values put in.

A descriptor's ``command-line`` names each input by its value key (``[THRESHOLD]``). As in
Cytomine's runners, a key that stands alone becomes the input's command-line flag followed
by its value (``--threshold 0.5``, two arguments); a key inside a longer word
(``--threshold=[THRESHOLD]``) becomes the value only; an optional input with no value drops
its key. The server fills the connection inputs (host, the job's own API keys, project,
software and job ids) whatever the job parameters say; ``[CYTOMINE_HOST]``-style keys of
these are understood even when the software declares no such input, with the flags
``CytomineJob.from_cli`` parses (``--cytomine_host``...). The template is split like a POSIX
shell would, but nothing runs through a shell: values are never interpreted.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

import msgspec

from contracts.errors import Invalid

SERVER_INPUTS = (
    "cytomine_host",
    "cytomine_public_key",
    "cytomine_private_key",
    "cytomine_id_project",
    "cytomine_id_software",
    "cytomine_id_job",
)
# Other spellings of the connection inputs that the official client accepts.
_SYNONYMS = {
    "host": "cytomine_host",
    "public_key": "cytomine_public_key",
    "publickey": "cytomine_public_key",
    "private_key": "cytomine_private_key",
    "privatekey": "cytomine_private_key",
    "id_project": "cytomine_id_project",
    "cytomine_project_id": "cytomine_id_project",
    "idproject": "cytomine_id_project",
    "project_id": "cytomine_id_project",
    "id_software": "cytomine_id_software",
    "cytomine_software_id": "cytomine_id_software",
    "idsoftware": "cytomine_id_software",
    "software_id": "cytomine_id_software",
    "id_job": "cytomine_id_job",
    "job_id": "cytomine_id_job",
}


class Input(msgspec.Struct, frozen=True, kw_only=True):
    """One software parameter and the value the job gives it (None: no value)."""

    name: str
    value_key: str | None = None
    flag: str | None = None
    value: str | None = None


def server_input(name: str) -> str | None:
    """The connection input a parameter name stands for, if any."""
    lowered = name.lower()
    if lowered in SERVER_INPUTS:
        return lowered
    return _SYNONYMS.get(lowered)


def _with_server_values(inputs: Sequence[Input], server: Mapping[str, str]) -> list[Input]:
    """Inputs with the server's values, plus the connection inputs the software omits."""
    done: list[Input] = []
    named = set()
    for item in inputs:
        known = server_input(item.name)
        if known is not None and known in server:
            item = msgspec.structs.replace(item, value=server[known])
            named.add(known)
        done.append(item)
    for name in SERVER_INPUTS:
        if name not in named and name in server:
            done.append(Input(name=name, value=server[name]))
    return done


def _expand(token: str, inputs: Sequence[Input]) -> list[str]:
    """One template word with the inputs' values (several words for ``flag value``)."""
    for item in inputs:
        key = item.value_key or f"[{item.name.upper()}]"
        if token == key:
            if item.value is None:
                return []
            flag = item.flag if item.flag is not None else f"--{item.name}"
            return [flag, item.value] if flag else [item.value]
    for item in inputs:
        key = item.value_key or f"[{item.name.upper()}]"
        if key in token:
            token = token.replace(key, item.value or "")
    return [token]


def build(template: str, inputs: Sequence[Input], server: Mapping[str, str]) -> list[str]:
    """The argument vector of a job (Invalid when the template cannot be split)."""
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise Invalid(f"The software's command line cannot be read: {exc}") from exc
    if not words:
        raise Invalid("The software has no command line to execute")
    filled = _with_server_values(inputs, server)
    argv = [part for word in words for part in _expand(word, filled)]
    if not argv:
        raise Invalid("The software's command line is empty once filled")
    return argv


__all__ = ["SERVER_INPUTS", "Input", "build", "server_input"]
