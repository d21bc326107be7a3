"""Counts each part of the fault suite reports: printed at the end of the run."""

from __future__ import annotations

from typing import Any

REPORT: dict[str, dict[str, Any]] = {}


def record(part: str, *, tried: int, failures: int, **figures: Any) -> None:
    """Keep the counts of one part (cases tried, failures, other figures) for the summary."""
    REPORT[part] = {"tried": tried, "failures": failures, **figures}


def lines() -> list[str]:
    """One line per part, in the order they ran."""
    out = []
    for part, counts in REPORT.items():
        rest = ", ".join(f"{k}={v}" for k, v in counts.items() if k not in ("tried", "failures"))
        head = f"{part}: {counts['tried']} cases tried, {counts['failures']} failures"
        out.append(head + (f" ({rest})" if rest else ""))
    return out
