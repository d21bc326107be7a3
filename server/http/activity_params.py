"""Query parameters shared by the activity routes, parsed once as dependencies.

``startDate``/``endDate``/``afterThan``/``beforeThan`` are epoch milliseconds; booleans are
read as either client sends them. Handlers name the dependency they need (``span``,
``evolution``, ``frequency``, ``window``) and the controller provides it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter

from contracts.errors import Invalid
from server.db.store.activity import instant
from server.db.store.project_connections import Period, period_of
from server.db.store.project_stats import Evolution, checked_range
from server.params import flag


class Span(msgspec.Struct, frozen=True, kw_only=True):
    """``startDate`` and ``endDate`` as instants (None: open)."""

    start: datetime | None
    end: datetime | None


class FrequencyQuery(msgspec.Struct, frozen=True, kw_only=True):
    """``afterThan``, ``period`` and ``heatmap`` of the connection frequency routes."""

    after: datetime | None
    period: Period | None
    heatmap: bool


class Window(msgspec.Struct, frozen=True, kw_only=True):
    """``afterThan``, ``beforeThan`` and the (required) ``period`` of instance-wide charts."""

    after: datetime | None
    before: datetime | None
    period: Period


def provide_span(
    start_date: Annotated[int | None, QueryParameter(name="startDate")] = None,
    end_date: Annotated[int | None, QueryParameter(name="endDate")] = None,
) -> Span:
    """The ``span`` dependency."""
    return Span(start=instant(start_date, "startDate"), end=instant(end_date, "endDate"))


def provide_evolution(
    days_range: Annotated[int, QueryParameter(name="daysRange")] = 1,
    start_date: Annotated[int | None, QueryParameter(name="startDate")] = None,
    end_date: Annotated[int | None, QueryParameter(name="endDate")] = None,
    accumulate: FromQuery[str | None] = None,
) -> Evolution:
    """The ``evolution`` dependency (``accumulate`` defaults to true, as in Cytomine)."""
    span = provide_span(start_date, end_date)
    return Evolution(
        start=span.start,
        end=span.end,
        days=checked_range(days_range),
        accumulate=flag(accumulate, default=True, name="accumulate"),
    )


def provide_frequency(
    after_than: Annotated[int | None, QueryParameter(name="afterThan")] = None,
    period: FromQuery[str | None] = None,
    heatmap: FromQuery[str | None] = None,
) -> FrequencyQuery:
    """The ``frequency`` dependency."""
    return FrequencyQuery(
        after=instant(after_than, "afterThan"),
        period=None if period is None else period_of(period),
        heatmap=flag(heatmap, name="heatmap"),
    )


def provide_window(
    after_than: Annotated[int | None, QueryParameter(name="afterThan")] = None,
    before_than: Annotated[int | None, QueryParameter(name="beforeThan")] = None,
    period: FromQuery[str | None] = None,
) -> Window:
    """The ``window`` dependency."""
    if period is None:
        raise Invalid("Missing required parameter: period")
    return Window(
        after=instant(after_than, "afterThan"),
        before=instant(before_than, "beforeThan"),
        period=period_of(period),
    )


SpanQuery = NamedDependency[Span]
EvolutionQuery = NamedDependency[Evolution]
Frequencies = NamedDependency[FrequencyQuery]
WindowQuery = NamedDependency[Window]

DEPENDENCIES = {
    "span": Provide(provide_span, sync_to_thread=False),
    "evolution": Provide(provide_evolution, sync_to_thread=False),
    "frequency": Provide(provide_frequency, sync_to_thread=False),
    "window": Provide(provide_window, sync_to_thread=False),
}

__all__ = [
    "DEPENDENCIES",
    "Evolution",
    "EvolutionQuery",
    "Frequencies",
    "FrequencyQuery",
    "Span",
    "SpanQuery",
    "Window",
    "WindowQuery",
    "provide_evolution",
    "provide_frequency",
    "provide_span",
    "provide_window",
]
