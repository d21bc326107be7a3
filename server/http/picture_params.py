"""Parameters of picture requests: formats in path segments, query or JSON-body values, planes.

Cytomine's clients send picture parameters in the query, or (POST) as a JSON object body for
long geometries (or a form); ``Params`` reads both, the body first. The viewer's ``channels``,
``zSlices`` and ``timepoints`` select a plane (``plane_of``); several ``channels`` with their
``colormaps``, intensities and ``gammas`` ask for a blend (``mix_of``); ``filters`` names image
filters (``filters_of``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request

from contracts.errors import Invalid, NotFound
from server.params import flag
from tiling import composite, filters, levels, sources
from tiling.planes import Plane

WINDOW = re.compile(r"^(window|camera)-(-?\d+)-(-?\d+)-(\d+)-(\d+)\.(\w+)$")
"""A window resource segment, ``window-x-y-w-h.fmt`` or ``camera-…``."""
FIRST_PLANE = Plane()
_PLANE_PARAMS = (("channel", "channels"), ("z", "zSlices"), ("t", "timepoints"))


def split_format(segment: str) -> tuple[str, str]:
    """``"12.jpg"`` -> ``("12", "jpg")``; 400 for an unknown format."""
    stem, dot, fmt = segment.rpartition(".")
    if not dot or not stem:
        raise Invalid(f"Missing image format in {segment!r}")
    fmt = "jpg" if fmt == "jpeg" else fmt
    sources.media_type(fmt)
    return stem, fmt


def int_of(text: str, what: str) -> int:
    """An integer path or query value; 400 otherwise."""
    try:
        return int(text)
    except ValueError:
        raise Invalid(f"{what} must be an integer, not {text!r}") from None


async def body_params(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Parameters sent as a JSON object (or a form) in the body of a POST picture request."""
    if request.method != "POST":
        return {}
    raw = await request.body()
    if not raw.strip():
        return {}
    if request.content_type[0] == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise Invalid("The request body must be a JSON object of parameters") from None
    return data if isinstance(data, dict) else {}


def max_size(
    request: Request[Any, Any, Any], default: int | None, body: dict[str, Any]
) -> int | None:
    """The ``maxSize`` parameter (longest side) of the body or query, or the default."""
    value = body.get("maxSize", request.query_params.get("maxSize"))
    if value in (None, "", "null"):
        return default
    size = int_of(str(value), "maxSize")
    if size < 1:
        raise Invalid("maxSize must be positive")
    return size


def parse_window(resource: str) -> tuple[levels.Box, str]:
    """``window-x-y-w-h.fmt`` (top-left origin, full resolution) -> (box, format)."""
    found = WINDOW.match(resource)
    if found is None:
        raise NotFound("Resource", resource)
    x, y, w, h = (int(v) for v in found.group(2, 3, 4, 5))
    fmt = "jpg" if found[6] == "jpeg" else found[6]
    sources.media_type(fmt)
    return levels.Box(x, y, w, h), fmt


class Params:
    """Picture parameters of one request: the JSON body first, then the query."""

    def __init__(self, request: Request[Any, Any, Any], body: dict[str, Any]) -> None:
        self.request, self.body = request, body

    def text(self, name: str) -> str | None:
        """A parameter as text, None when absent, empty or ``null``."""
        value = self.body.get(name, self.request.query_params.get(name))
        if value is None or value in ("", "null"):
            return None
        return value if isinstance(value, str) else msgspec.json.encode(value).decode()

    def integer(self, name: str) -> int | None:
        """An integer parameter; 400 when malformed."""
        value = self.text(name)
        return None if value is None else int_of(value, name)

    def number(self, name: str) -> float | None:
        """A decimal parameter; 400 when malformed."""
        value = self.text(name)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            raise Invalid(f"{name} must be a number, not {value!r}") from None

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (true/false/1/0)."""
        value = self.body.get(name, self.request.query_params.get(name))
        return flag(
            value if isinstance(value, bool | None) else str(value), default=default, name=name
        )

    def max_size(self, default: int | None) -> int | None:
        """The ``maxSize`` parameter or the default."""
        return max_size(self.request, default, self.body)


def first_index(params: Params, name: str) -> int | None:
    """The first value of a comma-joined index list (``channels=0,1``), None when absent."""
    value = params.text(name)
    if value is None:
        return None
    head = value.strip("[]").split(",")[0].strip()
    index = int_of(head, name)
    if index < 0:
        raise Invalid(f"{name} must not be negative")
    return index


def _items(params: Params, name: str) -> list[str]:
    """The comma-joined values of a list parameter (``gammas=1,1,1``)."""
    value = params.text(name)
    return [] if value is None else [v.strip() for v in value.strip("[]").split(",")]


def _number_items(params: Params, name: str) -> list[float | None]:
    """A list parameter of numbers, empty entries as None; 400 when malformed."""
    found: list[float | None] = []
    for item in _items(params, name):
        try:
            found.append(float(item) if item not in ("", "null") else None)
        except ValueError:
            raise Invalid(f"{name} must be a comma-separated list of numbers") from None
    return found


def mix_of(params: Params, plane: Plane) -> composite.Mix | None:
    """The channel blend a viewer asks for with several ``channels``, None for one channel."""
    channels = [int_of(v, "channels") for v in _items(params, "channels") if v]
    if len(channels) < 2:
        return None
    if min(channels) < 0:
        raise Invalid("channels must not be negative")
    colors, gammas = _items(params, "colormaps"), _number_items(params, "gammas")
    if any(g is not None and g <= 0 for g in gammas):
        raise Invalid("gammas must be positive")
    lows, highs = _number_items(params, "minIntensities"), _number_items(params, "maxIntensities")

    def at(values: list[Any], index: int) -> Any:
        return values[index] if index < len(values) else None

    layers = tuple(
        composite.Layer(
            channel,
            composite.parse_color(at(colors, i) or ""),
            at(lows, i),
            at(highs, i),
            at(gammas, i) or 1.0,
        )
        for i, channel in enumerate(channels)
    )
    return composite.Mix(plane.z, plane.t, layers)


def filters_of(params: Params) -> tuple[filters.Filter, ...]:
    """The image filter of the ``filters`` parameter (none when absent); at most one."""
    raw = params.body.get("filters")
    if raw is None:
        values = params.request.query_params.getall("filters", [])
    else:
        values = raw if isinstance(raw, list) else [raw]
    names = [str(v) for v in values if v not in (None, "", "null")]
    if len(names) > 1:
        raise Invalid("At most one image filter applies to a picture", {"filters": names})
    return filters.parse(names[0]) if names else ()


def plane_of(params: Params, default: Plane = FIRST_PLANE) -> Plane:
    """The plane named by channels / zSlices / timepoints, each defaulting to ``default``'s."""
    chosen = {}
    for field, name in _PLANE_PARAMS:
        index = first_index(params, name)
        if index is None and name == "zSlices":
            index = first_index(params, "z_slices")
        chosen[field] = getattr(default, field) if index is None else index
    return Plane(**chosen)


__all__ = [
    "WINDOW",
    "Params",
    "body_params",
    "filters_of",
    "first_index",
    "int_of",
    "max_size",
    "mix_of",
    "parse_window",
    "plane_of",
    "split_format",
]
